import { HatecrimesError } from '../core/errors.ts'
import type { DeadLetterCode } from '../core/dead-letter-codes.ts'
import type { RawRow, Rejection } from '../core/record.ts'
import { rowOf, type HeaderMatch, type Layout } from '../layouts/layout.ts'
import { detectLayout } from '../layouts/registry.ts'
import { excerpt, isBlank, recordTooLong } from './csv-chunks.ts'
import { undecodedBytes } from './csv-decoding.ts'

/** One record of the file: a row to transform, or a problem that goes to the dead letters. */
export type CsvItem =
  | { kind: 'row'; row: number; raw: RawRow }
  | { kind: 'problem'; row: number; rejection: Rejection; raw: string[] }

/** One parsed chunk of the file: its records in order, as many as a 64 KiB read holds. */
export type CsvBatch = CsvItem[]

/**
 * Parsed records to items, in file order: the first record that is not blank is the header, which
 * says the layout (detected, or the one forced) and where its columns are; every later record
 * becomes a row keyed by column id, or a problem naming its row when it cannot be read as one: the
 * wrong number of fields, more characters than `maxRecordChars`, or bytes the file's encoding
 * cannot decode (csv-decoding.ts marks them). A problem in the header itself stops the read, since
 * without a layout no row can be read.
 *
 * @example
 * const rows = new HeaderedRows('austin.csv', 1_048_576)
 * const batch = rows.itemsOf([['Incident Number', ...], ['2017-1', ...]], 0) // [{ kind: 'row', row: 2, raw }]
 * rows.header?.layout.id // 'austin_apd'
 */
export class HeaderedRows {
  /** How the header read: the layout and where its columns are; set once the header row is read. */
  header: HeaderMatch | undefined
  /** Data records (rows and problems) and blank lines so far. */
  readonly counts = { rows: 0, blankLines: 0 }
  private readonly file: string
  private readonly maxRecordChars: number
  private readonly forced: Layout | undefined
  /** Records handed in so far, the header and blank lines included: the last one's spreadsheet row. */
  private row = 0
  /** Undecodable bytes in the text parsed so far that no problem has reported yet. */
  private undecoded = 0

  constructor(file: string, maxRecordChars: number, forced?: Layout) {
    this.file = file
    this.maxRecordChars = maxRecordChars
    this.forced = forced
  }

  /** Items of the next records; `undecoded` counts the undecodable bytes in the text decoded since the last call. */
  itemsOf(records: string[][], undecoded: number): CsvBatch {
    const items: CsvBatch = []
    this.undecoded += undecoded
    const { maxRecordChars } = this
    for (const fields of records) {
      const row = ++this.row
      if (isBlank(fields)) {
        this.counts.blankLines++
        continue
      }
      let chars = 0
      for (let i = 0; i < fields.length; i++) chars += fields[i].length
      if (chars > maxRecordChars) {
        items.push(this.tooLong(row, fields.join(','), true))
        continue
      }
      // Most files have no undecodable byte, and then no row is searched for one.
      if (this.undecoded > 0) {
        const bad = fields.filter((field) => !field.isWellFormed())
        if (bad.length) {
          for (const field of bad) this.undecoded -= undecodedBytes(field).length
          items.push(this.undecodable(row, fields, bad[0]))
          continue
        }
      }
      if (!this.header) {
        this.header = detectLayout(fields, `row ${row} of ${this.file}`, this.forced)
        continue
      }
      this.counts.rows++
      const { width } = this.header
      if (fields.length !== width) {
        const message = `Expected ${width} fields at row ${row} of ${this.file} (got ${fields.length})`
        items.push({ kind: 'problem', row, rejection: { stage: 'read', code: 'column_count', message }, raw: fields })
        continue
      }
      items.push({ kind: 'row', row, raw: rowOf(this.header, fields) })
    }
    return items
  }

  /** The problem of the record that outgrew the limit before it ended; `text` is how it starts. */
  oversized(text: string): CsvItem {
    return this.tooLong(++this.row, text, false)
  }

  private tooLong(row: number, text: string, ended: boolean): CsvItem {
    const message = recordTooLong(this.file, row, this.maxRecordChars, text, ended)
    return this.problem(row, 'record_too_long', message, [excerpt(text)])
  }

  private undecodable(row: number, fields: readonly string[], bad: string): CsvItem {
    // The dead letter shows each undecodable byte as U+FFFD, as a lenient decoder would have stored it.
    const bytes = undecodedBytes(bad).map((byte) => `0x${byte.toString(16).padStart(2, '0')}`)
    const message =
      `Expected UTF-8 text at row ${row} of ${this.file}, found byte ${bytes.join(', ')} in ${JSON.stringify(excerpt(bad.toWellFormed(), 80))}, so the row is not stored altered; ` +
      'give the file\'s encoding with --encoding (for example --encoding windows-1252 or latin1)'
    return this.problem(row, 'not_utf8', message, fields.map((field) => field.toWellFormed()))
  }

  private problem(row: number, code: DeadLetterCode, message: string, raw: string[]): CsvItem {
    if (!this.header) throw new HatecrimesError('BAD_INPUT', `${message}; the header cannot be read past it`)
    this.counts.rows++
    return { kind: 'problem', row, rejection: { stage: 'read', code, message }, raw }
  }
}
