import { createReadStream, statSync, type ReadStream } from 'node:fs'
import { basename } from 'node:path'
import { HatecrimesError } from '../core/errors.ts'
import type { RawRow, Rejection } from '../core/record.ts'
import { rowOf, type HeaderMatch, type Layout } from '../layouts/layout.ts'
import { detectLayout } from '../layouts/registry.ts'
import { ChunkParser, isBlank, MAX_RECORD_CHARS, recordTooLong } from './csv-chunks.ts'
import { ChunkDecoder, encodingName, notUtf8 } from './csv-decoding.ts'
import { inputBytes } from './input-bytes.ts'

/** One record of the file: a row to transform, or a problem that goes to the dead letters. */
export type CsvItem =
  | { kind: 'row'; row: number; raw: RawRow }
  | { kind: 'problem'; row: number; rejection: Rejection; raw: string[] }

/** What a read has seen so far; final once the iteration ends. */
export interface CsvStats {
  /** Data records read (rows and problems), not counting the header and blank lines. */
  rows: number
  /** Blank lines (or lines of empty fields) skipped. */
  blankLines: number
  bytesRead: number
  totalBytes: number
}

/** Bytes read over the file's size, for a progress bar; `fraction` runs from 0 to 1. */
export interface CsvProgress {
  bytesRead: number
  totalBytes: number
  fraction: number
}

/** One parsed chunk of the file: its records in order, as many as a 64 KiB read holds. */
export type CsvBatch = CsvItem[]

/** The file's text encoding and the largest record it may hold, as the commands take them. */
export interface CsvReadOptions {
  /** A TextDecoder label (default utf-8, checked byte by byte; a UTF-16 byte-order mark is recognised). */
  encoding?: string
  /** Characters one record may hold (default 1 MiB): a runaway quote stops the read instead of filling memory. */
  maxRecordChars?: number
}

/** How to read a CSV: the read options, a signal that stops the read, and a layout that overrides detection. */
export interface CsvOptions extends CsvReadOptions {
  /** Aborting stops the read and closes the file. */
  signal?: AbortSignal
  /** Read the file with this layout instead of detecting one from its header. */
  layout?: Layout
}

/**
 * A streaming reader of a CSV (plain, .csv.gz or the first entry of a .zip) in any known layout (src/layouts/), found from its header or forced
 * with `layout`: never loads the whole file, and reads the next chunk
 * only when the consumer asks for more, so a busy consumer holds the read (backpressure) and memory
 * stays flat on any file size. Each chunk the file stream gives is parsed whole by papaparse into a
 * batch of records; `batches()` hands them out as arrays, and iterating the reader hands out single
 * records from the same batches.
 * Handles quotes, embedded commas and newlines, a BOM, CRLF, blank lines (skipped and counted) and
 * headers in any order, spelled as any of the layout's published names. Rows with too few or too many fields come out as problems naming the row.
 * `row` is the spreadsheet row number (the header is row 1), counting records, not lines, when a
 * quoted field holds a newline.
 *
 * @example
 * const csv = readCsv('austin.csv')
 * for await (const item of csv) if (item.kind === 'row') handle(item.raw)
 * for await (const batch of readCsv('austin.csv').batches()) console.log(batch.length)
 * console.log(csv.stats.blankLines, csv.progress().fraction)
 */
export class CsvReader implements AsyncIterable<CsvItem> {
  readonly path: string
  private readonly signal: AbortSignal | undefined
  private readonly options: CsvOptions
  private readonly forced: Layout | undefined
  /** How the header read: the layout and where its columns are; set once the header row is read. */
  header: HeaderMatch | undefined
  private readonly totalBytes: number
  private readonly counts = { rows: 0, blankLines: 0 }
  private stream: ReadStream | undefined

  constructor(path: string, options: CsvOptions = {}) {
    this.path = path
    this.signal = options.signal
    this.options = { ...options, encoding: encodingName(options.encoding) }
    this.forced = options.layout
    let stats
    try {
      stats = statSync(path)
    } catch {
      throw new HatecrimesError('INPUT_MISSING', `Expected a CSV file at ${path} (no such file)`)
    }
    if (!stats.isFile()) throw new HatecrimesError('INPUT_MISSING', `Expected a CSV file at ${path} (it is a directory)`)
    this.totalBytes = stats.size
  }

  get stats(): CsvStats {
    return { ...this.counts, ...this.bytes() }
  }

