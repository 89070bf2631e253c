import { z } from 'zod'
import { parseFilters, whereClause, type Filters } from './filters.ts'

/** The base name of a row's source file: a download or a page never shows the server's folders. */
export const SOURCE_FILE_BASE = "regexp_extract(source_file, '[^/\\\\]*$')"

/**
 * What a click on a bar or cell adds to the filters, beyond the filter parameters themselves: each
 * a chart dimension, as the SQL the chart groups by. Values compare as text, so the chart's label is
 * the value (`Unknown` included).
 */
const DRILL_VALUES: Record<string, string> = {
  month: 'month::VARCHAR',
  day_of_week: 'day_of_week',
  location: "coalesce(location, 'Unknown')",
  sector: "coalesce(sector, 'Unknown')",
  zip_code: "coalesce(zip_code, 'Unknown')",
  council_district: "coalesce(council_district::VARCHAR, 'Unknown')",
  race: 'offender_race',
  ethnicity: 'offender_ethnicity',
  // A place or agency of the comparison, map and reconciliation views.
  state: "coalesce(state, 'Unknown')",
  city: "coalesce(city, 'Unknown')",
  agency_ori: "coalesce(agency_ori, 'Unknown')",
}
/** Dimensions a chart unnests from a list: a row matches when its list holds the value. */
const DRILL_LISTS: Record<string, string> = {
  bias: 'biases',
  offense: 'offenses',
  against: "list_transform(crimes_against, x -> coalesce(x, 'Unknown'))",
}

/** Columns of the drill-down table, the raw source text among them. */
export const INCIDENT_COLUMNS = [
  'incident_id', 'incident_date::VARCHAR AS incident_date', 'source', 'agency_name', 'state', 'bias_category', 'biases', 'offenses', 'offense_group', 'location',
  'council_district', 'sector', 'zip_code', 'victims_total', 'offender_race', 'offender_ethnicity', 'raw_bias', 'raw_offenses',
  'raw_location', 'raw_race_ethnicity', 'quality_flags', `${SOURCE_FILE_BASE} AS source_file`, 'source_row::INTEGER AS source_row',
]

/** The columns the table may be sorted by: anything else is refused, so no text reaches ORDER BY. */
export const SORTABLE = ['incident_date', 'incident_id', 'bias_category', 'offense_group', 'location', 'council_district', 'sector', 'zip_code', 'victims_total', 'source'] as const
export const PAGE_SIZE = 25

const PagingSchema = z.object({
  page: z.string().regex(/^[1-9]\d{0,5}$/, 'a page number from 1').transform(Number).default(1),
  sort: z.enum(SORTABLE).default('incident_date'),
  dir: z.enum(['asc', 'desc']).default('desc'),
})

export interface IncidentQuery {
  filters: Filters
  drill: [string, string][]
  page: number
  sort: (typeof SORTABLE)[number]
  dir: 'asc' | 'desc'
}

/**
 * Splits a drill-down request into the usual filters, the clicked dimensions and the paging, each
 * checked: an unknown parameter, a bad page or a sort column outside the whitelist is an error.
 *
 * @example
 * parseIncidentQuery(new URLSearchParams('year_from=2020&year_to=2020&bias=Anti-Jewish&sort=location&dir=asc&page=2'))
 */
export function parseIncidentQuery(params: URLSearchParams): { ok: true; query: IncidentQuery } | { ok: false; error: string } {
  const rest = new URLSearchParams()
  const drill: [string, string][] = []
  const paging: Record<string, string> = {}
  for (const [key, value] of params) {
    if (key in DRILL_VALUES || key in DRILL_LISTS) {
      if (value.length > 200) return { ok: false, error: `Expected at most 200 characters for "${key}" (got ${value.length})` }
      drill.push([key, value])
    } else if (key === 'page' || key === 'sort' || key === 'dir') paging[key] = value
    else rest.append(key, value)
  }
  const parsed = parseFilters(rest)
  if (!parsed.ok) {
    const own = [...Object.keys(DRILL_VALUES), ...Object.keys(DRILL_LISTS), 'page', 'sort', 'dir'].join(', ')
    return { ok: false, error: parsed.error.startsWith('Unknown parameter') ? `${parsed.error}, or ${own}` : parsed.error }
  }
  const page = PagingSchema.safeParse(paging)
  if (!page.success) {
    const issue = page.error.issues[0]
    const name = String(issue.path[0])
    const expected = issue.code === 'invalid_value' ? `one of ${(issue as { values: unknown[] }).values.join(', ')}` : issue.message
    return { ok: false, error: `Expected ${expected} for "${name}" (got "${paging[name]}")` }
  }
  return { ok: true, query: { filters: parsed.filters, drill, ...page.data } }
}

/**
 * The SQL of one page of matching rows and of their counts (rows and distinct incidents), with the
 * parameters of both. Values are bound; column names come from the lists above only.
 *
 * @example
 * const { pageSql, countSql, params } = incidentSql(query)
 */
export function incidentSql(query: IncidentQuery): { pageSql: string; countSql: string; params: (string | number)[] } {
  const { sql, params } = whereClause(query.filters)
  const parts = sql ? [sql.replace(/^WHERE /, '')] : []
  for (const [key, value] of query.drill) {
    parts.push(key in DRILL_VALUES ? `${DRILL_VALUES[key]} = ?` : `list_contains(${DRILL_LISTS[key]}, ?)`)
    params.push(value)
  }
  const where = parts.length ? `WHERE ${parts.join(' AND ')}` : ''
  const order = `${query.sort} ${query.dir.toUpperCase()} NULLS LAST, incident_id, source_row`
  return {
    pageSql: `SELECT ${INCIDENT_COLUMNS.join(', ')} FROM incidents ${where} ORDER BY ${order} LIMIT ${PAGE_SIZE} OFFSET ${(query.page - 1) * PAGE_SIZE}`,
    countSql: `SELECT COUNT(*)::INTEGER AS rows, COUNT(DISTINCT incident_id)::INTEGER AS incidents FROM incidents ${where}`,
    params,
  }
}
