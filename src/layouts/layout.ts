import type { IncidentRecord, Outcome, RawRow } from '../core/record.ts'
import type { TransformContext } from '../transforms/transform.ts'

/**
 * What a layout is: the columns of one publisher's file, how its header is recognised, and how one
 * of its rows becomes the canonical record. Each layout lives in its own folder under src/layouts/
 * and is listed once in registry.ts; the cleaning rules they share (dates, counts, vocabularies,
 * flags, dead letters) live in src/transforms/.
 */

/** One column a layout reads: its id (the key in the raw row and the Kafka message) and the header texts it goes by. */
export interface LayoutColumn {
  id: string
  /** Every header text this column has been published under; compared by {@link headerKey}. */
  names: readonly string[]
  /** A header without it is not this layout; an optional column absent from the file reads as blank. */
  required: boolean
}

/**
 * A column declaration: its id, whether a header must have it, and its published names (the first
 * is how errors name it).
 *
 * @example
 * column('offenses', true, 'Offense(s)', 'Offense', 'Offence(s)')
 */
export function column(id: string, required: boolean, ...names: string[]): LayoutColumn {
  return { id, names, required }
}

export interface Layout {
  /** The id `--layout` takes and Kafka headers carry: austin_apd, fbi_cde, ... */
  id: string
  /** What the layout reads, for error messages and the README. */
  title: string
  /** The `source` column of its records unless the user names another (synthetic data has the Austin layout). */
  source: string
  columns: readonly LayoutColumn[]
  /** Parse, clean and enrich one raw row (keyed by column id) into the canonical record. */
  transform(raw: RawRow, context: TransformContext): Outcome<IncidentRecord>
  /** The key of the row's Kafka message: its incident number or a stable key built from the row. */
  keyOf(raw: RawRow): string
}

/**
 * Header text compared without case, spaces or punctuation, so `OFFENSE (S)`, `offense_s` and
 * `Offense(s)` are one key; a byte-order mark is dropped.
 *
 * @example
 * headerKey(' Race/Ethnicity Of Offenders ') // 'raceethnicityofoffenders'
 */
export function headerKey(text: string): string {
  return text.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]/g, '')
}

/** How a header reads in one layout: where each of its columns is, and what is missing or extra. */
export interface HeaderMatch {
  layout: Layout
  /** Column ids found, parallel to `indexes` (their positions in the header). */
  columns: string[]
  indexes: number[]
  /** Per column of the layout, in its order: its position in the header, or -1 when absent. */
  slots: number[]
  /** A row of blanks with every column of the layout: each row starts as a copy, so all share one shape. */
  blank: Readonly<Record<string, string>>
  /** Required columns the header lacks, by their first published name. */
  missing: string[]
  /** Optional columns the header lacks: they read as blank. */
  absent: string[]
  /** Header texts no column of the layout claims. */
  extra: string[]
  /** Fields every record must have: the header's. */
  width: number
}

/**
 * Reads a header against one layout, tolerantly: case, spacing and punctuation do not matter, a
 * column may go by any of its published names, columns may come in any order, and extra columns
 * are kept aside (reported, not read). The first header cell that claims a column wins.
 *
 * @example
 * const match = matchHeader(AUSTIN_APD, ['Incident Number', 'Date of Incident', 'Notes'])
 * match.missing // ['Bias', 'Offense(s)', ...]; match.extra // ['Notes']
 */
export function matchHeader(layout: Layout, header: readonly string[]): HeaderMatch {
  const byKey = new Map<string, LayoutColumn>()
  for (const column of layout.columns) for (const name of column.names) byKey.set(headerKey(name), column)
  const positions = new Map<string, number>()
  const extra: string[] = []
  header.forEach((text, index) => {
    const column = byKey.get(headerKey(text))
    if (column && !positions.has(column.id)) positions.set(column.id, index)
    else if (text.trim()) extra.push(text)
  })
  const lacking = layout.columns.filter((column) => !positions.has(column.id))
  return {
    layout,
    columns: [...positions.keys()],
    indexes: [...positions.values()],
    missing: lacking.filter((column) => column.required).map((column) => column.names[0]),
    absent: lacking.filter((column) => !column.required).map((column) => column.names[0]),
    extra,
    width: header.length,
    slots: layout.columns.map((column) => positions.get(column.id) ?? -1),
    blank: Object.fromEntries(layout.columns.map((column) => [column.id, ''])),
  }
}

/**
 * A record's fields as a raw row keyed by column id; optional columns the file lacks read as blank,
 * so a layout's transform sees every column it declares.
 *
 * @example
 * const raw = rowOf(match, ['2017-1', '03/21/2017 12:00:00 AM', ...])
 */
export function rowOf(match: HeaderMatch, fields: readonly string[]): RawRow {
  // A copy of the blank row has its shape already; filling it changes values, never the shape.
  const { slots, layout } = match
  const raw: Record<string, string> = { ...match.blank }
  for (let i = 0; i < slots.length; i++) if (slots[i] >= 0) raw[layout.columns[i].id] = fields[slots[i]]
  return raw
}
