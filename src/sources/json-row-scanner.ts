import { Buffer } from 'node:buffer'
import type { RawRow } from '../core/record.ts'

/** Slots of a column's table of recent texts (a power of two). */
const SLOTS = 1024
/** Longer texts are decoded each time, not kept: a table holds at most SLOTS x this many bytes. */
const LONGEST_KEPT = 96
/** After this many texts, a column whose texts were mostly new (identifiers, timestamps) stops keeping them. */
const TRIAL = 512

const QUOTE = 0x22
const BACKSLASH = 0x5c
const CLOSE = 0x7d

/**
 * The texts one column had lately, by a hash of their bytes: a cell whose bytes are a kept text's
 * comes back as that very string, so rows share their vocabulary cells instead of each holding new
 * copies, and the memos that map them find them by a hash V8 has already computed.
 */
class ColumnTexts {
  private hashes = new Int32Array(SLOTS)
  private bytes: (Uint8Array | undefined)[] = new Array(SLOTS).fill(undefined)
  private texts: string[] = new Array(SLOTS).fill('')
  private seen = 0
  private fresh = 0
  /** Set once most texts proved new: each is then decoded, and the table let go. */
  private decodeOnly = false

  text(body: Buffer, start: number, end: number, hash: number): string {
    const length = end - start
    if (this.decodeOnly || length > LONGEST_KEPT) return body.toString('utf8', start, end)
    this.seen++
    const slot = (hash ^ (hash >>> 15)) & (SLOTS - 1)
    const kept = this.bytes[slot]
    if (kept !== undefined && this.hashes[slot] === hash && kept.length === length) {
      let at = 0
      while (at < length && body[start + at] === kept[at]) at++
      if (at === length) return this.texts[slot]
    }
    const text = body.toString('utf8', start, end)
    this.bytes[slot] = Uint8Array.prototype.slice.call(body, start, end)
    this.texts[slot] = text
    this.hashes[slot] = hash
    if (++this.fresh * 2 > this.seen && this.seen >= TRIAL) this.stopKeeping()
    return text
  }

  private stopKeeping(): void {
    this.decodeOnly = true
    this.hashes = new Int32Array(0)
    this.bytes = []
    this.texts = []
  }
}

/**
 * Reads a message body as `produce` writes it, without JSON.parse: one JSON object whose keys are
 * the layout's columns in order, each with a string of no escapes (`{"a":"x","b":"y"}`), no
 * spaces between. Such a body gives the raw row JSON.parse would, with repeated cells as one
 * string each (ColumnTexts). Anything else (another order, other keys, escapes, numbers, spaces,
 * bytes that are no JSON at all) is left to JSON.parse: `scan` returns undefined.
 *
 * JSON.parse made a new string of every cell and took a fifth of the ingest's take path; this
 * takes a quarter less time than JSON.parse on such bodies, and the shared cells spare the memos
 * and column builders their hashing (see BENCHMARKS.md).
 *
 * @example
 * const scanner = new JsonRowScanner(['bias', 'zip_code'])
 * scanner.scan(Buffer.from('{"bias":"Anti-Jewish","zip_code":"78701"}')) // { bias: 'Anti-Jewish', zip_code: '78701' }
 */
export class JsonRowScanner {
  /** Per column, the bytes before its text: `{"id":"` for the first, `,"id":"` after. */
  private readonly prefixes: Uint8Array[]
  private readonly columns: ColumnTexts[]
  private readonly cells: string[]
  private readonly row: (cells: string[]) => RawRow

  constructor(ids: readonly string[]) {
    this.prefixes = ids.map((id, index) => Buffer.from(`${index ? ',' : '{'}${JSON.stringify(id)}:"`))
    this.columns = ids.map(() => new ColumnTexts())
    this.cells = new Array(ids.length).fill('')
    // The row as one object literal made once: every row has the same shape, the layout's keys in
    // order as JSON.parse lists them. `__proto__` is the one key a literal reads otherwise (as the
    // prototype), so such a layout gets its rows from Object.fromEntries, which keeps it a plain
    // key. The ids go in as JSON strings, so no id can be read as code.
    this.row = ids.includes('__proto__')
      ? (cells) => Object.fromEntries(ids.map((id, index) => [id, cells[index]]))
      : (new Function('c', `return {${ids.map((id, index) => `${JSON.stringify(id)}: c[${index}]`).join(', ')}}`) as (cells: string[]) => RawRow)
  }

  scan(body: Buffer): RawRow | undefined {
    const { prefixes, cells } = this
    const end = body.length
    let at = 0
    for (let column = 0; column < prefixes.length; column++) {
      const prefix = prefixes[column]
      const length = prefix.length
      if (at + length > end) return undefined
      for (let k = 0; k < length; k++) if (body[at + k] !== prefix[k]) return undefined
      at += length
      const start = at
      let hash = 0
      let byte = 0
      while (at < end) {
        byte = body[at]
        if (byte === QUOTE || byte === BACKSLASH || byte < 0x20) break
        hash = (Math.imul(hash, 31) + byte) | 0
        at++
      }
      if (byte !== QUOTE || at === end) return undefined
      cells[column] = this.columns[column].text(body, start, at, hash)
      at++
    }
    return at === end - 1 && body[at] === CLOSE ? this.row(cells) : undefined
  }
}
