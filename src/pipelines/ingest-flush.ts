import type { Logger } from 'pino'
import type { KafkaConfig } from '../core/kafka-config.ts'
import { deadLetter } from '../core/record.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { deadLetterMessage } from '../sinks/dead-letter-topic.ts'
import { KafkaPartitionBuffer, removeUncommitted, undoFlush } from '../sinks/kafka-partition-buffer.ts'
import type { BatchSender } from '../sinks/kafka-topic.ts'
import { commitLanded, committedStates, fencedCommit, type CommitTag, type IngestConsumer } from '../sources/kafka-consumer.ts'
import { decodeTagged, letterSourceOf, originOf, rawValueOf, type IngestMessage } from '../sources/kafka-message.ts'
import type { IngestMetrics } from './ingest-metrics.ts'

export interface MemberOptions {
  consumer: IngestConsumer
  kafka: KafkaConfig
  store: ObjectStore
  topic: string
  dlqTopic: string
  /** Sends dead letters to the dead-letter topic; drained before every commit. */
  dlq: BatchSender
  source: string
  flushRows: number
  flushBytes: number
  flushMs: number
  /** Message bytes buffered over all partitions; past it the largest partition is flushed early. */
  maxBufferedBytes: number
  /** The first offset each partition's log still holds (where a partition without a commit starts). */
  earliest: () => Promise<readonly bigint[]>
  /** Aborted on shutdown: taking stops between two messages. */
  signal: AbortSignal
  metrics: IngestMetrics
  log: Logger
}

/** A partition this member holds: its buffer, the offset it resumed at, when it was assigned and when it last moved. */
export interface Owned {
  buffer: KafkaPartitionBuffer
  from: bigint
  assignedAt: number
  progressAt: number
}

/**
 * How long after an assignment a flush still looks for files an old owner wrote into its range.
 * An old owner learns it was removed within the session and rebalance timeouts (10 s and 30 s);
 * one that writes later than that also finds its commit fenced and undoes its own files.
 */
const OLD_OWNER_WINDOW_MS = 60_000

/**
 * Decodes, cleans and enriches one message into its partition's buffer; a message that fails any
 * stage becomes a dead letter, in the buffer (for the lake) and on the dead-letter topic with its
 * original key and bytes.
 *
 * @example
 * await takeMessage(options, buffer, message, BigInt(Date.now()) * 1000n)
 */
export async function takeMessage(options: MemberOptions, buffer: KafkaPartitionBuffer, message: IngestMessage, ingestedAt: bigint): Promise<void> {
  const origin = originOf(message)
  const bytes = message.value?.length ?? 0
  const decoded = decodeTagged(message, options.source)
  const outcome = decoded.ok ? decoded.value.layout.transform(decoded.value.raw, { origin, source: decoded.value.source, ingestedAt }) : decoded
  if (outcome.ok) return buffer.add({ record: outcome.value, position: message.offset }, bytes)
  const letter = deadLetter(outcome.rejection, origin, rawValueOf(message), letterSourceOf(message, options.source))
  buffer.reject(letter, message.offset, bytes)
  await options.dlq.add(deadLetterMessage(options.dlqTopic, letter, { key: message.key ?? undefined, value: message.value ?? undefined }))
}

/** What a flush did; `rows` and `letters` count what is committed (a fenced commit that landed included). */
export interface FlushResult {
  outcome: 'idle' | 'committed' | 'fenced'
  rows: number
  letters: number
  removed: number
}

/**
 * Flushes one partition: dead letters to their topic, files to the lake, other generations' files
 * in this range away, then the commit of `next`. Nothing to do when the buffer is empty and `next`
 * is already committed. A fenced commit whose tag shows it did not land has its files deleted.
 *
 * @example
 * const result = await flushPartition(options, owned, { member, generation, from: owned.from }, committed)
 */
export async function flushPartition(options: MemberOptions, owned: Owned, tag: CommitTag, committed: bigint): Promise<FlushResult> {
  const { buffer } = owned
  const { consumer, kafka, store, topic, metrics, log } = options
  const { partition } = buffer
  if (buffer.count === 0 && buffer.next <= committed) return { outcome: 'idle', rows: 0, letters: 0, removed: 0 }
  const stop = metrics.flushSeconds.startTimer({ partition: String(partition) })
  // Dead letters reach the dead-letter topic before their offsets are committed.
  await options.dlq.drain()
  const flushed = await buffer.flush(store)
  // An old owner that has not yet noticed it lost the partition may have written into this range.
  const recent = performance.now() - owned.assignedAt < OLD_OWNER_WINDOW_MS
  const removed = recent ? (await removeUncommitted(store, topic, new Map([[partition, owned.from]]), tag.generation)).length : 0
  metrics.removedFiles.inc(removed)
  if ((await fencedCommit(consumer, kafka, { topic, partition, offset: buffer.next, tag })) === 'fenced') {
    const state = (await committedStates(consumer, topic, [partition])).get(partition) ?? { offset: -1n }
    // A retried commit can be refused although its first try landed; its files are then committed data.
    const landed = commitLanded(state, tag, buffer.next)
    if (!landed) await undoFlush(store, flushed.files)
    metrics.fencedFlushes.inc()
    log.warn({ partition, generation: tag.generation, files: flushed.files.length, landed }, landed ? 'commit fenced after it landed: files kept' : 'commit fenced: partition moved on, flush undone')
    return { outcome: 'fenced', rows: landed ? flushed.rows : 0, letters: landed ? flushed.letters : 0, removed }
  }
  stop()
  metrics.written.inc({ partition: String(partition) }, flushed.rows)
  metrics.deadLettered.inc({ partition: String(partition) }, flushed.letters)
  log.debug({ partition, rows: flushed.rows, letters: flushed.letters, next: String(buffer.next) }, 'flushed and committed')
  return { outcome: 'committed', rows: flushed.rows, letters: flushed.letters, removed }
}

/**
 * The partition to flush early when the buffers together hold more than `budget` message bytes:
 * the largest one. Undefined while within the budget.
 *
 * @example
 * const over = overBudget(owned, 16 * 1024 * 1024)
 */
export function overBudget(owned: ReadonlyMap<number, Owned>, budget: number): number | undefined {
  let total = 0
  let largest: number | undefined
  for (const [partition, { buffer }] of owned) {
    total += buffer.bytes
    if (largest === undefined || buffer.bytes > owned.get(largest)!.buffer.bytes) largest = partition
  }
  return total > budget ? largest : undefined
}

/**
 * Moves partitions whose next offset the log no longer holds (retention deleted it) to the log's
 * start, logging and counting the offsets that can never be read. Returns how many there were.
 *
 * @example
 * totals.skipped += skipDeleted(owned, await fetcher.earliest(), options)
 */
export function skipDeleted(owned: ReadonlyMap<number, Owned>, earliest: readonly bigint[], options: Pick<MemberOptions, 'metrics' | 'log'>): number {
  let skipped = 0
  for (const [partition, { buffer }] of owned) {
    const start = earliest[partition]
    if (start === undefined || start <= buffer.next) continue
    const lost = Number(start - buffer.next)
    skipped += lost
    options.metrics.skipped.inc({ partition: String(partition) }, lost)
    options.log.warn({ partition, from: String(buffer.next), to: String(start), lost }, 'offsets deleted by the topic retention before they were read: skipped')
    buffer.skipTo(start)
  }
  return skipped
}
