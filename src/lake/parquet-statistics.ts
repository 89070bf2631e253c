/**
 * Column chunk statistics (min, max, null count) as Parquet stores them: little-endian bytes for
 * numbers, UTF-8 for text. Text bounds are computed over a column's distinct values (the dictionary),
 * never row by row, and cut to 16 bytes as common writers cut them: a cut minimum is a prefix, a cut
 * maximum a prefix whose last character is raised by one, and either is then flagged inexact.
 */

export interface Statistics {
  nullCount: number
  min?: Uint8Array
  max?: Uint8Array
  minExact?: false
  maxExact?: false
}

const BOUND_BYTES = 16
const encoder = new TextEncoder()

// UTF-16 code units order text by code point except that surrogates (U+D800-DFFF, halves of
// characters past U+FFFF) sort below U+E000-FFFF; UTF-8 bytes, which Parquet compares, sort them
// above. Shifting the two ranges past each other gives UTF-8 order.
const rank = (unit: number) => (unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800)

/**
 * Compares texts in UTF-8 byte order (Parquet's order for strings).
 *
 * @example
 * compareUtf8('\uffff', '\u{10000}') < 0 // true, though '\uffff' > '\u{10000}' in JS
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return rank(x) - rank(y)
  }
  return a.length - b.length
}

/**
 * The statistics of a text column from the distinct values its rows use.
 *
 * @example
 * textStatistics(['b', 'a'], 3) // min 'a', max 'b', null count 3
 */
export function textStatistics(used: readonly string[], nullCount: number): Statistics {
  if (!used.length) return { nullCount }
  let min = used[0]
  let max = used[0]
  for (const value of used) {
    if (compareUtf8(value, min) < 0) min = value
    else if (compareUtf8(value, max) > 0) max = value
  }
  const low = encoder.encode(min)
  const high = encoder.encode(max)
  const stats: Statistics = { nullCount, min: low, max: high }
  if (low.length > BOUND_BYTES) [stats.min, stats.minExact] = [encoder.encode(prefix(min)), false]
  if (high.length > BOUND_BYTES) {
    const raised = raisedPrefix(max)
    if (raised !== undefined) [stats.max, stats.maxExact] = [encoder.encode(raised), false]
  }
  return stats
}

// The longest whole-character prefix of `text` that fits in BOUND_BYTES of UTF-8.
function prefix(text: string): string {
  let bytes = 0
  let end = 0
  for (const char of text) {
    const size = utf8Size(char.codePointAt(0)!)
    if (bytes + size > BOUND_BYTES) break
    bytes += size
    end += char.length
  }
  return text.slice(0, end)
}

// The UTF-8 bytes of a code point (a lone surrogate, which TextEncoder writes as U+FFFD, takes 3 too).
const utf8Size = (code: number) => (code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4)

// A prefix of `text` raised at its last character that can be, so that it sorts after `text`; none
// when every character is U+10FFFF.
function raisedPrefix(text: string): string | undefined {
  const chars = Array.from(prefix(text))
  while (chars.length) {
    const code = chars.pop()!.codePointAt(0)!
    if (code === 0x10ffff) continue
    const next = String.fromCodePoint(code === 0xd7ff ? 0xe000 : code + 1)
    const candidate = chars.join('') + next
    if (encoder.encode(candidate).length <= BOUND_BYTES) return candidate
  }
  return undefined
}

/**
 * The statistics of a numeric column, from its smallest and largest values (NaN bounds when it is all null).
 *
 * @example
 * numberStatistics('INT32', 1, 12, 0) // min 01 00 00 00, max 0c 00 00 00
 */
export function numberStatistics(type: 'INT32' | 'INT64' | 'BOOLEAN', min: number | bigint, max: number | bigint, nullCount: number): Statistics {
  if (typeof min === 'number' && Number.isNaN(min)) return { nullCount }
  return { nullCount, min: numberBytes(type, min), max: numberBytes(type, max) }
}

function numberBytes(type: 'INT32' | 'INT64' | 'BOOLEAN', value: number | bigint): Uint8Array {
  if (type === 'BOOLEAN') return Uint8Array.of(Number(value))
  const bytes = new Uint8Array(type === 'INT32' ? 4 : 8)
  const view = new DataView(bytes.buffer)
  if (type === 'INT32') view.setInt32(0, Number(value), true)
  else view.setBigInt64(0, BigInt(value), true)
  return bytes
}
