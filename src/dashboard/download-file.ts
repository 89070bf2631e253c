import { LAKE_COLUMNS } from '../lake/lake-columns.ts'
import type { Filters } from './filters.ts'
import { SOURCE_FILE_BASE } from './incident-list.ts'

const LIST_COLUMNS = LAKE_COLUMNS.filter((column) => column.kind === 'strings').map((column) => column.name)

/**
 * The rows a download writes. In CSV a list cell is a JSON array (`["Anti-Black","Anti-Jewish"]`),
 * which any reader parses; Parquet keeps its lists. Both show the source file's base name only.
 *
 * @example
 * await lake.query(`COPY (${downloadSelect('csv', where)}) TO 'out.csv' (FORMAT csv, HEADER true)`, params)
 */
export function downloadSelect(format: 'csv' | 'parquet', where: string): string {
  const lists = format === 'csv' ? LIST_COLUMNS.map((name) => `to_json(${name})::VARCHAR AS ${name}`) : []
  return `SELECT * REPLACE (${[...lists, `${SOURCE_FILE_BASE} AS source_file`].join(', ')}) FROM incidents ${where}`
}

const slug = (value: string | number) => String(value).toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-|-$/g, '')

/**
 * A download's file name from its filters, so two downloads of different views never share a name.
 *
 * @example
 * downloadName({ year_from: 2019, year_to: 2023, bias_category: ['Religion'] }, 'csv') // 'hate-crime-incidents_2019-2023_bias-religion.csv'
 */
export function downloadName(filters: Filters, format: 'csv' | 'parquet'): string {
  const parts = ['hate-crime-incidents']
  const { year_from: from, year_to: to } = filters
  if (from !== undefined || to !== undefined) parts.push(from === to ? `${from}` : from === undefined ? `to-${to}` : to === undefined ? `from-${from}` : `${from}-${to}`)
  const lists: [string, readonly (string | number)[] | undefined][] = [
    ['bias', filters.bias_category], ['offense', filters.offense_group], ['district', filters.district], ['source', filters.source],
  ]
  for (const [label, values] of lists) if (values?.length) parts.push(`${label}-${values.map(slug).join('+')}`)
  return `${parts.join('_').slice(0, 180)}.${format}`
}
