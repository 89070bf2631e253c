import { createReadStream, statSync, type ReadStream } from 'node:fs'
import { basename } from 'node:path'
import { HatecrimesError } from '../core/errors.ts'
import type { HeaderMatch, Layout } from '../layouts/layout.ts'
import { MAX_RECORD_CHARS } from './csv-chunks.ts'
import { ChunkParser } from './csv-parser.ts'
import { ChunkDecoder, encodingName } from './csv-decoding.ts'
import { HeaderedRows, type CsvBatch, type CsvItem } from './csv-header.ts'
import { inputBytes } from './input-bytes.ts'

export type { CsvBatch, CsvItem } from './csv-header.ts'

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

/** The file's text encoding and the largest record it may hold, as the commands take them. */
export interface CsvReadOptions {
  /** A TextDecoder label (default utf-8, checked byte by byte; a UTF-16 byte-order mark is recognised). */
  encoding?: string
  /** Characters one record may hold (default 1 MiB): a longer one (a runaway quote) goes to the dead letters unread, and the read goes on. */
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
 * stays flat on any file size. Each chunk the file stream gives is parsed whole (csv-parser.ts) into a
 * batch of records; `batches()` hands them out as arrays, and iterating the reader hands out single
 * records from the same batches.
 * Handles quotes, embedded commas and newlines, a BOM, CRLF, blank lines (skipped and counted) and
 * headers in any order, spelled as any of the layout's published names. Rows with too few or too
 * many fields, rows past the size limit and rows holding bytes the encoding cannot decode come out as
 * problems naming the row (csv-header.ts), and the read goes on.
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
  private readonly totalBytes: number
  private rows: HeaderedRows | undefined
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

  /** How the header read: the layout and where its columns are; set once the header row is read. */
  get header(): HeaderMatch | undefined {
    return this.rows?.header
  }

  get stats(): CsvStats {
    return { ...(this.rows?.counts ?? { rows: 0, blankLines: 0 }), ...this.bytes() }
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
    // The signal closes the file on abort, and leaving the loop early closes it too; the file
    // stream counts the bytes read from disk, compressed or not. The decoder keeps a multi-byte
    // character whole when it straddles two chunks.
    this.stream = createReadStream(this.path, { signal: this.signal })
    const decoder = new ChunkDecoder(this.options.encoding)
    const maxRecordChars = this.options.maxRecordChars ?? MAX_RECORD_CHARS
    const parser = new ChunkParser()
    const rows = (this.rows = new HeaderedRows(file, maxRecordChars, this.forced))
    try {
      for await (const bytes of inputBytes(this.stream, this.path)) {
        const { text, undecoded } = decoder.decode(bytes, false)
        const batch = rows.itemsOf(parser.parse(text, false), undecoded)
        // A record still open past the limit (a quote left open, a line without end) is turned
        // away now, and the rest of it read past: holding it whole could fill memory.
        if (parser.pending.length > maxRecordChars) batch.push(rows.oversized(parser.dropPending()))
        if (batch.length) yield batch
      }
      const { text, undecoded } = decoder.decode(new Uint8Array(0), true)
      const batch = rows.itemsOf(parser.parse(text, true), undecoded)
      if (batch.length) yield batch
    } catch (error) {
      throw readFailure(error, this.path)
    } finally {
      this.stream.destroy()
    }
    if (!rows.header) throw new HatecrimesError('BAD_INPUT', `Expected a header row in ${file} (the file is empty)`)
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
