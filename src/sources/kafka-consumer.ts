import { setTimeout as sleep } from 'node:timers/promises'
import { Consumer, ListOffsetTimestamps, offsetCommitV8, stringDeserializer } from '@platformatic/kafka'
import { clientOptions, kafkaFailure, type KafkaConfig } from '../core/kafka-config.ts'

/** Messages as the ingest reads them: bytes for key and value (a poison body must stay as it came), string headers. */
export type IngestConsumer = Consumer<Buffer, Buffer, string, string>

/** Errors by which the group coordinator says this member no longer owns what it consumed. */
const FENCING_ERRORS = new Set(['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'])

/**
 * A consumer-group member for the ingest, without autocommit: offsets are committed by
 * {@link fencedCommit} only after the lake files of the records before them are durable.
 *
 * @example
 * const consumer = createConsumer(config, 'hatecrimes-ingest')
 */
export function createConsumer(config: KafkaConfig, groupId: string): IngestConsumer {
  return new Consumer<Buffer, Buffer, string, string>({
    ...clientOptions(config),
    groupId,
    autocommit: false,
    // A killed member is noticed after sessionTimeout; short enough for a quick restart, long
    // enough to ride a broker restart (heartbeats fail while the broker is down).
    sessionTimeout: 10_000,
    rebalanceTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTime: 500,
    highWaterMark: 2048,
    deserializers: { headerKey: stringDeserializer, headerValue: stringDeserializer },
  })
}

/**
 * The offset the group has committed for one partition now (-1 when none).
 *
 * @example
 * await committedOffset(consumer, 'incidents', 2) // 1451n
 */
export async function committedOffset(consumer: IngestConsumer, topic: string, partition: number): Promise<bigint> {
  const committed = await consumer.listCommittedOffsets({ topics: [{ topic, partitions: [partition] }] })
  return committed.get(topic)?.[partition] ?? -1n
}

/**
 * The offset each partition resumes from: the group's committed offset, or the earliest offset
 * still in the log when nothing is committed (or the commit points before the log's start).
 *
 * @example
 * const starts = await resumeOffsets(consumer, 'incidents', [0, 1, 2]) // Map { 0 => 1200n, ... }
 */
export async function resumeOffsets(consumer: IngestConsumer, topic: string, partitions: number[]): Promise<Map<number, bigint>> {
  const committed = await consumer.listCommittedOffsets({ topics: [{ topic, partitions }] })
  const earliest = await consumer.listOffsets({ topics: [topic], timestamp: ListOffsetTimestamps.EARLIEST })
  const result = new Map<number, bigint>()
  for (const partition of partitions) {
    const done = committed.get(topic)?.[partition] ?? -1n
    const start = earliest.get(topic)?.[partition] ?? 0n
    result.set(partition, done > start ? done : start)
  }
  return result
}

/**
 * Commits `offset` as the next offset to read for one partition, under the group generation the
 * records were consumed in. Unlike the client's own commit, it never rejoins and retries under a
 * newer generation: if the coordinator says the generation is over (a rebalance gave the partition
 * away, or this member was removed), the commit did not happen and 'fenced' is returned, so the
 * caller can delete the files of that flush. Transient errors (coordinator moving, broker
 * restarting) are retried.
 *
 * @example
 * if ((await fencedCommit(consumer, { topic, partition: 2, offset: 1451n, generation })) === 'fenced') await undo()
 */
export async function fencedCommit(
  consumer: IngestConsumer,
  config: KafkaConfig,
  commit: { topic: string; partition: number; offset: bigint; generation: number; memberId: string },
): Promise<'committed' | 'fenced'> {
  const topics = [{ name: commit.topic, partitions: [{ partitionIndex: commit.partition, committedOffset: commit.offset, committedLeaderEpoch: -1 }] }]
  for (let attempt = 1; ; attempt++) {
    try {
      const coordinator = await consumer.findGroupCoordinator()
      const connection = (await consumer.connectToBrokers([coordinator])).get(coordinator)
      if (!connection) throw new Error(`no connection to group coordinator ${coordinator}`)
      await offsetCommitV8.api.async(connection, consumer.groupId, commit.generation, commit.memberId, null, topics)
      return 'committed'
    } catch (error) {
      if (protocolErrorIds(error).some((id) => FENCING_ERRORS.has(id))) return 'fenced'
      if (attempt >= 40) throw kafkaFailure(error, config, `committing offset ${commit.offset} of ${commit.topic}[${commit.partition}]`)
      await sleep(500)
    }
  }
}

/** The Kafka protocol error names inside an error of the client (they nest in `errors`). */
function protocolErrorIds(error: unknown): string[] {
  if (!(error instanceof Error)) return []
  const own = (error as { apiId?: string }).apiId
  const inner = ((error as { errors?: unknown[] }).errors ?? []).flatMap(protocolErrorIds)
  return own ? [own, ...inner] : inner
}
