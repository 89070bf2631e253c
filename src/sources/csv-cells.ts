import { detached } from '../transforms/raw-row.ts'

/**
 * The distinct texts one CSV column has held, so that a repeated cell is handed out as the string
 * kept for its text rather than as a new one. Looked up by a hash of the characters in the chunk's
 * text, before any string is made: most cells of a hate-crime file repeat (a few hundred
 * vocabulary spellings, a few thousand dates, ten districts), so most rows make no string at all.
 * A column whose texts keep being new (incident numbers) stops being looked up once its table
 * holds {@link LIMIT} texts; from then on its cells are plain slices.
 */

/** Slots of a column's table: a power of two, twice the texts it may hold, so that probes stay short. */
const SLOTS = 1 << 14
const LIMIT = SLOTS >> 1
const MASK = SLOTS - 1

/**
 * The hash the tables use for `text[start, end)`; the parser computes the same one as it scans.
 *
 * @example
 * hashText('Anti-Jewish', 0, 11) === hashText('x,Anti-Jewish', 2, 13) // true
 */
export function hashText(text: string, start: number, end: number): number {
  let hash = 0
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0
  return hash
}

function sameText(kept: string, text: string, start: number): boolean {
  for (let i = 0; i < kept.length; i++) if (kept.charCodeAt(i) !== text.charCodeAt(start + i)) return false
  return true
}

/**
 * One column's distinct texts (open addressing on the text's hash, linear probing).
 *
 * @example
 * const cells = new CellTable()
 * const a = cells.cell('Anti-Jewish,Anti-Jewish', 0, 11, hashText('Anti-Jewish,Anti-Jewish', 0, 11))
 * cells.cell('Anti-Jewish,Anti-Jewish', 12, 23, hashText('Anti-Jewish,Anti-Jewish', 12, 23)) === a // the same string
 */
export class CellTable {
  private texts: (string | undefined)[] = new Array(SLOTS)
  private hashes = new Int32Array(SLOTS)
  private size = 0
  private open = true

  /** The text `text[start, end)`, whose {@link hashText} is `hash`: the kept string when the column has held it before. */
  cell(text: string, start: number, end: number, hash: number): string {
    if (!this.open) return text.slice(start, end)
    const length = end - start
    const { texts, hashes } = this
    let slot = hash & MASK
    for (let kept = texts[slot]; kept !== undefined; kept = texts[slot]) {
      if (hashes[slot] === hash && kept.length === length && sameText(kept, text, start)) return kept
      slot = (slot + 1) & MASK
    }
    // Kept as a copy: a slice would keep the whole 64 KiB chunk alive for as long as the table lives.
    const own = detached(text.slice(start, end))
    if (++this.size >= LIMIT) {
      this.open = false
      this.texts = []
      this.hashes = new Int32Array(0)
      return own
    }
    texts[slot] = own
    hashes[slot] = hash
    return own
  }
}
