import type { Row } from '../lake/lake-query.ts'

const text = (value: unknown): string => {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/**
 * Formats rows as an aligned text table, numbers right-aligned, with a row count under it.
 *
 * @example
 * console.log(formatTable([{ year: 2017, incidents: 17 }]))
 */
export function formatTable(rows: readonly Row[]): string {
  if (!rows.length) return '(no rows)'
  const columns = Object.keys(rows[0])
  const cells = rows.map((row) => columns.map((column) => text(row[column])))
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i].length)))
  const numeric = columns.map((column) => rows.every((row) => row[column] === null || !Number.isNaN(Number(row[column]))))
  const pad = (value: string, i: number) => (numeric[i] ? value.padStart(widths[i]) : value.padEnd(widths[i]))
  const lines = [
    columns.map(pad).join('  '),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.map((line) => line.map(pad).join('  ')),
  ]
  return `${lines.join('\n')}\n(${rows.length} row${rows.length === 1 ? '' : 's'})`
}

/** Formats rows as RFC 4180 CSV with a header line. */
export function formatCsv(rows: readonly Row[]): string {
  if (!rows.length) return ''
  const columns = Object.keys(rows[0])
  const field = (value: unknown) => {
    const raw = text(value)
    return /[",\n\r]/.test(raw) ? `"${raw.replaceAll('"', '""')}"` : raw
  }
  return [columns.join(','), ...rows.map((row) => columns.map((column) => field(row[column])).join(','))].join('\n')
}