  /** Bytes read so far over the file's size. */
  progress(): CsvProgress {
    const { bytesRead, totalBytes } = this.bytes()
    return { bytesRead, totalBytes, fraction: totalBytes > 0 ? bytesRead / totalBytes : 1 }
  }

  private bytes() {
    return { bytesRead: this.stream?.bytesRead ?? 0, totalBytes: this.totalBytes }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CsvItem> {
    for await (const batch of this.batches()) {
      for (const item of batch) {
        yield item
        // A batch is already parsed: an abort still stops the records the consumer has not taken.
        this.signal?.throwIfAborted()
      }
    }
  }

  /**
   * The file's records a chunk at a time (empty chunks are skipped). The next chunk is read only
   * when the consumer asks for the next batch.
   */
  async *batches(): AsyncGenerator<CsvBatch> {
    this.signal?.throwIfAborted()
    const file = basename(this.path)
    this.counts.rows = this.counts.blankLines = 0
    // The signal closes the file on abort, and leaving the loop early closes it too; the file
    // stream counts the bytes read from disk, compressed or not. The decoder keeps a multi-byte
    // character whole when it straddles two chunks.
    this.stream = createReadStream(this.path, { signal: this.signal })
    const decoder = new ChunkDecoder(this.options.encoding)
    const maxRecordChars = this.options.maxRecordChars ?? MAX_RECORD_CHARS
    const parser = new ChunkParser()
    const layout = { row: 0 }
    this.header = undefined
    try {
      for await (const bytes of inputBytes(this.stream, this.path)) {
        const { text, invalid } = decoder.decode(bytes, false)
        const batch = this.itemsOf(parser.parse(text, false), layout, file)
        if (batch.length) yield batch
        // The record that holds the bad byte, or that outgrew the limit, is the one after those parsed.
        if (invalid) throw notUtf8(file, invalid, layout.row + 1)
        if (parser.pending.length > maxRecordChars) throw recordTooLong(file, layout.row + 1, maxRecordChars, parser.pending)
      }
      const { text, invalid } = decoder.decode(new Uint8Array(0), true)
      const batch = this.itemsOf(parser.parse(text, !invalid), layout, file)
      if (batch.length) yield batch
      if (invalid) throw notUtf8(file, invalid, layout.row + 1)
    } catch (error) {
      throw readFailure(error, this.path)
    } finally {
      this.stream.destroy()
    }
    if (!this.header) throw new HatecrimesError('BAD_INPUT', `Expected a header row in ${file} (the file is empty)`)
  }

  /** Parsed records to items: finds the header first, then counts, checks width and maps columns. */
  private itemsOf(records: string[][], layout: { row: number }, file: string): CsvBatch {
    const items: CsvBatch = []
    for (const fields of records) {
      const row = ++layout.row
      if (isBlank(fields)) {
        this.counts.blankLines++
        continue
      }
      if (!this.header) {
        this.header = detectLayout(fields, `row ${row} of ${file}`, this.forced)
        continue
      }
      this.counts.rows++
      const { width } = this.header
      if (fields.length !== width) {
        const message = `Expected ${width} fields at row ${row} of ${file} (got ${fields.length})`
        items.push({ kind: 'problem', row, rejection: { stage: 'read', code: 'column_count', message }, raw: fields })
        continue
      }
      items.push({ kind: 'row', row, raw: rowOf(this.header, fields) })
    }
    return items
  }
}

/** File-system failures while reading become errors a user can act on; others pass unchanged. */
function readFailure(error: unknown, path: string): unknown {
  const { code, syscall } = error as NodeJS.ErrnoException
  if (code?.startsWith('Z_')) {
    return new HatecrimesError('BAD_INPUT', `Expected compressed data that inflates in ${path} (got ${code}: ${(error as Error).message})`, { cause: error })
  }
  if (!syscall || !code) return error
  if (code === 'ENOENT') return new HatecrimesError('INPUT_MISSING', `Expected a CSV file at ${path} (no such file)`, { cause: error })
  return new HatecrimesError('BAD_INPUT', `Expected to read the CSV file ${path} (got ${code}: ${(error as Error).message})`, { cause: error })
}

/**
 * Opens a CSV for streaming; see {@link CsvReader}. Throws `INPUT_MISSING` at once when there is no
 * such file; with `signal`, aborting stops the read and closes the file.
 *
 * @example
 * const controller = new AbortController()
 * for await (const item of readCsv('austin.csv', { signal: controller.signal })) console.log(item.row)
 */
export function readCsv(path: string, options: CsvOptions = {}): CsvReader {
  return new CsvReader(path, options)
}
