import Papa from 'papaparse'

/**
 * Incremental CSV parsing a whole chunk at a time, with papaparse's own parser. Papaparse's Node
 * stream mode hands out one row per read and, when its small object buffer is full, pauses and later
 * re-parses the rest of its 64 KiB chunk; at one pause per row that costs more than the parse. Here
 * each chunk is parsed once into all its complete records; the unfinished last record (a line cut by
 * the chunk boundary, or a quoted field whose newline was in this chunk) is kept and parsed again
 * with the next chunk, which is what papaparse's streamers do between chunks.
 */

/** The part of papaparse's ParserHandle (not in its type definitions) that its streamers use. */
interface ParserHandle {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): { data: string[][]; meta: { cursor: number; delimiter: string } }
}
type ParserHandleClass = new (config: Papa.ParseConfig) => ParserHandle

const { ParserHandle } = Papa as unknown as { ParserHandle: ParserHandleClass }

/**
 * Parses CSV text given in consecutive chunks into records (arrays of fields), guessing the
 * delimiter and line ending from the first chunk as papaparse does. Blank lines come out as records
 * of one empty field, as papaparse gives them with `skipEmptyLines: false`.
 *
 * @example
 * const parser = new ChunkParser()
 * parser.parse('a,b\r\n1,', false) // [['a', 'b']]
 * parser.parse('2\r\n', false) // [['1', '2']]
 * parser.parse('', true) // []
 */
export class ChunkParser {
  private readonly handle = new ParserHandle({ skipEmptyLines: false })
  private partial = ''
  private baseIndex = 0
  private delimiter = ','
  /** Set while the rest of a dropped record is read past. */
  private skipping: RecordEnd | undefined

  /**
   * The complete records that `chunk` ends, in order. With `last`, the text kept from earlier
   * chunks is the final record even without a line end (and an unclosed quote runs to the end).
   */
  parse(chunk: string, last: boolean): string[][] {
    if (this.skipping) {
      const end = this.skipping.find(chunk)
      if (end < 0) return []
      this.skipping = undefined
      chunk = chunk.slice(end)
    }
    const text = this.partial + chunk
    if (!text) return []
    const results = this.handle.parse(text, this.baseIndex, !last)
    this.delimiter = results.meta.delimiter
    if (last) {
      this.partial = ''
    } else {
      this.partial = text.substring(results.meta.cursor - this.baseIndex)
      this.baseIndex = results.meta.cursor
    }
    return results.data
  }

  /** The unfinished record kept for the next chunk: it grows without end on an unclosed quote. */
  get pending(): string {
    return this.partial
  }

  /**
   * Drops the unfinished record and returns the text it had so far: the rest of it, in later
   * chunks, is read past up to its line end, and parsing goes on from there.
   */
  dropPending(): string {
    const text = this.partial
    const skipping = new RecordEnd(this.delimiter)
    const end = skipping.find(text)
    this.partial = end < 0 ? '' : text.slice(end)
    this.baseIndex = 0
    if (end < 0) this.skipping = skipping
    return end < 0 ? text : text.slice(0, end)
  }
}

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d

/**
 * Finds where a record ends without keeping its text, chunk after chunk: a line break outside
 * quotes. A field that starts with a quote runs to its closing quote (`""` inside it is a quote).
 */
class RecordEnd {
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
