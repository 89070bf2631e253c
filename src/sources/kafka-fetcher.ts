import { setTimeout as sleep } from 'node:timers/promises'
import { FetchIsolationLevels, ListOffsetTimestamps } from '@platformatic/kafka'
import { DEFAULTS } from '../core/config.ts'
import type { IngestConsumer } from './kafka-consumer.ts'
import { protocolErrorIds } from './kafka-consumer.ts'
import { fetchRaw, retryable, type RawFetchRequest } from './kafka-raw-fetch.ts'
import { readRecordBatches, type FetchedRecords } from './kafka-record-batches.ts'
import { RecordWalker } from './kafka-record-walker.ts'

/** How much one fetch may bring: bounds the ingest's memory whatever the topic holds. */
export interface FetchLimits {
  /** Bytes per request over all partitions (compressed, as the broker stores them). */
  maxBytes: number
  /** Bytes per partition per request. */
  partitionMaxBytes: number
  /** How long the broker may hold a request open when there is nothing new. */
  maxWaitMs: number
}

/**
 * A fetch's bytes live until the take thread has its copy. Since records are read from the bytes
 * (kafka-record-walker.ts), 256 KiB fetches are 10% faster than 64 KiB ones at the same peak on a
 * 1,000,000-message, 6-partition topic; 512 KiB and 1 MiB were no faster and 20-70 MiB larger. A
 * batch larger than the limits still comes whole when its partition is the first with data in a
 * request (KIP-74), and the fetcher puts each partition first in turn, so no message is too big for
 * a fetch.
 */
export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytes: DEFAULTS.fetchMaxBytes, partitionMaxBytes: DEFAULTS.fetchMaxBytes / 4, maxWaitMs: 500 }

/** Fetches failing in a row before the ingest gives up, and the pause after each: the Kafka client's own retries (kafka-config.ts). */
const ATTEMPTS = 40
const RETRY_DELAY_MS = 500

/** What one fetch brought for one partition: its records from `from` on, and the offset after them. */
export interface FetchedPartition {
  partition: number
  /** The offset the fetch asked for; the data is only good while the partition is still there. */
  from: bigint
  /** The records from `from` on, as places in the fetched bytes (no object per record). */
  records: FetchedRecords
  /** The offset after the last batch, transaction markers included: where the next fetch starts. */
  next: bigint
  /** Where the partition's log ended when the broker answered (as read_committed sees it): `next` short of it means more to read. */
  end: bigint
}

/**
 * Fetches a topic's partitions from exactly the offsets given, read_committed, one request per
 * leader, with bounded bytes. The ingest decides the offsets (its own buffers' `next`), so after any
 * rebalance, fence or restart each partition resumes exactly where its buffer stands, and nothing
 * fetched is ever pushed ahead of the ingest (the next fetch starts when the previous one is taken).
 * Offsets the log no longer holds (retention) come back as `outOfRange`.
 *
 * @example
 * const fetcher = new KafkaFetcher(consumer, 'incidents')
 * const { parts } = await fetcher.fetch(new Map([[0, 1200n], [1, 980n]]))
 */
export class KafkaFetcher {
  private readonly consumer: IngestConsumer
  private readonly topic: string
  private readonly limits: FetchLimits
  private readonly walker = new RecordWalker()
  private readonly send: typeof fetchRaw
  private readonly retryDelayMs: number
  private turn = 0
  /** Fetches failed in a row with errors worth trying again (see ATTEMPTS). */
  private failures = 0

  /**
   * `send`: how a request reaches a broker (fetchRaw; a test's stand-in). A failure the Kafka client
   * would retry is tried again by the next fetch, `retryDelayMs` later, up to 40 in a row.
   */
  constructor(consumer: IngestConsumer, topic: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS, { send = fetchRaw, retryDelayMs = RETRY_DELAY_MS } = {}) {
    this.consumer = consumer
    this.topic = topic
    this.limits = limits
    this.send = send
    this.retryDelayMs = retryDelayMs
  }

  async fetch(positions: ReadonlyMap<number, bigint>): Promise<{ parts: FetchedPartition[]; outOfRange: boolean }> {
    const metadata = await this.consumer.metadata({ topics: [this.topic] })
    const topicMetadata = metadata.topics.get(this.topic)
    if (!topicMetadata) return { parts: [], outOfRange: false }
    const byLeader = new Map<number, RawFetchRequest['topics'][number]['partitions']>()
    // The partitions in turn at the head of the request: a broker fills a request in its order, and
    // sends a batch past the limits only to the first partition with data.
    const listed = [...positions]
    const turn = this.turn++ % Math.max(listed.length, 1)
    for (const [partition, fetchOffset] of [...listed.slice(turn), ...listed.slice(0, turn)]) {
      const leader = topicMetadata.partitions[partition]?.leader
      if (leader === undefined) continue
      const list = byLeader.get(leader) ?? []
      list.push({ partition, currentLeaderEpoch: -1, fetchOffset, lastFetchedEpoch: -1, partitionMaxBytes: this.limits.partitionMaxBytes })
      byLeader.set(leader, list)
    }
    let outOfRange = false
    const responses = await Promise.all(
      [...byLeader].map(([node, partitions]) =>
        this.send(this.consumer, node, {
          topics: [{ topicId: topicMetadata.id, partitions }],
          maxBytes: this.limits.maxBytes,
          minBytes: 1,
          maxWaitMs: this.limits.maxWaitMs,
          isolationLevel: FetchIsolationLevels.READ_COMMITTED,
        }).catch(async (error: unknown) => {
          if (protocolErrorIds(error).includes('OFFSET_OUT_OF_RANGE')) {
            outOfRange = true
            return undefined
          }
          // A broker restarting or a leader moving: the next fetch asks again, of the leaders the
          // metadata names then, as the Kafka client's own fetch retries (not once the client is closed).
          if (this.consumer.closed || !retryable(error) || ++this.failures >= ATTEMPTS) throw error
          await sleep(this.retryDelayMs)
          await this.consumer.metadata({ topics: [this.topic], forceUpdate: true }).catch(() => undefined)
          return null
        }),
      ),
    )
    if (!responses.includes(null)) this.failures = 0
    const parts: FetchedPartition[] = []
    for (const response of responses) {
      for (const topic of response?.responses ?? []) {
        if (topic.topicId !== topicMetadata.id) continue
        for (const partition of topic.partitions) {
          const from = positions.get(partition.partitionIndex)
          const bytes = partition.records
          if (from === undefined || !bytes?.length) continue
          parts.push({ partition: partition.partitionIndex, from, end: partition.lastStableOffset, ...readRecordBatches(this.walker, bytes, from, partition.abortedTransactions) })
        }
      }
    }
    return { parts, outOfRange }
  }

  /** The first offset each partition's log still holds, to resume a partition whose offset is gone. */
  async earliest(): Promise<bigint[]> {
    return (await this.consumer.listOffsets({ topics: [this.topic], timestamp: ListOffsetTimestamps.EARLIEST })).get(this.topic) ?? []
  }
}
