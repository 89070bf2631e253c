import { detached } from '../transforms/raw-row.ts'

/**
 * The distinct texts one CSV column has held, so that a repeated cell is handed out as the string
 * kept for its text rather than as a new one: most cells of a hate-crime file repeat (a few hundred
 * vocabulary spellings, a few thousand dates, ten districts), so most cells of a row are strings
 * kept from earlier rows, and the fresh slice each was looked up with dies young.
 * A column whose texts keep being new (incident numbers) stops being looked up once its table
 * holds {@link LIMIT} texts; from then on its cells are plain slices.
 */

/** Distinct texts a column's table holds at most. */
const LIMIT = 8192

/**
 * One column's distinct texts.
 *
 * @example
 * const cells = new CellTable()
 * const a = cells.cell('Anti-Jewish,x'.slice(0, 11))
 * cells.cell('x,Anti-Jewish'.slice(2)) === a // the same string
 */
export class CellTable {
  private readonly texts = new Map<string, string>()
  private open = true

  /** The kept string of `text` when the column has held that text before; `text` is new otherwise. */
  cell(text: string): string {
    if (!this.open) return text
    const kept = this.texts.get(text)
    if (kept !== undefined) return kept
    if (this.texts.size >= LIMIT) {
      this.open = false
      this.texts.clear()
      return text
    }
    // Kept as a copy: a slice would keep the whole 64 KiB chunk alive for as long as the table lives.
    const own = detached(text)
    this.texts.set(own, own)
    return own
  }
}
