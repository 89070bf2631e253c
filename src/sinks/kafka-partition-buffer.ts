import { HatecrimesError } from '../core/errors.ts'
import type { DeadLetter } from '../core/record.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { dataFileKey, kafkaStream } from '../lake/partitions.ts'
import { checkBalance } from '../lake/written-rows.ts'
import { addToColumns, deadLetterFiles, type PartitionColumns, type Positioned, type PositionedLetter } from './lake-files.ts'

/** A file a flush wrote, with the tag it had right after, to undo exactly that write. */
export interface FlushedFile {
  key: string
  etag: string
}

/** A file of a flush: its key, its bytes, and whether it holds dead letters. */
export interface SealedFile {
  key: string
  body: Uint8Array
  letters?: true
}

/**
 * A flush cut off a buffer: the files it will write, the lake folders they go to, and the offsets
 * it covers: from `first` up to `next`, the offset to commit once they are written.
 */
export interface SealedFlush {
  files: SealedFile[]
  folders: string[]
  stream: string
  first: bigint
  next: bigint
  rows: number
  letters: number
}

/**
 * The records of one Kafka partition that are consumed but not yet in the lake, all its lake
 * partitions together: a flush writes them all, so after it every offset below `next` is in a file
 * and `next` is what may be committed. `next` can run past the last record (transaction markers
 * and compacted-away offsets leave gaps), so files cover the record offsets they hold.
 *
 * @example
 * const buffer = new KafkaPartitionBuffer('incidents', 0, 1200n, 3)
 * buffer.add({ record, position: 1200n }, 850)
 * const files = await buffer.flush(store)
 * // or: seal now (the take thread does), write later
 * const sealed = buffer.seal()
 * const written = await writeSealed(store, sealed)
 */
export class KafkaPartitionBuffer {
  readonly partition: number
  readonly stream: string
  /** The next offset expected; after a flush, the offset to commit. */
  next: bigint
  /** Where the records buffered now start: the previous flush's `next`. */
  private first: bigint
  bytes = 0
  /** When the oldest unflushed offset arrived (ms, performance clock); undefined when none. */
  since: number | undefined
  /** Records already laid out as columns, one builder per lake partition (source/year/month): compact in memory. */
  private open = new Map<string, PartitionColumns>()
  /** The lake partition the last record went to. */
  private last: PartitionColumns | undefined
  private rows = 0
  private letters: PositionedLetter[] = []

  constructor(topic: string, partition: number, next: bigint, generation: number) {
    this.partition = partition
    this.stream = kafkaStream(topic, partition, generation)
    this.next = next
    this.first = next
  }

  get count(): number {
    return this.rows + this.letters.length
  }

  add(item: Positioned, bytes: number): void {
    const { record } = item
    // Neighbouring records mostly fall into the same lake partition: the last one is checked first,
    // which spares a key string and a map lookup per record.
    const last = this.last
    if (last && last.partition.year === record.year && last.partition.month === record.month && last.partition.source === record.source) {
      addToColumns(last, record, item.position)
    } else {
      const id = `${record.source}/${record.year * 100 + record.month}`
      this.open.set(id, (this.last = addToColumns(this.open.get(id), record, item.position)))
    }
    this.rows++
    this.took(item.position + 1n, bytes)
  }

  reject(letter: DeadLetter, position: bigint, bytes: number): void {
    this.letters.push({ letter, position })
    this.took(position + 1n, bytes)
  }

  /** Moves `next` over offsets that hold no record (a transaction marker at the end of a fetch). */
  skipTo(next: bigint): void {
    if (next > this.next) this.took(next, 0)
  }

  /**
   * Writes every buffered record (one Parquet file per lake partition) and dead letter (one
   * JSON-lines file), each named by this stream and its first and last offsets, then empties the
   * buffer, and checks the files read back hold every record taken (checkSealed). `next` is then
   * safe to commit.
   */
  async flush(store: ObjectStore): Promise<{ files: FlushedFile[]; rows: number; letters: number }> {
    const sealed = this.seal()
    const { files } = await writeSealed(store, sealed)
    return { files, ...(await checkSealed(store, sealed)) }
  }

  /**
   * Cuts everything buffered off as a flush and empties the buffer, which takes on from `next`.
   * The Parquet files are encoded here (their column arrays go back to the pool); nothing is written
   * until {@link writeSealed}.
   */
  seal(): SealedFlush {
    const batches = [...this.open.values()]
    const files: SealedFile[] = batches.map((batch) => ({ key: dataFileKey(batch.partition, this.stream, batch.first, batch.last), body: batch.builder.encode() }))
    for (const { key, body } of deadLetterFiles(this.stream, this.letters)) files.push({ key, body, letters: true })
    // The folders of every file, dead letters' (one per source) included.
    const folders = files.map((file) => file.key.slice(0, file.key.lastIndexOf('/')))
    const { stream, first, next, rows } = this
    const sealed: SealedFlush = { files, folders, stream, first, next, rows, letters: this.letters.length }
    this.first = this.next
    this.open = new Map()
    this.last = undefined
    this.rows = 0
    this.letters = []
    this.bytes = 0
    this.since = undefined
    return sealed
  }

  private took(next: bigint, bytes: number): void {
    this.next = next
    this.bytes += bytes
    this.since ??= performance.now()
  }
}

/**
 * Writes a sealed flush's files (each write made durable, the writes overlapping); returns each
 * file with the tag it had right after, to undo exactly that write.
 *
 * @example
 * const { files } = await writeSealed(store, buffer.seal())
 */
export async function writeSealed(store: ObjectStore, sealed: SealedFlush): Promise<{ files: FlushedFile[] }> {
  const files = await Promise.all(
    sealed.files.map(async ({ key, body }) => {
      await store.put(key, body)
      return { key, etag: (await store.head(key))?.etag ?? '' }
    }),
  )
  return { files }
}

/**
 * Checks a written flush's balance against what was written, as a run does (checkBalance): the
 * rows in its Parquet files and the lines of its dead-letter file, read back from the lake, must be
 * every record it took; else BALANCE_BROKEN. Returns the rows and dead letters found.
 *
 * @example
 * const { rows, letters } = await checkSealed(store, sealed)
 */
export async function checkSealed(store: ObjectStore, sealed: SealedFlush): Promise<{ rows: number; letters: number }> {
  const taken = sealed.rows + sealed.letters
  const input = `${sealed.stream} (offsets ${sealed.first} to ${sealed.next - 1n})`
  const keys = (letters: boolean) => sealed.files.filter((file) => (file.letters ?? false) === letters).map((file) => file.key)
  const written = await checkBalance(store, { rows: taken, input }, keys(false), keys(true))
  if (written.deadLettered !== sealed.letters) {
    throw new HatecrimesError('BALANCE_BROKEN', `Expected ${sealed.letters} dead letters of ${input} in ${store.url} (found ${written.deadLettered})`)
  }
  return { rows: written.written, letters: written.deadLettered }
}
