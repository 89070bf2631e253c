import type { Logger } from 'pino'
import type { KafkaConfig } from '../core/kafka-config.ts'
import { deadLetter, type DeadLetter, type Rejection } from '../core/record.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { deadLetterMessage } from '../sinks/dead-letter-topic.ts'
import { KafkaPartitionBuffer, partitionStream, removeUncommitted, undoFlush } from '../sinks/kafka-partition-buffer.ts'
import type { BatchSender } from '../sinks/kafka-topic.ts'
import { committedOffset, fencedCommit, resumeOffsets, type IngestConsumer } from '../sources/kafka-consumer.ts'
import { decodeMessage, originOf, rawValueOf, type IngestMessage } from '../sources/kafka-message.ts'
import { transformRow } from '../transforms/transform.ts'
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
  metrics: IngestMetrics
  log: Logger
}

/**
 * The exactly-once core of the ingest: one buffer per owned Kafka partition, flushed as lake files
 * and then committed. Everything that touches the buffers runs one step at a time through
 * `serial`, so timer flushes, messages and rebalances never interleave.
 *
 * The protocol, per Kafka partition:
 * 1. On assignment (start or rebalance), before its first message is used, resume at the group's
 *    committed offset C and delete the partition's files whose first offset is >= C: leftovers of a
 *    flush whose commit never happened. The replay from C writes those records again.
 * 2. Records are taken only in offset order from C on (`offset === next`); replays and stale
 *    messages of an earlier assignment are skipped.
 * 3. A flush (rows, bytes, age, memory bound, revocation or shutdown) writes all the partition's
 *    lake-partition batches and dead letters, then commits `next` under the generation the
 *    partition was assigned in. If the coordinator refuses (the partition moved on), the flush's
 *    files are deleted and the partition is dropped; its new owner replays from C.
 *
 * @example
 * const member = new IngestMember(options)
 * consumer.on('consumer:group:join', (event) => member.onJoin(event))
 * for await (const message of stream) await member.handle(message)
 */
export class IngestMember {
  readonly committed = new Map<number, bigint>()
  readonly totals = { in: 0, written: 0, deadLettered: 0, fencedFlushes: 0, removedFiles: 0 }
  private readonly owned = new Map<number, KafkaPartitionBuffer>()
  private readonly options: MemberOptions
  private generation = -1
  private memberId = ''
  private chain: Promise<unknown> = Promise.resolve()

  constructor(options: MemberOptions) {
    this.options = options
  }

  /** Runs `work` after every step queued before it. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work)
    this.chain = run.catch(() => undefined)
    return run
  }

  /** Reacts to a new assignment (from the client's `consumer:group:join` event). */
  onJoin(event: { memberId: string | null; generationId?: number; assignments?: { topic: string; partitions: number[] }[] }): Promise<void> {
    const partitions = (event.assignments ?? []).filter((a) => a.topic === this.options.topic).flatMap((a) => a.partitions)
    return this.serial(() => this.reassign(partitions, event.generationId ?? -1, event.memberId ?? ''))
  }

  /** Takes one consumed message into its partition's buffer; flushes when a trigger is reached. */
  handle(message: IngestMessage): Promise<void> {
    return this.serial(async () => {
      const buffer = this.owned.get(message.partition)
      if (!buffer || message.topic !== this.options.topic || message.offset !== buffer.next) return
      const { metrics, source } = this.options
      const label = String(message.partition)
      metrics.recordsIn.inc({ partition: label })
      this.totals.in++
      const origin = originOf(message)
      const bytes = message.value?.length ?? 0
      const decoded = decodeMessage(message)
      const outcome = decoded.ok ? transformRow(decoded.value, { origin, source, ingestedAt: BigInt(Date.now()) * 1000n }) : decoded
      if (outcome.ok) buffer.add({ record: outcome.value, position: message.offset }, bytes)
      else {
        const letter = this.letter(outcome.rejection, message)
        buffer.reject(letter, message.offset, bytes)
        await this.options.dlq.add(deadLetterMessage(this.options.dlqTopic, letter, { value: message.value ?? undefined }))
      }
      if (buffer.count >= this.options.flushRows || buffer.bytes >= this.options.flushBytes) await this.flush(message.partition)
      else if (this.bufferedBytes() > this.options.maxBufferedBytes) await this.flush(this.largest())
    })
  }

