import { DEFAULTS } from '../core/config.ts'
import type { DeadLetter, IncidentRecord } from '../core/record.ts'
import type { Encoder } from '../lake/column-pack.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { addToColumns, writeColumns, writeDeadLetters, type PartitionColumns, type PositionedLetter, type WrittenFile } from './lake-files.ts'

export interface BatcherOptions {
  store: ObjectStore
  /** Names the files: the same stream and positions always give the same file names. */
  stream: string
  /** Rows per Parquet file (one lake partition each). */
  fileRows?: number
  /** Rows held in memory over all partitions; past it the least recently used partition is written early. */
  bufferedRows?: number
  /** Dead letters per JSON-lines file. */
  deadLetterRows?: number
  /** Encodes the Parquet files elsewhere (EncodeThread); without it, on the calling thread. */
  encoder?: Encoder
}

/**
 * Files being encoded and stored at once. With one, small files (the FBI file's 360 months of about
 * 600 rows) left the reading thread idle a sixth of the time, waiting for the encode thread's answer.
 */
const WRITES_UNDER_WAY = 4

/**
 * The lake sink of the in-process path: buffers records per lake partition (year/month of the
 * incident date) and writes a partition as one Parquet file when it holds `fileRows` rows. Memory
 * stays bounded however many partitions a file spans: past `bufferedRows` in all, the partition that
 * went longest without a new row is written early. For input sorted by date (as the source files
 * are) that is a month that is complete, so it still gets one file. A file is encoded (on the
 * `encoder`'s thread, when given) and stored (an upload, on S3) while rows keep coming; past
 * WRITES_UNDER_WAY such writes `add` waits for the oldest to finish, so memory stays bounded.
 * `files` lists the files written so far, in order.
 *
 * @example
 * const batcher = new PartitionBatcher({ store, stream: 'file-austin.csv' })
 * await batcher.add(record, 2n)
 * const { files } = await batcher.finish()
 */
export class PartitionBatcher {
  readonly files: WrittenFile[] = []
  readonly deadLetterFiles: string[] = []
  private readonly options: Required<Omit<BatcherOptions, 'encoder'>> & Pick<BatcherOptions, 'encoder'>
  // Rows are laid out as columns as they come: typed arrays the garbage collector need not trace,
  // and records that die young instead of waiting in the old generation for their file.
  private readonly open = new Map<number, PartitionColumns>()
  private letters: PositionedLetter[] = []
  private readonly writing: Promise<WrittenFile>[] = []
  private buffered = 0
  private latest = -1

  constructor(options: BatcherOptions) {
    this.options = { fileRows: DEFAULTS.fileRows, bufferedRows: 20_000, deadLetterRows: 10_000, ...options }
  }

  /**
   * Adds a record; returns a promise only when a file had to be written, which the caller must
   * await before the next add. Most rows thus cost no promise and no trip through the microtask queue.
   */
  add(record: IncidentRecord, position: bigint): Promise<void> | undefined {
    // A number, not a `${year}-${month}` text: no string per row (months are 1 to 12). The source is
    // not in it: a batcher writes one stream, the rows of one input, and so of one source.
    const id = record.year * 16 + record.month
    const open = this.open.get(id)
    const batch = addToColumns(open, record, position)
    // Re-inserting keeps the Map in least-recently-used order: its first key is the stalest partition.
    // Sorted input adds to the same partition row after row, which is then already the last key.
    if (id !== this.latest || !open) {
      this.open.delete(id)
      this.open.set(id, batch)
      this.latest = id
    }
    this.buffered++
    if (batch.builder.rows >= this.options.fileRows) return this.flush(id)
    if (this.buffered >= this.options.bufferedRows) return this.flush(this.open.keys().next().value!)
    return undefined
  }

  async reject(letter: DeadLetter, position: bigint): Promise<void> {
    this.letters.push({ letter, position })
    if (this.letters.length >= this.options.deadLetterRows) await this.flushLetters()
  }

  /** Writes everything still buffered. */
  async finish(): Promise<{ files: WrittenFile[]; deadLetterFiles: string[] }> {
    for (const id of [...this.open.keys()]) await this.flush(id)
    while (this.writing.length) this.files.push(await this.writing.shift()!)
    await this.flushLetters()
    return { files: this.files, deadLetterFiles: this.deadLetterFiles }
  }

  /**
   * After a failure, waits for the writes still under way and keeps those that completed: the
   * process must not exit in the middle of one (its temporary file would stay), and the files
   * written are what a report of the rows safely in the lake counts.
   */
  async settle(): Promise<WrittenFile[]> {
    for (const result of await Promise.allSettled(this.writing.splice(0))) {
      if (result.status === 'fulfilled') this.files.push(result.value)
    }
    return this.files
  }

  private async flush(id: number): Promise<void> {
    const batch = this.open.get(id)
    if (!batch?.builder.rows) return
    this.open.delete(id)
    this.buffered -= batch.builder.rows
    const write = writeColumns(this.options.store, this.options.stream, batch, this.options.encoder)
    // Its failure is thrown where it is awaited, below or in finish; until then it is not unhandled.
    write.catch(() => {})
    this.writing.push(write)
    while (this.writing.length >= WRITES_UNDER_WAY) this.files.push(await this.writing.shift()!)
  }

  private async flushLetters(): Promise<void> {
    if (!this.letters.length) return
    const batch = this.letters
    this.letters = []
    this.deadLetterFiles.push(...(await writeDeadLetters(this.options.store, this.options.stream, batch)))
  }
}
