import { createReadStream, statSync, type ReadStream } from 'node:fs'
import { basename } from 'node:path'
import Papa from 'papaparse'
import { HatecrimesError } from '../core/errors.ts'
import { RAW_COLUMNS, RAW_HEADERS, type RawColumn, type RawRow, type Rejection } from '../core/record.ts'

/** One record of the file: a row to transform, or a problem that goes to the dead letters. */
export type CsvItem =
  | { kind: 'row'; row: number; raw: RawRow }
  | { kind: 'problem'; row: number; rejection: Rejection; raw: string[] }

/** Header text compared without case, spaces or punctuation, so `Offense(s)` matches `offenses`. */
const headerKey = (text: string) => text.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]/g, '')
const HEADER_KEYS = new Map(RAW_COLUMNS.map((column) => [headerKey(RAW_HEADERS[column]), column]))

/** Where each raw column sits in this file's header; throws when a required column is missing. */
function columnPositions(header: string[], file: string): Map<RawColumn, number> {
  const positions = new Map<RawColumn, number>()
  header.forEach((text, index) => {
    const column = HEADER_KEYS.get(headerKey(text)) ?? HEADER_KEYS.get(headerKey(text).replace(/_/g, ''))
    if (column && !positions.has(column)) positions.set(column, index)
  })
  const missing = RAW_COLUMNS.filter((column) => !positions.has(column)).map((column) => `"${RAW_HEADERS[column]}"`)
  if (missing.length) {
    throw new HatecrimesError(
      'BAD_INPUT',
      `Expected the Austin header in row 1 of ${file}, missing ${missing.join(', ')} (got ${header.map((h) => JSON.stringify(h)).join(', ')})`,
    )
  }
  return positions
}

/**
 * A streaming reader of an Austin-layout CSV: never loads the whole file, and pauses the parser
 * while the consumer is busy. Handles quotes, embedded commas and newlines, a BOM, CRLF, blank
 * lines (skipped and counted) and headers in any order. Rows with too few or too many fields come
 * out as problems naming the row. `row` is the spreadsheet row number: the header is row 1.
 *
 * @example
 * const csv = readCsv('austin.csv')
 * for await (const item of csv) if (item.kind === 'row') handle(item.raw)
 * console.log(csv.stats.blankLines)
 */
export class CsvReader implements AsyncIterable<CsvItem> {
  readonly path: string
  readonly stats = { rows: 0, blankLines: 0 }
  private readonly totalBytes: number
  private stream: ReadStream | undefined

  constructor(path: string) {
    this.path = path
    try {
      this.totalBytes = statSync(path).size
    } catch {
      throw new HatecrimesError('INPUT_MISSING', `Expected a CSV file at ${path} (no such file)`)
    }
  }

  /** Bytes read so far and the file's size, for a progress bar. */
  progress(): { bytesRead: number; totalBytes: number } {
    return { bytesRead: this.stream?.bytesRead ?? 0, totalBytes: this.totalBytes }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<CsvItem> {
    const file = basename(this.path)
    this.stream = createReadStream(this.path)
    const parser = this.stream.pipe(Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: false }))
    this.stream.on('error', (error) => parser.destroy(error))
    let positions: Map<RawColumn, number> | undefined
    let width = 0
    let row = 0
    for await (const fields of parser as AsyncIterable<string[]>) {
      row++
      if (fields.length === 1 && fields[0].trim() === '') {
        this.stats.blankLines++
        continue
      }
      if (!positions) {
        positions = columnPositions(fields, file)
        width = fields.length
        continue
      }
      this.stats.rows++
      if (fields.length !== width) {
        const message = `Expected ${width} fields at row ${row} of ${file} (got ${fields.length})`
        yield { kind: 'problem', row, rejection: { stage: 'read', code: 'column_count', message }, raw: fields }
        continue
      }
      const raw = {} as RawRow
      for (const [column, index] of positions) raw[column] = fields[index]
      yield { kind: 'row', row, raw }
    }
    if (!positions) throw new HatecrimesError('BAD_INPUT', `Expected a header row in ${file} (the file is empty)`)
  }
}

/** Opens a CSV for streaming; see {@link CsvReader}. */
export function readCsv(path: string): CsvReader {
  return new CsvReader(path)
}
