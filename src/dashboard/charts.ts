import { PLACE_FACT_COLUMNS } from './place-facts.ts'

/**
 * Every chart of the dashboard as dimensions and measures over the lake's incidents, and the SQL
 * that builds and reads them. Incidents are counted distinct (the source stores a two-offense
 * incident as two rows), and a distinct count over millions of rows is slow, so each chart is
 * pre-aggregated when the lake changes: incidents with a single row (nearly all) are counted into a
 * small table per chart, grouped by the filter columns and the chart's own dimensions, where counts
 * simply add up; the few incidents with several rows (`dup`) are kept apart and counted distinct by
 * `incident_key` at request time.
 */
export interface Measure {
  /** The aggregate over single-row incidents, stored per cell. */
  cell: string
  /** The same measure over the rows of multi-row incidents, computed per request. */
  dup: string
  /** How cells and the multi-row part combine. */
  combine: 'SUM' | 'MIN' | 'MAX'
  type: 'INTEGER' | 'VARCHAR'
}

export interface ChartSpec {
  /** The rows a chart reads, from a facts table: the table itself or one list column unnested. */
  from?: (facts: string) => string
  /** `[SQL expression, output name]` per dimension. */
  dims: [string, string][]
  measures: Record<string, Measure>
  order?: string
  /** Keep the rows ranked this high or better by the first measure: a tie at the last place keeps every tied row. */
  limit?: number
}

const incidents = (condition = 'true'): Measure => ({
  cell: `COUNT(*) FILTER (WHERE ${condition})`,
  dup: `COUNT(DISTINCT incident_key) FILTER (WHERE ${condition})`,
  combine: 'SUM',
  type: 'INTEGER',
})
const rows = (condition = 'true'): Measure => ({ cell: `COUNT(*) FILTER (WHERE ${condition})`, dup: `COUNT(*) FILTER (WHERE ${condition})`, combine: 'SUM', type: 'INTEGER' })
const total = (expression: string): Measure => ({
  cell: `SUM(${expression})`,
  // A multi-row incident repeats its counts on each row: add them once per incident.
  dup: `list_sum(list_transform(list_distinct(list({'key': incident_key, 'n': ${expression}})), x -> x.n))`,
  combine: 'SUM',
  type: 'INTEGER',
})
const extreme = (fn: 'MIN' | 'MAX', expression: string): Measure => ({ cell: `${fn}(${expression})`, dup: `${fn}(${expression})`, combine: fn, type: 'VARCHAR' })
const unnested = (columns: string) => (facts: string) => `(SELECT *, ${columns} FROM ${facts})`
const same = (column: string): [string, string] => [column, column]
const COUNTED = { incidents: incidents() }

/** The filter columns: every chart table keeps them, so requests can filter the pre-aggregated cells. */
export const FILTER_COLUMNS = ['year', 'bias_category', 'offense_group', 'council_district', 'source'] as const

