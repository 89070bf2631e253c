import { createReadStream, statSync, type ReadStream } from 'node:fs'
import { basename } from 'node:path'
import { HatecrimesError } from '../core/errors.ts'
import { RAW_COLUMNS, RAW_HEADERS, type RawColumn, type RawRow, type Rejection } from '../core/record.ts'
import { ChunkParser, excerpt, isBlank, MAX_RECORD_CHARS, recordTooLong } from './csv-chunks.ts'
import { ChunkDecoder, encodingName, notUtf8 } from './csv-decoding.ts'

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

/** Header text compared without case, spaces or punctuation, so `OFFENSE (S)` matches `Offense(s)`. */
const headerKey = (text: string) => text.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]/g, '')
const HEADER_KEYS = new Map(RAW_COLUMNS.map((column) => [headerKey(RAW_HEADERS[column]), column]))

/** Where each raw column sits in this file's header, as parallel lists for the per-row copy. */
interface Layout {
  columns: RawColumn[]
  indexes: number[]
  /** Fields every record must have: the header's. */
  width: number
}

/** The layout of this file's header; throws when a required column is missing. */
function columnLayout(header: string[], where: string): Layout {
  const positions = new Map<RawColumn, number>()
  header.forEach((text, index) => {
    const column = HEADER_KEYS.get(headerKey(text))
    if (column && !positions.has(column)) positions.set(column, index)
  })
  const missing = RAW_COLUMNS.filter((column) => !positions.has(column)).map((column) => `"${RAW_HEADERS[column]}"`)
  if (missing.length) {
    const found = excerpt(header.map((text) => JSON.stringify(text)).join(', '))
    throw new HatecrimesError('BAD_INPUT', `Expected the Austin header in ${where}, missing ${missing.join(', ')} (got ${found})`)
  }
  return { columns: [...positions.keys()], indexes: [...positions.values()], width: header.length }
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

/** How to read a CSV: the read options, and a signal that stops the read. */
export interface CsvOptions extends CsvReadOptions {
  signal?: AbortSignal
}

/**
 * A streaming reader of an Austin-layout CSV: never loads the whole file, and reads the next chunk
 * only when the consumer asks for more, so a busy consumer holds the read (backpressure) and memory
 * stays flat on any file size. Each chunk the file stream gives is parsed whole by papaparse into a
 * batch of records; `batches()` hands them out as arrays, and iterating the reader hands out single
 * records from the same batches.
 * Handles quotes, embedded commas and newlines, a BOM, CRLF, blank lines (skipped and counted) and
 * headers in any order. Rows with too few or too many fields come out as problems naming the row.
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
  private readonly totalBytes: number
  private readonly counts = { rows: 0, blankLines: 0 }
  private stream: ReadStream | undefined

  constructor(path: string, options: CsvOptions = {}) {
    this.path = path
    this.signal = options.signal
    this.options = { ...options, encoding: encodingName(options.encoding) }
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
    // The decoder keeps a multi-byte character whole when it straddles two chunks; the signal closes
    // the file on abort, and leaving the loop early closes it too.
    this.stream = createReadStream(this.path, { signal: this.signal })
    const decoder = new ChunkDecoder(this.options.encoding)
    const maxRecordChars = this.options.maxRecordChars ?? MAX_RECORD_CHARS
    const parser = new ChunkParser()
    const layout = { positions: undefined as Layout | undefined, row: 0 }
    try {
      for await (const bytes of this.stream as AsyncIterable<Buffer>) {
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
    if (!layout.positions) throw new HatecrimesError('BAD_INPUT', `Expected a header row in ${file} (the file is empty)`)
  }

  /** Parsed records to items: finds the header first, then counts, checks width and maps columns. */
  private itemsOf(records: string[][], layout: { positions: Layout | undefined; row: number }, file: string): CsvBatch {
    const items: CsvBatch = []
    for (const fields of records) {
      const row = ++layout.row
      if (isBlank(fields)) {
        this.counts.blankLines++
        continue
      }
      if (!layout.positions) {
        layout.positions = columnLayout(fields, `row ${row} of ${file}`)
        continue
      }
      this.counts.rows++
      const { columns, indexes, width } = layout.positions
      if (fields.length !== width) {
        const message = `Expected ${width} fields at row ${row} of ${file} (got ${fields.length})`
        items.push({ kind: 'problem', row, rejection: { stage: 'read', code: 'column_count', message }, raw: fields })
        continue
      }
      const raw = {} as RawRow
      for (let i = 0; i < columns.length; i++) raw[columns[i]] = fields[indexes[i]]
      items.push({ kind: 'row', row, raw })
    }
    return items
  }
}

/** File-system failures while reading become errors a user can act on; others pass unchanged. */
function readFailure(error: unknown, path: string): unknown {
  const { code, syscall } = error as NodeJS.ErrnoException
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
