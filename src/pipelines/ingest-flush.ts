import type { Logger } from 'pino'
import { HatecrimesError } from '../core/errors.ts'
import type { KafkaConfig } from '../core/kafka-config.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { deadLetterMessage } from '../sinks/dead-letter-topic.ts'
import type { HandedFlush, KafkaPartitionHandover, WrittenFlush } from '../sinks/kafka-partition-handover.ts'
import { removeUncommitted, undoFlush } from '../sinks/kafka-uncommitted.ts'
import type { BatchSender } from '../sinks/kafka-topic.ts'
import type { LetterToSend } from '../sinks/take-partitions.ts'
import type { TakeThreads } from '../sinks/take-thread.ts'
import { commitLanded, committedStates, fencedCommit, type CommitTag, type IngestConsumer } from '../sources/kafka-consumer.ts'
import type { IngestMetrics } from './ingest-metrics.ts'

export interface MemberOptions {
  consumer: IngestConsumer
  kafka: KafkaConfig
  store: ObjectStore
  topic: string
  dlqTopic: string
  /** Sends dead letters to the dead-letter topic; drained before every commit. */
  dlq: BatchSender
  /** Decodes, cleans and lays out the records, and encodes a flush's files. */
  thread: TakeThreads
  flushRows: number
  flushBytes: number
  flushMs: number
  /** A partition that got no new record for this long is flushed. */
  idleMs: number
  /** Message bytes buffered over all partitions; past it the largest partition is flushed early. */
  maxBufferedBytes: number
  /** The first offset each partition's log still holds (where a partition without a commit starts). */
  earliest: () => Promise<readonly bigint[]>
  /** Aborted on shutdown: taking stops between two messages. */
  signal: AbortSignal
  metrics: IngestMetrics
  log: Logger
}

/** A flush sealed off a partition's buffer (when, on the performance clock) and its files being made on the take thread, then written (writeHanded). */
export interface Sealed {
  flush: HandedFlush
  written: Promise<WrittenFlush>
  at: number
}

/**
 * A partition this member holds: its buffer (its records on the take thread), the flush sealed off
 * it and not yet committed, the lake partition folders its flushes wrote since it was assigned, the
 * offset it resumed at, when it was assigned, when it last moved, and since when its fetches have
 * ended short of its log's end (undefined when the last one reached it).
 */
export interface Owned {
  buffer: KafkaPartitionHandover
  sealed?: Sealed
  folders: Set<string>
  from: bigint
  assignedAt: number
  progressAt: number
  behindSince?: number
}

/**
 * How long after an assignment a flush still looks for files an old owner wrote into its range.
 * An old owner learns it was removed within the session and rebalance timeouts (10 s and 30 s);
 * one that writes later than that also finds its commit fenced and undoes its own files.
 */
const OLD_OWNER_WINDOW_MS = 60_000

/** What a flush did; `rows` and `letters` count what is committed (a fenced commit that landed included). */
export interface FlushResult {
  outcome: 'idle' | 'committed' | 'fenced'
  rows: number
  letters: number
  removed: number
}

/**
 * Completes one flush of a partition: dead letters to their topic, its files written (waiting for
 * writeHanded, which wrote them as soon as the take thread made them) and their rows checked
 * against what the flush took, other generations' files in this range away, then the commit of the
 * sealed `next`. Nothing to do when the flush holds nothing and its `next` is already committed. A fenced
 * commit whose tag shows it did not land has its files deleted. Files missing at the check are a
 * new owner's clean-up when the member has lost the partition (a commit of the offset already
 * committed is fenced): the flush is then undone like a fenced one; otherwise the balance is broken
 * and the ingest stops.
 *
 * @example
 * const result = await flushPartition(options, owned, owned.sealed, { member, generation, from: owned.from }, committed)
 */
export async function flushPartition(options: MemberOptions, owned: Owned, { flush, written, at }: Sealed, tag: CommitTag, committed: bigint): Promise<FlushResult> {
  const { consumer, kafka, store, topic, metrics, log } = options
  const { partition } = owned.buffer
  if (flush.taken === 0 && flush.next <= committed) return { outcome: 'idle', rows: 0, letters: 0, removed: 0 }
  const { sealed, toSend, files, checked } = await written
  // Dead letters reach the dead-letter topic before their offsets are committed.
  await options.dlq.addAll(toSend.map((item) => letterMessage(options.dlqTopic, item)))
  await options.dlq.drain()
  let removed = 0
  const fenced = (landed: { rows: number; letters: number } | undefined): FlushResult => {
    metrics.fencedFlushes.inc()
    log.warn({ partition, generation: tag.generation, files: files.length, landed: !!landed }, landed ? 'commit fenced after it landed: files kept' : 'commit fenced: partition moved on, flush undone')
    return { outcome: 'fenced', rows: landed?.rows ?? 0, letters: landed?.letters ?? 0, removed }
  }
  const flushed = await checked.catch(async (error: unknown) => {
    const broken = error instanceof HatecrimesError && error.code === 'BALANCE_BROKEN'
    if (!broken || (await fencedCommit(consumer, kafka, { topic, partition, offset: committed, tag })) !== 'fenced') throw error
    return undefined
  })
  if (!flushed) {
    await undoFlush(store, files)
    return fenced(undefined)
  }
  // An old owner that has not yet noticed it lost the partition may have written into this range,
  // into the lake partitions this owner's records of the range go to.
  for (const folder of sealed.folders) owned.folders.add(folder)
  const recent = performance.now() - owned.assignedAt < OLD_OWNER_WINDOW_MS
  const within = { partition, folders: owned.folders }
  removed = recent ? (await removeUncommitted(store, topic, new Map([[partition, owned.from]]), tag.generation, within)).length : 0
  metrics.removedFiles.inc(removed)
  if ((await fencedCommit(consumer, kafka, { topic, partition, offset: sealed.next, tag })) === 'fenced') {
    const state = (await committedStates(consumer, topic, [partition])).get(partition) ?? { offset: -1n }
    // A retried commit can be refused although its first try landed; its files are then committed data.
    const landed = commitLanded(state, tag, sealed.next)
    if (!landed) await undoFlush(store, files)
    return fenced(landed ? flushed : undefined)
  }
  metrics.flushSeconds.observe({ partition: String(partition) }, (performance.now() - at) / 1000)
  metrics.written.inc({ partition: String(partition) }, flushed.rows)
  metrics.deadLettered.inc({ partition: String(partition) }, flushed.letters)
  log.debug({ partition, rows: flushed.rows, letters: flushed.letters, next: String(sealed.next) }, 'flushed and committed')
  return { outcome: 'committed', rows: flushed.rows, letters: flushed.letters, removed }
}

/** A dead letter as its dead-letter topic message, with the key and value its message came with. */
function letterMessage(topic: string, { letter, key, value }: LetterToSend) {
  const bytes = (view: Uint8Array | null) => (view ? Buffer.from(view.buffer, view.byteOffset, view.byteLength) : undefined)
  return deadLetterMessage(topic, letter, { key: bytes(key), value: bytes(value) })
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