export const CHARTS: Record<string, ChartSpec> = {
  totals: {
    dims: [],
    measures: { ...COUNTED, rows: rows(), first_date: extreme('MIN', 'incident_date'), last_date: extreme('MAX', 'incident_date') },
  },
  by_year: { dims: [same('year')], measures: COUNTED, order: 'year' },
  // Year to date: each year counted up to the calendar date (month and day) of the newest incident in
  // the lake, so a leap year keeps its last day and every year covers the same dates.
  year_to_date: { dims: [same('year')], measures: { incidents: incidents('month(incident_date) * 100 + day(incident_date) <= {cutoff}') }, order: 'year' },
  by_month: { dims: [same('year'), same('month')], measures: COUNTED, order: 'year, month' },
  bias_category_by_year: { dims: [same('year'), same('bias_category')], measures: COUNTED, order: 'year, bias_category' },
  top_biases: { from: unnested('unnest(biases) AS bias'), dims: [same('bias')], measures: COUNTED, order: 'incidents DESC, bias', limit: 15 },
  offenses: {
    from: unnested('unnest(offenses) AS offense, unnest(crimes_against) AS against'),
    dims: [same('against'), same('offense')],
    measures: COUNTED,
    order: 'incidents DESC, offense',
  },
  locations: { dims: [["coalesce(location, 'Unknown')", 'location']], measures: COUNTED, order: 'incidents DESC, location', limit: 15 },
  offender_race: { dims: [['offender_race', 'race'], ['offender_ethnicity', 'ethnicity']], measures: COUNTED, order: 'race, ethnicity' },
  juvenile_share: { dims: [same('year')], measures: { known: incidents('offender_count_known'), juvenile: incidents('has_juvenile_offender') }, order: 'year' },
  victims_by_year: {
    dims: [same('year')],
    measures: { victims: total('victims_total'), juvenile: total('victims_juvenile'), unknown: incidents('victims_total IS NULL') },
    order: 'year',
  },
  day_of_week: { dims: [same('day_of_week')], measures: COUNTED, order: "list_position(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], day_of_week)" },
  districts: { dims: [["coalesce(council_district::VARCHAR, 'Unknown')", 'district']], measures: COUNTED, order: 'try_cast(district AS INTEGER) NULLS LAST' },
  sectors: { dims: [["coalesce(sector, 'Unknown')", 'sector']], measures: COUNTED, order: 'incidents DESC, sector' },
  zip_codes: { dims: [["coalesce(zip_code, 'Unknown')", 'zip_code']], measures: COUNTED, order: 'incidents DESC, zip_code', limit: 15 },
  bias_by_offense: {
    // Each group once per row: an FBI incident with two offenses against persons is one incident against persons.
    from: unnested("unnest(list_distinct(list_transform(crimes_against, x -> coalesce(x, 'Unknown')))) AS offense_against"),
    dims: [same('bias_category'), ["coalesce(offense_against, 'Unknown')", 'against']],
    measures: COUNTED,
    order: 'bias_category, against',
  },
  quality_flags: { from: unnested('unnest(quality_flags) AS flag'), dims: [same('flag')], measures: { rows: rows() }, order: 'rows DESC, flag' },
  unmapped_values: {
    from: unnested('unnest(unmapped) AS u'),
    dims: [['u.field', 'field'], ["coalesce(u.raw, '')", 'raw']],
    measures: { rows: rows() },
    order: 'rows DESC, field, raw',
    limit: 20,
  },
}

/**
 * Per row, the source columns whose text no vocabulary matched (`unmapped_*` flags) or that held no
 * number (`unparsed_*`), with the raw text where the lake keeps it: nearly always an empty list, so
 * the unmapped-values chart costs almost nothing to build.
 */
const UNMAPPED = `list_transform(
    list_filter(quality_flags, f -> regexp_matches(f, '^un(mapped|parsed)_')),
    f -> {'field': regexp_replace(f, '^un(mapped|parsed)_', ''), 'raw': CASE f WHEN 'unmapped_bias' THEN raw_bias
      WHEN 'unmapped_offense' THEN raw_offenses WHEN 'unmapped_location' THEN raw_location
      WHEN 'unmapped_race_ethnicity' THEN raw_race_ethnicity END}) AS unmapped`

export const CHART_NAMES = Object.keys(CHARTS)

/** Dead letters by stage and code: they have no incident fields, so filters do not apply. */
export const DEAD_LETTERS_SQL = 'SELECT stage, code, COUNT(*)::INTEGER AS rows FROM dead_letters GROUP BY ALL ORDER BY rows DESC'

