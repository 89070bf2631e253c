import { invalid, ok, type Outcome, type RawRow } from '../core/record.ts'

/**
 * The raw row and its cells: checking a decoded Kafka message body (the decode stage), the
 * whitespace rule every cell goes through first, a memo for per-cell mappings, and the way a found
 * value is shown in an error message.
 */

/**
 * Checks a decoded Kafka message body against its layout's column ids: an object with every column
 * as a string, which is then the raw row itself. Extra keys are let be, and no layout reads them (a
 * newer producer may add some); missing or non-string columns make the message invalid.
 *
 * @example
 * const outcome = toRawRow(JSON.parse(message.value.toString()), AUSTIN_COLUMN_IDS)
 * if (!outcome.ok) console.log(outcome.rejection.message) // Expected every raw column in the message (missing: bias)
 */
export function toRawRow(value: unknown, columns: readonly string[]): Outcome<RawRow> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value
    return invalid('decode', 'not_an_object', `Expected a JSON object with the ${columns.length} raw columns (got ${found})`)
  }
  const record = value as Record<string, unknown>
  // The common case in one pass; the lists of what is wrong are made only for a message that fails.
  // The body itself is the row (no copy): a layout reads its own columns only.
  return allStrings(columns)(record) ? ok(record as RawRow) : fieldProblem(record, columns)
}

const checkers = new WeakMap<readonly string[], (record: Record<string, unknown>) => boolean>()

/**
 * Whether a record holds a string in each of `columns`, as one test made once per list of columns.
 * The test reads each column by its name, written into the code, which V8 caches for the shape the
 * messages share: a loop over the names reads each one by a generic lookup, seven times slower (0.28
 * µs a message against 0.04 alone; 0.1 - 0.2 µs of a message's 1.8 µs decode). The names go in as
 * JSON strings, so no column id can be read as code.
 */
function allStrings(columns: readonly string[]): (record: Record<string, unknown>) => boolean {
  let check = checkers.get(columns)
  if (!check) {
    const tests = columns.map((column) => `typeof record[${JSON.stringify(column)}] === 'string'`)
    check = new Function('record', `return ${tests.join(' && ') || 'true'}`) as (record: Record<string, unknown>) => boolean
    checkers.set(columns, check)
  }
  return check
}

/** Why a message body's fields are not the raw row: the columns missing, else those not strings. */
function fieldProblem(record: Record<string, unknown>, columns: readonly string[]): Outcome<RawRow> {
  const missing = columns.filter((column) => !(column in record))
  if (missing.length) {
    return invalid('decode', 'missing_fields', `Expected every raw column in the message (missing: ${missing.join(', ')})`)
  }
  const wrong = columns.filter((column) => typeof record[column] !== 'string')
  const found = wrong.map((column) => `${column}: ${shown(record[column])}`).join(', ')
  return invalid('decode', 'wrong_field_type', `Expected a string in every raw column (got ${found})`)
}

// Any leading or trailing whitespace, a run of two, or a tab or line break: most cells have none,
// so one test spares the trim-and-replace on the hot path.
const UNTIDY = /^\s|\s$|\s\s|[^\S ]/
const WHITESPACE = /\s+/g

/**
 * A cell trimmed, with every run of whitespace collapsed to one space: the first cleaning rule.
 *
 * @example
 * tidyCell('  Parking Lots/  Garage ') // 'Parking Lots/ Garage'
 */
export function tidyCell(cell: string): string {
  return UNTIDY.test(cell) ? cell.trim().replace(WHITESPACE, ' ') : cell
}

const SHOWN_LENGTH = 80

/**
 * A found value as an error message quotes it: a string JSON-quoted, anything else as JSON (so
 * 78701 and "78701" read differently), cut short so one huge cell cannot flood a dead-letter file
 * or a log line.
 *
 * @example
 * shown('2017-13-45') // '"2017-13-45"'
 * shown(78701) // '78701'
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > SHOWN_LENGTH ? `${value.slice(0, SHOWN_LENGTH)}...` : value)
  const json = JSON.stringify(value) ?? String(value)
  return json.length > SHOWN_LENGTH ? `${json.slice(0, SHOWN_LENGTH)}...` : json
}

/**
 * A copy of a cell that holds only its own characters. The CSV parser's cells are slices of the
 * 64 KiB chunk they were read from, and V8 keeps the whole chunk alive while any slice of it is; a
 * memo that kept parser slices would pin one chunk per distinct cell, hundreds of MiB on a long file.
 *
 * @example
 * memo.set(detached(cell), value) // the memo keeps 20 characters, not the 64 KiB chunk
 */
export function detached(cell: string): string {
  // V8 copies a slice shorter than 13 characters; a longer one is a view of its chunk. JSON.parse
  // makes a new flat string of the characters. A copy made by slicing a concatenation held nothing
  // of the chunk either, but it was again a view (of the concatenation), and a Map compared its keys
  // held that way four to five times slower: 57 - 71 ns a lookup against 12 - 13 with flat keys.
  return cell.length < 13 ? cell : (JSON.parse(JSON.stringify(cell)) as string)
}

/**
 * Memoises a mapping of cell text. The vocabulary columns repeat a few hundred distinct texts over
 * millions of rows, so each text is split, looked up and flagged once. The memo is emptied when it
 * reaches `limit` entries, so odd input cannot grow it without bound; it keeps and maps a
 * {@link detached} copy of each cell, so it pins no parser chunk. Results are shared between rows:
 * callers must not change them.
 *
 * @example
 * const locationOf = perCell((cell) => lookupLocation(tidyCell(cell)) ?? null)
 * locationOf('Parking Lots/ Garage') // 'Parking/Drop Lot/Garage', computed once
 */
export function perCell<T>(map: (cell: string) => T, limit = 10_000): (cell: string) => T {
  const memo = new Map<string, T>()
  return (cell) => {
    let value = memo.get(cell)
    if (value === undefined && !memo.has(cell)) {
      if (memo.size >= limit) memo.clear()
      const own = detached(cell)
      value = map(own)
      memo.set(own, value)
    }
    return value as T
  }
}

/** A mapped cell with the kept copy of the text it was mapped from, which a `raw_*` column stores. */
export type Kept<T> = T & { readonly raw: string }

/**
 * {@link perCell} for a mapping whose rows also keep the cell's text as written: each result carries
 * the {@link detached} copy as `raw`, so a row spends no second lookup on it (see rawText).
 *
 * @example
 * const mapLocation = perCellKept((cell) => ({ location: lookupLocation(cell) ?? null }))
 * mapLocation('Parking Lots/ Garage').raw // 'Parking Lots/ Garage'
 */
export function perCellKept<T extends object>(map: (cell: string) => T, limit?: number): (cell: string) => Kept<T> {
  return perCell((cell) => ({ ...map(cell), raw: cell }), limit)
}

/**
 * The kept copy of a raw cell that records carry as written (`raw_bias` and the like): one
 * {@link detached} string per distinct text, shared by every row that has it.
 *
 * @example
 * rawText(raw.bias) === rawText(sameTextFromAnotherRow) // true
 */
export const rawText = perCell((cell: string) => cell)

/** The empty flag list that rows without a problem share, so a clean row allocates none. */
export const NO_FLAGS: readonly string[] = Object.freeze([])
