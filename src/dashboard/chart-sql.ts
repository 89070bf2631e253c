import { CHARTS, FILTER_COLUMNS, type ChartSpec } from './charts.ts'

const source = (spec: ChartSpec, facts: string) => (spec.from ? spec.from(facts) : facts)
const dimensions = (spec: ChartSpec) => spec.dims.map(([expression, name]) => `${expression} AS ${name}`)

/**
 * The statement that builds a chart's table of cells from the single-row incidents (`facts_single`):
 * one row per filter-column and dimension combination, with each measure's cell aggregate.
 *
 * @example
 * await lake.query(cellTableSql('by_year', 80))
 */
export function cellTableSql(name: string, maxDayOfYear: number): string {
  const spec = CHARTS[name]
  const own = spec.dims.filter(([, alias]) => !(FILTER_COLUMNS as readonly string[]).includes(alias))
  const columns = [...FILTER_COLUMNS, ...dimensions({ ...spec, dims: own })]
  const measures = Object.entries(spec.measures).map(([measure, m]) => `${m.cell} AS ${measure}`)
  const sql = `CREATE OR REPLACE TABLE chart_${name} AS SELECT ${[...columns, ...measures].join(', ')}
    FROM ${source(spec, 'facts_single')} GROUP BY ALL`
  return sql.replaceAll('{max_day_of_year}', String(maxDayOfYear))
}

/**
 * The request query of one chart: its cells that pass the filter, plus the multi-row incidents
 * (`facts_dup`) counted distinct, combined per dimension. `where` appears twice.
 */
function chartSql(name: string, where: string, maxDayOfYear: number): string {
  const spec = CHARTS[name]
  const names = spec.dims.map(([, alias]) => alias)
  const measures = Object.entries(spec.measures)
  const cells = `SELECT ${[...names, ...measures.map(([measure]) => measure)].join(', ')} FROM chart_${name} ${where}`
  const dups = `SELECT ${[...dimensions(spec), ...measures.map(([measure, m]) => `${m.dup} AS ${measure}`)].join(', ')}
    FROM ${source(spec, 'facts_dup')} ${where} GROUP BY ALL`
  const combined = measures.map(([measure, m]) =>
    m.combine === 'SUM' ? `coalesce(SUM(${measure}), 0)::INTEGER AS ${measure}` : `${m.combine}(${measure})::${m.type} AS ${measure}`,
  )
  const grouped = `SELECT ${[...names, ...combined].join(', ')} FROM (${cells} UNION ALL BY NAME ${dups}) GROUP BY ALL`
  const sql = `SELECT * FROM (${grouped}) ${spec.order ? `ORDER BY ${spec.order}` : ''} ${spec.limit ? `LIMIT ${spec.limit}` : ''}`
  return sql.replaceAll('{max_day_of_year}', String(maxDayOfYear))
}

/**
 * Every chart in one statement, each as a JSON list of its rows: one round trip and one plan instead
 * of seventeen. Bind the filter's parameters twice per chart.
 *
 * @example
 * const [row] = await lake.query(allChartsSql(sql, 80), CHART_NAMES.flatMap(() => [...params, ...params]))
 */
export function allChartsSql(where: string, maxDayOfYear: number): string {
  const charts = Object.keys(CHARTS).map((name) => `(SELECT to_json(list(t)) FROM (${chartSql(name, where, maxDayOfYear)}) t) AS ${name}`)
  return `SELECT ${charts.join(', ')}`
}
