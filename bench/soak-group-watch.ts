/**
 * The soak's view of the consumer group: its committed offsets against the topic's end offsets,
 * sampled from outside the members (Consumer.listCommittedOffsets, through the integration
 * harness), so what counts is what the group really committed, not what a member says; and the
 * clean-up of a passed round's topics and group.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { Admin } from '@platformatic/kafka'
import { clientOptions, type KafkaConfig } from '../src/core/kafka-config.ts'
import { committedOffsets, messageCount } from '../test/integration/kafka-harness.ts'

/** Resolves with `promise`'s value, or with undefined once `ms` have passed. */
export function within<T>(ms: number, promise: Promise<T>): Promise<T | undefined> {
  return Promise.race([promise, sleep(ms, undefined)])
}

/**
 * Samples a group's progress on a topic that may still be filling, one request at a time: while the
 * broker is down a request retries for up to ~20 s, and the samples skipped meanwhile keep the last
 * answer. Until the topic's end offsets are known (`ended`), progress counts the committed records
 * against the records expected; after, the lag against the ends.
 *
 * @example
 * const watch = new GroupWatch(kafka, 'g', 't', [0, 1, 2], 1_000_000)
 * watch.poll() // once a second
 * watch.ended(await topicEnds(kafka, 't')) // once the producer is done
 * if (watch.caughtUpSince !== undefined) console.log('committed to the end, lag', watch.lag)
 */
export class GroupWatch {
  /** Records not committed yet, summed over partitions; undefined until the ends are known and the first answer came. */
  lag: number | undefined
  /** Share of the topic committed, 0..1. */
  progress = 0
  /** When (performance.now()) the sample that first found the group at the end was started. */
  caughtUpSince: number | undefined
  /** When the last sample that found the group at the end was started. */
  lastCaughtUpSample: number | undefined
  failures = 0
  lastError: string | undefined
  /** The records in the topic: those expected until the ends are known. */
  total: number
  private pending: Promise<void> | undefined
  private readonly read: () => Promise<Map<number, bigint>>
  private ends: Map<number, bigint> | undefined

  constructor(kafka: KafkaConfig, group: string, topic: string, partitions: number[], expected: number) {
    this.total = expected
    this.read = () => committedOffsets(kafka, group, topic, partitions)
  }

  /** The topic is complete: its end offsets from now on. */
  ended(ends: Map<number, bigint>): void {
    this.ends = ends
    this.total = messageCount(ends)
  }

  /** Starts a sample unless one is still under way. */
  poll(): void {
    this.pending ??= this.sample().finally(() => (this.pending = undefined))
  }

  /** One sample now, waiting at most `ms` for it (the last sample of a round, after the members stop). */
  async final(ms: number): Promise<void> {
    await within(ms, this.pending ?? Promise.resolve())
    await within(ms, this.sample())
  }

  private async sample(): Promise<void> {
    const started = performance.now()
    const ends = this.ends
    try {
      const committed = await this.read()
      if (!ends) {
        const done = [...committed.values()].reduce((sum, offset) => sum + (offset > 0n ? Number(offset) : 0), 0)
        this.progress = this.total === 0 ? 0 : Math.min(done / this.total, 1)
        return
      }
      let lag = 0
      for (const [partition, end] of ends) {
        const done = committed.get(partition) ?? -1n
        lag += Number(end - (done < 0n ? 0n : done > end ? end : done))
      }
      this.lag = lag
      this.progress = this.total === 0 ? 1 : (this.total - lag) / this.total
      if (lag === 0) {
        this.caughtUpSince ??= started
        this.lastCaughtUpSample = started
      }
    } catch (error) {
      this.failures++
      this.lastError = error instanceof Error ? error.message : String(error)
    }
  }
}

/** Deletes a passed round's topics and group so long soaks do not fill the broker's disk. */
export async function forget(kafka: KafkaConfig, topic: string, group: string): Promise<void> {
  const admin = new Admin(clientOptions(kafka))
  // The dead-letter topic exists only when the ingest dead-lettered something.
  for (const topics of [[topic], [`${topic}.dlq`]]) await within(20_000, admin.deleteTopics({ topics }).catch(() => undefined))
  await within(20_000, admin.deleteGroups({ groups: [group] }).catch(() => undefined))
  await admin.close()
}
