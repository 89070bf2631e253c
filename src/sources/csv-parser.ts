import { detached } from '../transforms/raw-row.ts'
import { RecordEnd } from './csv-chunks.ts'

/**
 * Incremental CSV parsing a whole chunk at a time: every complete record of the text is parsed
 * once, and the unfinished last one (a line cut by the chunk boundary, or a quoted field whose
 * newline was in this chunk) is kept and parsed again with the next chunk. Fields follow RFC 4180
 * as papaparse reads them: a field that starts with a quote runs to its closing quote (`""` inside
 * it is one quote, line breaks are kept), spaces may follow the closing quote, a quote inside an
 * unquoted field is a character. Lines end as the header line's does: CRLF or LF, or CR alone (old
 * Mac files). A byte-order mark is dropped.
 *
 * Papaparse, the parser before this one, runs a general state machine (configurable quotes,
 * escapes, comments, previews) over each chunk; this one does only what the sources need, and finds
 * the end of each unquoted field with indexOf, which scans natively. Keeping each column's repeated
 * cells as one shared string was tried as well, and cost more than it saved (BENCHMARKS.md).
 */

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const CANDIDATES = [',', '\t', ';', '|']

/**
 * The delimiter a header line uses: the candidate it holds most often, a comma when it holds none.
 *
 * @example
 * guessDelimiter('a;b;c\n1;2;3') // ';'
 */
export function guessDelimiter(text: string): string {
  const end = text.search(/[\r\n]/)
  const line = end < 0 ? text : text.slice(0, end)
  let best = ','
  let most = 0
  for (const candidate of CANDIDATES) {
    const count = line.split(candidate).length - 1
    if (count > most) [best, most] = [candidate, count]
  }
  return best
}

/**
 * Parses CSV text given in consecutive chunks into records (arrays of fields), guessing the
 * delimiter from the header line. Blank lines come out as records of one empty field.
 *
 * @example
 * const parser = new ChunkParser()
 * parser.parse('a,b\r\n1,', false) // [['a', 'b']]
 * parser.parse('2\r\n', false) // [['1', '2']]
 * parser.parse('', true) // []
 */
export class ChunkParser {
  private partial = ''
  private delimiter = ''
  private delimiterCode = -1
  /** The character that ends a line: LF (a CR before it is dropped), or CR in a file whose lines end with CR alone. */
  private newline = '\n'
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
    let text = this.partial + chunk
    const records: string[][] = []
    if (!text) return records
    if (!this.delimiter) {
      // The header line says the delimiter and the line end: wait for the character after its first line break.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      const lineBreak = text.search(/[\r\n]/)
      if (!last && (lineBreak < 0 || lineBreak + 1 === text.length)) {
        this.partial = text
        return records
      }
      this.delimiter = guessDelimiter(text)
      this.delimiterCode = this.delimiter.charCodeAt(0)
      if (text[lineBreak] === '\r' && text[lineBreak + 1] !== '\n') this.newline = '\r'
    }
    let at = 0
    while (at < text.length) {
      const end = this.record(text, at, last, records)
      if (end < 0) break
      at = end
    }
    // A copy, so that the kept text does not hold on to the whole chunk it was cut from.
    this.partial = at < text.length ? detached(text.slice(at)) : ''
    return records
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
    const skipping = new RecordEnd(this.delimiter || ',')
    const end = skipping.find(text)
    this.partial = end < 0 ? '' : text.slice(end)
    if (end < 0) this.skipping = skipping
    return end < 0 ? text : text.slice(0, end)
  }

  /** Parses the record at `at` into `out`; returns where the next one starts, or -1 when it is not complete in `text`. */
  private record(text: string, at: number, last: boolean, out: string[][]): number {
    const n = text.length
    const { delimiter, newline } = this
    // Fields are found with indexOf, which scans natively; only quoted fields look at characters one by one.
    let lineEnd = text.indexOf(newline, at)
    if (lineEnd < 0) {
      if (!last) return -1
      lineEnd = n
    }
    const fields: string[] = []
    let i = at
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const field = this.quoted(text, i, last)
        if (!field) return -1
        fields.push(field.value)
        i = field.end
        if (i >= n) break
        const code = text.charCodeAt(i)
        if (code === this.delimiterCode) {
          i++
          // A quoted line break moved the record's end further on.
          if (i > lineEnd) {
            lineEnd = text.indexOf(newline, i)
            if (lineEnd < 0) {
              if (!last) return -1
              lineEnd = n
            }
          }
          continue
        }
        out.push(fields)
        return code === CR && text.charCodeAt(i + 1) === LF ? i + 2 : i + 1
      }
      const next = text.indexOf(delimiter, i)
      if (next >= 0 && next < lineEnd) {
        fields.push(text.slice(i, next))
        i = next + 1
        continue
      }
      // The last field; a CR before an LF line end is part of the line end, not of the field.
      const end = lineEnd > i && newline === '\n' && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd
      fields.push(text.slice(i, end))
      out.push(fields)
      return lineEnd + 1
    }
    out.push(fields)
    return n
  }

  /** The quoted field at `start` and the index after it (past spaces after its closing quote), or undefined when it is not complete. */
  private quoted(text: string, start: number, last: boolean): { value: string; end: number } | undefined {
    const n = text.length
    let value = ''
    let from = start + 1
    for (;;) {
      const close = text.indexOf('"', from)
      if (close < 0) {
        // An unclosed quote runs to the end of the file.
        return last ? { value: value + text.slice(from), end: n } : undefined
      }
      if (text.charCodeAt(close + 1) === QUOTE) {
        value += text.slice(from, close + 1)
        from = close + 2
        continue
      }
      let after = close + 1
      while (after < n && text.charCodeAt(after) === SPACE) after++
      if (after === n && !last) return undefined
      const code = after < n ? text.charCodeAt(after) : -1
      if (code === this.delimiterCode || code === LF || code === CR || code === -1) {
        return { value: value + text.slice(from, close), end: after }
      }
      // Text after a closing quote: papaparse reads that quote as a character, and so does this parser.
      value += text.slice(from, close + 1)
      from = close + 1
    }
  }
}