  /** Flushes the partitions whose oldest buffered record is older than `flushMs` (idle partitions too). */
  flushAged(): Promise<void> {
    return this.serial(async () => {
      const now = performance.now()
      for (const [partition, buffer] of this.owned) {
        if (buffer.since !== undefined && now - buffer.since >= this.options.flushMs) await this.flush(partition)
      }
    })
  }

  /** Flushes and commits every owned partition (shutdown). */
  flushAll(): Promise<void> {
    return this.serial(async () => {
      for (const partition of [...this.owned.keys()]) await this.flush(partition)
    })
  }

  /** The partitions this member holds now. */
  partitions(): number[] {
    return [...this.owned.keys()]
  }

  private letter(rejection: Rejection, message: IngestMessage): DeadLetter {
    return deadLetter(rejection, originOf(message), rawValueOf(message))
  }

  private async reassign(partitions: number[], generation: number, memberId: string): Promise<void> {
    const { log, store, topic, consumer, metrics } = this.options
    this.generation = generation
    this.memberId = memberId
    for (const partition of [...this.owned.keys()]) {
      // A lost partition's buffer is dropped, not flushed: nothing of it is committed, so its new
      // owner replays it from the committed offset.
      if (!partitions.includes(partition)) this.owned.delete(partition)
    }
    const gained = partitions.filter((partition) => !this.owned.has(partition))
    const starts = gained.length ? await resumeOffsets(consumer, topic, gained) : new Map<number, bigint>()
    for (const [partition, start] of starts) {
      const buffer = new KafkaPartitionBuffer(topic, partition, start, generation)
      const removed = await removeUncommitted(store, partitionStream(topic, partition), start)
      this.totals.removedFiles += removed.length
      metrics.removedFiles.inc(removed.length)
      this.owned.set(partition, buffer)
      this.committed.set(partition, start)
    }
    log.info({ generation, partitions, gained, resumeAt: Object.fromEntries([...starts].map(([p, o]) => [p, String(o)])) }, 'partitions assigned')
  }

  private async flush(partition: number): Promise<void> {
    const buffer = this.owned.get(partition)
    if (!buffer || buffer.count === 0) return
    const { consumer, kafka, store, topic, metrics, log } = this.options
    const stop = metrics.flushSeconds.startTimer({ partition: String(partition) })
    // Dead letters reach the dead-letter topic before their offsets are committed.
    await this.options.dlq.drain()
    const flushed = await buffer.flush(store)
    const commit = { topic, partition, offset: buffer.next, generation: this.generation, memberId: this.memberId }
    if ((await fencedCommit(consumer, kafka, commit)) === 'fenced') {
      // A commit retried after a lost answer can be refused although its first try landed; the
      // files are then committed data, and deleting them would lose it. Undo only what the group
      // has not committed.
      if ((await committedOffset(consumer, topic, partition)) < buffer.next) await undoFlush(store, flushed.files)
      this.owned.delete(partition)
      this.totals.fencedFlushes++
      metrics.fencedFlushes.inc()
      log.warn({ partition, generation: this.generation, files: flushed.files.length }, 'commit fenced: partition moved on, flush undone')
      return
    }
    stop()
    this.committed.set(partition, buffer.next)
    this.totals.written += flushed.rows
    this.totals.deadLettered += flushed.letters
    metrics.written.inc({ partition: String(partition) }, flushed.rows)
    metrics.deadLettered.inc({ partition: String(partition) }, flushed.letters)
    log.debug({ partition, rows: flushed.rows, letters: flushed.letters, next: String(buffer.next) }, 'flushed and committed')
  }

  private bufferedBytes(): number {
    let total = 0
    for (const buffer of this.owned.values()) total += buffer.bytes
    return total
  }

  private largest(): number {
    let best = -1
    let size = -1
    for (const [partition, buffer] of this.owned) if (buffer.bytes > size) [best, size] = [partition, buffer.bytes]
    return best
  }
}