/** The columns of the facts the charts read, per lake version. */
export const FACT_COLUMNS = [
  'hash(incident_id) AS incident_key', 'count(*) OVER (PARTITION BY incident_id) > 1 AS dup', 'source', 'incident_date', 'year', 'month',
  'day_of_week', 'bias_category', 'biases', 'offenses', 'crimes_against', 'offense_group', 'location', 'offender_race',
  'offender_ethnicity', 'offender_count_known', 'has_juvenile_offender', 'victims_total', 'victims_juvenile', 'zip_code',
  'sector', 'council_district', 'quality_flags', UNMAPPED, ...PLACE_FACT_COLUMNS,
]

const source = (spec: ChartSpec, facts: string) => (spec.from ? spec.from(facts) : facts)
const dimensions = (spec: ChartSpec) => spec.dims.map(([expression, name]) => `${expression} AS ${name}`)

/**
 * The statement that builds a chart's table of cells from the single-row incidents (`facts_single`):
 * one row per filter-column and dimension combination, with each measure's cell aggregate.
 *
 * @example
 * await lake.query(cellTableSql('by_year', 203))
 */
export function cellTableSql(name: string, cutoff: number, spec = CHARTS[name]): string {
  const own = spec.dims.filter(([, alias]) => !(FILTER_COLUMNS as readonly string[]).includes(alias))
  const columns = [...FILTER_COLUMNS, ...dimensions({ ...spec, dims: own })]
  const measures = Object.entries(spec.measures).map(([measure, m]) => `${m.cell} AS ${measure}`)
  const sql = `CREATE OR REPLACE TABLE chart_${name} AS SELECT ${[...columns, ...measures].join(', ')}
    FROM ${source(spec, 'facts_single')} GROUP BY ALL`
  return sql.replaceAll('{cutoff}', String(cutoff))
}

/**
 * The request query of one chart: its cells that pass the filter, plus the multi-row incidents
 * (`facts_dup`) counted distinct, combined per dimension. `where` appears twice.
 *
 * @example
 * const sql = chartSql('by_year', 'WHERE year >= ?', 1231) // bind [2020, 2020]
 */
export function chartSql(name: string, where: string, cutoff: number, spec = CHARTS[name]): string {
  const names = spec.dims.map(([, alias]) => alias)
  const measures = Object.entries(spec.measures)
  const cells = `SELECT ${[...names, ...measures.map(([measure]) => measure)].join(', ')} FROM chart_${name} ${where}`
  const dups = `SELECT ${[...dimensions(spec), ...measures.map(([measure, m]) => `${m.dup} AS ${measure}`)].join(', ')}
    FROM ${source(spec, 'facts_dup')} ${where} GROUP BY ALL`
  const combined = measures.map(([measure, m]) =>
    m.combine === 'SUM' ? `coalesce(SUM(${measure}), 0)::INTEGER AS ${measure}` : `${m.combine}(${measure})::${m.type} AS ${measure}`,
  )
  const grouped = `SELECT ${[...names, ...combined].join(', ')} FROM (${cells} UNION ALL BY NAME ${dups}) GROUP BY ALL`
  const ranked = spec.limit ? `QUALIFY rank() OVER (ORDER BY ${measures[0][0]} DESC) <= ${spec.limit}` : ''
  const sql = `SELECT * FROM (${grouped}) ${ranked} ${spec.order ? `ORDER BY ${spec.order}` : ''}`
  return sql.replaceAll('{cutoff}', String(cutoff))
}

/**
 * Every chart in one statement, each as a JSON list of its rows: one round trip and one plan instead
 * of seventeen. Bind the filter's parameters twice per chart. `cutoff` is the month and day
 * (month * 100 + day) year to date counts up to.
 *
 * @example
 * const [row] = await lake.query(allChartsSql(sql, 203), CHART_NAMES.flatMap(() => [...params, ...params]))
 */
export function allChartsSql(where: string, cutoff: number): string {
  const charts = Object.keys(CHARTS).map((name) => `(SELECT to_json(list(t)) FROM (${chartSql(name, where, cutoff)}) t) AS ${name}`)
  return `SELECT ${charts.join(', ')}`
}
