import { FetchIsolationLevels, ListOffsetTimestamps } from '@platformatic/kafka'
import { DEFAULTS } from '../core/config.ts'
import type { IngestConsumer } from './kafka-consumer.ts'
import { protocolErrorIds } from './kafka-consumer.ts'
import type { IngestMessage } from './kafka-message.ts'

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
 * The Kafka client decodes a whole fetch at once, a few objects per record, so a large fetch
 * outlives V8's young generation and its garbage piles up in the old one until a full collection:
 * on a 1,000,000-message, 6-partition topic 512 KiB fetches peaked at 516-523 MiB, 128 KiB at 403-416
 * and 64 KiB at 386-398, at the same records/s (32 KiB was slower and no lower). A batch larger than
 * the limits still comes whole when its partition is the first with data in a request (KIP-74), and
 * the fetcher puts each partition first in turn, so no message is too big for a fetch.
 */
export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxBytes: DEFAULTS.fetchMaxBytes, partitionMaxBytes: DEFAULTS.fetchMaxBytes / 4, maxWaitMs: 500 }

/** What one fetch brought for one partition: its records from `from` on, and the offset after them. */
export interface FetchedPartition {
  partition: number
  /** The offset the fetch asked for; the data is only good while the partition is still there. */
  from: bigint
  /**
   * The records as messages, made one at a time as they are taken: a message object then dies
   * young, where a fetch's worth made at once would outlive the young generation. Iterate once.
   */
  messages: Iterable<IngestMessage>
  /** The offset after the last batch, transaction markers included: where the next fetch starts. */
  next: bigint
}

/** Control batches (transaction commit/abort markers) carry no records for the application. */
const IS_CONTROL = 1 << 5
const IS_TRANSACTIONAL = 1 << 4
/** The type in a control record's key: 0 ends an aborted transaction, 1 a committed one. */
const ABORT_MARKER = 0

/**
 * Header texts repeat from message to message (the four names, the file, the layout, the source):
 * the bytes at each header place are compared with the last ones kept there, and when equal the
 * text decoded then is reused, which spares a string (and its garbage) per header. Bytes are kept as
 * a copy, so a kept header never pins a fetch's buffer, and only when the place matched before: a
 * place that changes with every message (the row number) is decoded and not kept.
 */
class HeaderTexts {
  private readonly bytes: (Buffer | undefined)[] = []
  private readonly texts: string[] = []
  private readonly missed: boolean[] = []

  text(place: number, bytes: Buffer): string {
    const last = this.bytes[place]
    if (last !== undefined && last.equals(bytes)) {
      this.missed[place] = false
      return this.texts[place]
    }
    const text = bytes.toString('utf8')
    if (!this.missed[place]) {
      this.bytes[place] = Buffer.from(bytes)
      this.texts[place] = text
    }
    this.missed[place] = true
    return text
  }
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
  private readonly headerTexts = new HeaderTexts()
  private turn = 0

  constructor(consumer: IngestConsumer, topic: string, limits: FetchLimits = DEFAULT_FETCH_LIMITS) {
    this.consumer = consumer
    this.topic = topic
    this.limits = limits
  }

  async fetch(positions: ReadonlyMap<number, bigint>): Promise<{ parts: FetchedPartition[]; outOfRange: boolean }> {
    const metadata = await this.consumer.metadata({ topics: [this.topic] })
    const topicMetadata = metadata.topics.get(this.topic)
    if (!topicMetadata) return { parts: [], outOfRange: false }
    const byLeader = new Map<number, { partition: number; currentLeaderEpoch: number; fetchOffset: bigint; lastFetchedEpoch: number; partitionMaxBytes: number }[]>()
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
        this.consumer
          .fetch({
            node,
            topics: [{ topicId: topicMetadata.id, partitions }],
            maxBytes: this.limits.maxBytes,
            minBytes: 1,
            maxWaitTime: this.limits.maxWaitMs,
            isolationLevel: FetchIsolationLevels.READ_COMMITTED,
          })
          .catch((error) => {
            if (!protocolErrorIds(error).includes('OFFSET_OUT_OF_RANGE')) throw error
            outOfRange = true
            return undefined
          }),
      ),
    )
    const parts: FetchedPartition[] = []
    for (const response of responses) {
      for (const topic of response?.responses ?? []) {
        if (topic.topicId !== topicMetadata.id) continue
        for (const partition of topic.partitions) {
          const from = positions.get(partition.partitionIndex)
          if (from === undefined || !partition.records?.length) continue
          parts.push(this.decode(partition.partitionIndex, from, partition.records, partition.abortedTransactions ?? []))
        }
      }
    }
    return { parts, outOfRange }
  }

  /** The first offset each partition's log still holds, to resume a partition whose offset is gone. */
  async earliest(): Promise<bigint[]> {
    return (await this.consumer.listOffsets({ topics: [this.topic], timestamp: ListOffsetTimestamps.EARLIEST })).get(this.topic) ?? []
  }

  /** A partition's answer: where the next fetch starts (past every batch, markers included) and its messages. */
  private decode(partition: number, from: bigint, batches: NonNullable<FetchedPartitionRecords>, abortedTransactions: readonly AbortedTransaction[]): FetchedPartition {
    let next = from
    for (const batch of batches) {
      const end = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n
      if (end > next) next = end
    }
    return { partition, from, messages: this.messagesOf(partition, from, batches, abortedTransactions), next }
  }

  /**
   * Turns record batches into messages from `from` on. Records of aborted transactions are left
   * out as Kafka's own consumer does: a producer is inside an aborted transaction from the
   * transaction's first offset (the broker lists them) until its abort marker.
   */
  private *messagesOf(partition: number, from: bigint, batches: NonNullable<FetchedPartitionRecords>, abortedTransactions: readonly AbortedTransaction[]): Generator<IngestMessage> {
    const aborted = [...abortedTransactions].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1))
    const inAborted = new Set<bigint>()
    let nextAborted = 0
    for (const batch of batches) {
      const end = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n
      while (nextAborted < aborted.length && aborted[nextAborted].firstOffset < end) inAborted.add(aborted[nextAborted++].producerId)
      if (batch.attributes & IS_CONTROL) {
        if (batch.records[0]?.key?.readInt16BE(2) === ABORT_MARKER) inAborted.delete(batch.producerId)
        continue
      }
      if (batch.attributes & IS_TRANSACTIONAL && inAborted.has(batch.producerId)) continue
      for (const record of batch.records) {
        const offset = batch.firstOffset + BigInt(record.offsetDelta)
        // A fetch starts at the batch holding `from`: its records before `from` were taken already.
        if (offset < from) continue
        const headers = new Map<string, string>()
        const texts = this.headerTexts
        for (let i = 0; i < record.headers.length; i++) {
          const [key, value] = record.headers[i]
          if (key) headers.set(texts.text(2 * i, key), value ? texts.text(2 * i + 1, value) : '')
        }
        yield { topic: this.topic, partition, offset, key: record.key, value: record.value, headers }
      }
    }
  }
}

type FetchedPartitionResponse = Awaited<ReturnType<IngestConsumer['fetch']>>['responses'][number]['partitions'][number]
type FetchedPartitionRecords = FetchedPartitionResponse['records']
type AbortedTransaction = NonNullable<FetchedPartitionResponse['abortedTransactions']>[number]
