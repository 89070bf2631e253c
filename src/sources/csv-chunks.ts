/**
 * What the CSV reader checks around its parser (csv-parser.ts): the record size limit and how a
 * record past it is read past and reported, blank records, and how much of an input a message quotes.
 */

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d

/**
 * Finds where a record ends without keeping its text, chunk after chunk: a line break outside
 * quotes. A field that starts with a quote runs to its closing quote (`""` inside it is a quote).
 *
 * @example
 * const end = new RecordEnd(',')
 * end.find('"a\nb') // -1: the quoted field goes on
 * end.find('",c\r\nnext') // 5, where the next record starts
 */
export class RecordEnd {
  private readonly delimiter: number
  private quoted = false
  private closing = false
  private fieldStart = true

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0)
  }

  /** The index just past the record's line break in `text`, or -1 when the record goes on past it. */
  find(text: string): number {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i)
      if (this.closing) {
        this.closing = false
        if (code === QUOTE) continue
        this.quoted = false
      }
      if (this.quoted) {
        if (code === QUOTE) this.closing = true
      } else if (code === QUOTE && this.fieldStart) {
        this.quoted = true
        this.fieldStart = false
      } else if (code === this.delimiter) {
        this.fieldStart = true
      } else if (code === LF || code === CR) {
        return code === CR && text.charCodeAt(i + 1) === LF ? i + 2 : i + 1
      } else {
        this.fieldStart = false
      }
    }
    return -1
  }
}

/** The largest record read by default, in characters: real rows are under 1 KiB. */
export const MAX_RECORD_CHARS = 1024 * 1024

/** Characters of an input that a message quotes at most, so a runaway line never floods the terminal. */
const QUOTED_CHARS = 200

/**
 * Input text for a message, cut to a few hundred characters, with its full length when it was cut.
 *
 * @example
 * excerpt('x'.repeat(5000)) // 'xxx…x… (5000 characters in all)'
 */
export function excerpt(text: string, limit = QUOTED_CHARS): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters in all)`
}

/**
 * Why a record past the size limit is turned away: where it starts, how it starts, and what to do.
 * An unclosed quote is the usual cause: the rest of the file then reads as one field.
 *
 * @example
 * recordTooLong('austin.csv', 17, MAX_RECORD_CHARS, parser.dropPending(), false) // 'Expected records of at most 1048576 characters in austin.csv, ...'
 */
export function recordTooLong(file: string, row: number, limit: number, text: string, ended: boolean): string {
  const quotes = text.split('"').length - 1
  const cause = ended ? '' : quotes % 2 === 1 ? ' (it holds an odd number of quotes: a quote left open?)' : ' (no line end)'
  return (
    `Expected records of at most ${limit} characters in ${file}, found a record over that starting at row ${row}${cause}; ` +
    `it starts with ${JSON.stringify(text.slice(0, QUOTED_CHARS))}…; raise --max-record-chars if the file really holds such records`
  )
}

/**
 * Whether a record holds nothing: a blank line, or a spreadsheet's empty row (`,,,,`).
 *
 * @example
 * isBlank(['', ' ', '']) // true
 */
export function isBlank(fields: readonly string[]): boolean {
  for (const field of fields) if (field.length && field.trim() !== '') return false
  return true
}
