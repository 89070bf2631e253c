import { HatecrimesError } from '../core/errors.ts'
import { MessagePacker } from '../sources/kafka-message-pack.ts'
import type { FetchedRecords } from '../sources/kafka-record-walker.ts'
import { kafkaStream } from '../lake/partitions.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { checkSealed, writeSealed, type FlushedFile, type SealedFlush } from './kafka-partition-buffer.ts'
import type { LetterToSend, TakenFlush } from './take-partitions.ts'
import type { TakeThreads } from './take-thread.ts'

/**
 * A flush sealed on the main thread: the offsets it covers (from `first` up to `next`, the offset to
 * commit once its files are written), how many messages it took, and its files as the take thread
 * makes them.
 */
export interface HandedFlush {
  stream: string
  first: bigint
  next: bigint
  taken: number
  made: Promise<TakenFlush>
}

/** Tells the take thread's buffers apart: each assignment of a partition gets a new one. */
let nextId = 0

/**
 * The main thread's side of a Kafka partition whose records the take thread buffers
 * (take-partitions.ts): its offsets, message bytes and age, as KafkaPartitionBuffer keeps them, and
 * the messages taken since they were last handed over, packed. The member decides every flush here
 * (rows, bytes, age, idleness, memory bound), by messages taken, so the cuts are the same as a buffer's on
 * this thread; the take thread decodes and lays out the records and encodes the files.
 *
 * @example
 * const handover = new KafkaPartitionHandover(thread, 'incidents', 0, 1200n, 3)
 * handover.add(part.records, 0, BigInt(Date.now()) * 1000n)
 * const { files } = await writeHanded(store, handover.seal())
 */
export class KafkaPartitionHandover {
  readonly partition: number
  readonly stream: string
  /** The next offset expected; after a seal, the offset to commit once the flush is written. */
  next: bigint
  bytes = 0
  /** When the oldest unflushed offset arrived (ms, performance clock); undefined when none. */
  since: number | undefined
  private first: bigint
  private taken = 0
  private ingestedAt = 0n
  private readonly id = nextId++
  private readonly generation: number
  private readonly thread: TakeThreads
  private readonly packer: MessagePacker

  constructor(thread: TakeThreads, topic: string, partition: number, next: bigint, generation: number) {
    this.thread = thread
    this.partition = partition
    this.stream = kafkaStream(topic, partition, generation)
    this.generation = generation
    this.next = this.first = next
    this.packer = new MessagePacker(topic, partition)
  }

  /** Messages taken since the last seal. */
  get count(): number {
    return this.taken
  }

  /** Takes fetched record `index` (packed, for the take thread); `ingestedAt` is its records' ingest time. */
  add(records: FetchedRecords, index: number, ingestedAt: bigint): void {
    if (!this.packer.count) this.ingestedAt = ingestedAt
    this.packer.add(records, index)
    this.taken++
    this.took(records.offsets[index] + 1n, Math.max(records.spans[4 * index + 3], 0))
  }

  /** Moves `next` over offsets that hold no record (a transaction marker at the end of a fetch). */
  skipTo(next: bigint): void {
    if (next > this.next) this.took(next, 0)
  }

  /** Hands the messages taken since the last handover to the take thread. */
  handOver(): void {
    if (!this.packer.count) return
    const { packed, transfer } = this.packer.done()
    this.thread.take({ id: this.id, generation: this.generation, ingestedAt: this.ingestedAt, packed }, transfer)
  }

  /** Cuts everything taken off as a flush whose files the take thread makes; takes on from `next`. */
  seal(): HandedFlush {
    this.handOver()
    const made = this.taken ? this.thread.seal(this.id, this.partition) : Promise.resolve({ files: [], folders: [], rows: 0, letters: 0, toSend: [] })
    const flush: HandedFlush = { stream: this.stream, first: this.first, next: this.next, taken: this.taken, made }
    // A flush dropped unwritten (its partition was lost) must not leave a failed one unhandled.
    made.catch(() => undefined)
    this.first = this.next
    this.taken = 0
    this.bytes = 0
    this.since = undefined
    return flush
  }

  /** Lets the partition go: what the take thread holds of it is dropped, none of it is written. */
  drop(): void {
    this.thread.drop(this.id, this.partition)
  }

  private took(next: bigint, bytes: number): void {
    this.next = next
    this.bytes += bytes
    this.since ??= performance.now()
  }
}

/**
 * A handed flush written to the lake and read back: its files with the tags they had right after
 * (to undo exactly those writes), its dead letters for the dead-letter topic, and what checkSealed
 * found (the rows and dead letters in the files, or BALANCE_BROKEN when they are not all there).
 */
export interface WrittenFlush {
  sealed: SealedFlush
  toSend: LetterToSend[]
  files: FlushedFile[]
  checked: Promise<{ rows: number; letters: number }>
}

/**
 * Writes a handed flush's files as soon as the take thread has made them, and reads them back, so
 * that the step committing the flush finds them written. The take thread must have taken every
 * message the flush took (else BALANCE_BROKEN). Fails when the take thread or a write fails; a
 * failed check is kept in `checked`, for the committing step to judge.
 *
 * @example
 * const { files, checked } = await writeHanded(store, handover.seal())
 */
export async function writeHanded(store: ObjectStore, flush: HandedFlush): Promise<WrittenFlush> {
  const made = await flush.made
  const { stream, first, next } = flush
  if (made.rows + made.letters !== flush.taken) {
    throw new HatecrimesError('BALANCE_BROKEN', `Expected the take thread to hold the ${flush.taken} messages of ${stream} (offsets ${first} to ${next - 1n}) (it held ${made.rows} records and ${made.letters} dead letters)`)
  }
  const sealed: SealedFlush = { files: made.files, folders: made.folders, stream, first, next, rows: made.rows, letters: made.letters }
  const { files } = await writeSealed(store, sealed)
  const checked = checkSealed(store, sealed)
  await checked.catch(() => undefined)
  return { sealed, toSend: made.toSend, files, checked }
}
