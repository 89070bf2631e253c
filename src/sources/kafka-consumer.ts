import { setTimeout as sleep } from 'node:timers/promises'
import { Consumer, offsetCommitV8, offsetFetchV8 } from '@platformatic/kafka'
import { z } from 'zod'
import { clientOptions, kafkaFailure, type KafkaConfig } from '../core/kafka-config.ts'

/** The ingest's group member: raw bytes everywhere, since it fetches and decodes records itself. */
export type IngestConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>

/** Errors by which the group coordinator says this member no longer owns what it consumed. */
const FENCING_ERRORS = new Set(['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID'])

/**
 * Who made a commit, kept in the commit's metadata: the member, its generation and the offset it
 * resumed the partition at. It tells an old owner whether its own fenced-looking commit landed.
 */
export interface CommitTag {
  member: string
  generation: number
  from: bigint
}

const TagSchema = z.object({ m: z.string(), g: z.number().int(), f: z.string().regex(/^\d+$/) })

/** What the group holds for one partition: the next offset to read (-1 when none) and its tag. */
export interface CommittedState {
  offset: bigint
  tag?: CommitTag
}

/**
 * A consumer-group member for the ingest, without autocommit and without the client's message
 * stream: the ingest fetches by itself from the offsets it owns (see kafka-fetcher.ts).
 *
 * @example
 * const consumer = createConsumer(config, 'hatecrimes-ingest')
 */
export function createConsumer(config: KafkaConfig, groupId: string, rebalanceTimeout = 30_000): IngestConsumer {
  return new Consumer<Buffer, Buffer, Buffer, Buffer>({
    ...clientOptions(config),
    groupId,
    autocommit: false,
    // A killed member is noticed after sessionTimeout; short enough for a quick restart, long
    // enough to ride a broker restart (heartbeats fail while the broker is down).
    sessionTimeout: 10_000,
    // How long the others wait for this member to rejoin: it flushes and commits first.
    rebalanceTimeout,
    heartbeatInterval: 1_000,
  })
}

/**
 * The client the ingest fetches records with, beside its group member (createConsumer): a broker
 * answers one request per connection at a time, in order, so a fetch it holds open (up to the
 * fetch's maxWaitMs when there is nothing new) would hold back a commit sent on the same connection
 * as long. Kafka's own consumer talks to its group coordinator on a connection of its own too.
 *
 * @example
 * const fetcher = new KafkaFetcher(createFetchClient(config, 'hatecrimes-ingest'), 'incidents')
 */
export function createFetchClient(config: KafkaConfig, groupId: string): IngestConsumer {
  return new Consumer<Buffer, Buffer, Buffer, Buffer>({ ...clientOptions(config), groupId, autocommit: false })
}

/**
 * The offsets and tags the group has committed for some partitions of a topic.
 *
 * @example
 * (await committedStates(consumer, 'incidents', [0, 1])).get(0) // { offset: 1451n, tag: { member, generation: 3, from: 1200n } }
 */
export async function committedStates(consumer: IngestConsumer, topic: string, partitions: number[]): Promise<Map<number, CommittedState>> {
  const connection = await coordinatorConnection(consumer)
  const response = await offsetFetchV8.api.async(connection, [{ groupId: consumer.groupId, memberEpoch: -1, topics: [{ name: topic, partitionIndexes: partitions }] }], true)
  const states = new Map<number, CommittedState>(partitions.map((partition) => [partition, { offset: -1n }]))
  for (const found of response.groups[0]?.topics.find((t) => t.name === topic)?.partitions ?? []) {
    const tag = TagSchema.safeParse(safeJson(found.metadata))
    states.set(found.partitionIndex, {
      offset: found.committedOffset,
      tag: tag.success ? { member: tag.data.m, generation: tag.data.g, from: BigInt(tag.data.f) } : undefined,
    })
  }
  return states
}

/**
 * Whether a flush ending at `next`, made under `mine`, is committed: the group holds this
 * member's own commit at or past `next`, or the partition's next owner resumed at or past `next`
 * (it can only have started there if this flush's commit landed first). A commit of the next
 * owner that merely went further proves nothing: it replayed this flush's records itself.
 *
 * @example
 * if (!commitLanded(state, mine, buffer.next)) await undoFlush(store, flushed.files)
 */
export function commitLanded(state: CommittedState, mine: CommitTag, next: bigint): boolean {
  const { tag } = state
  if (!tag) return state.offset >= next
  if (tag.member === mine.member && tag.generation === mine.generation) return state.offset >= next
  return tag.from >= next
}

/**
 * Commits `offset` as the next offset to read for one partition, under the group generation the
 * records were consumed in, tagged with who commits (see {@link CommitTag}). Unlike the client's
 * own commit, it never rejoins and retries under a newer generation: if the coordinator says the
 * generation is over, 'fenced' is returned, so the caller can check whether the commit landed.
 * Transient errors (coordinator moving, broker restarting) are retried.
 *
 * @example
 * if ((await fencedCommit(consumer, config, { topic, partition: 2, offset: 1451n, tag })) === 'fenced') await check()
 */
export async function fencedCommit(
  consumer: IngestConsumer,
  config: KafkaConfig,
  commit: { topic: string; partition: number; offset: bigint; tag: CommitTag },
): Promise<'committed' | 'fenced'> {
  const { tag } = commit
  const committedMetadata = JSON.stringify({ m: tag.member, g: tag.generation, f: String(tag.from) })
  const topics = [{ name: commit.topic, partitions: [{ partitionIndex: commit.partition, committedOffset: commit.offset, committedLeaderEpoch: -1, committedMetadata }] }]
  for (let attempt = 1; ; attempt++) {
    try {
      await offsetCommitV8.api.async(await coordinatorConnection(consumer), consumer.groupId, tag.generation, tag.member, null, topics)
      return 'committed'
    } catch (error) {
      if (protocolErrorIds(error).some((id) => FENCING_ERRORS.has(id))) return 'fenced'
      if (attempt >= 40) throw kafkaFailure(error, config, `committing offset ${commit.offset} of ${commit.topic}[${commit.partition}]`)
      await sleep(500)
    }
  }
}

async function coordinatorConnection(consumer: IngestConsumer) {
  const coordinator = await consumer.findGroupCoordinator()
  const connection = (await consumer.connectToBrokers([coordinator])).get(coordinator)
  if (!connection) throw new Error(`no connection to group coordinator ${coordinator}`)
  return connection
}

function safeJson(text: string | null | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}

/** The Kafka protocol error names inside an error of the client (they nest in `errors`). */
export function protocolErrorIds(error: unknown): string[] {
  if (!(error instanceof Error)) return []
  const own = (error as { apiId?: string }).apiId
  const inner = ((error as { errors?: unknown[] }).errors ?? []).flatMap(protocolErrorIds)
  return own ? [own, ...inner] : inner
}
