import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import type { Row } from '../../src/lake/lake-query.ts'
import { drawnSeries, renderedTable } from './browser-harness.ts'

const n = (condition: string) => `(SELECT COUNT(DISTINCT incident_id) FROM incidents WHERE ${condition})`
const years = 'range({first}, {last} + 1) r(y)'
const top = (expression: string, from = 'incidents') =>
  `SELECT * FROM (SELECT ${expression} AS label, COUNT(DISTINCT incident_id) AS c FROM ${from} GROUP BY ALL) QUALIFY rank() OVER (ORDER BY c DESC) <= 15`
const byLabel = (expression: string, from = 'incidents') => `SELECT ${expression}, COUNT(DISTINCT incident_id) FROM ${from} GROUP BY ALL`
const ONE_ROW_PER_INCIDENT = 'SELECT year, incident_id, any_value(victims_total) AS v, any_value(victims_juvenile) AS j FROM incidents GROUP BY ALL'

/**
 * Each chart's numbers written independently, straight over the lake's rows, in the columns of the
 * chart's table view (`columns` picks the table's columns they are compared with; derived columns
 * such as a change or a share are checked through the counts they come from).
 */
const EXPECTED: Record<string, { sql: string; columns?: number[] }> = {
  by_year: { sql: `SELECT y, ${n('year = y')} FROM ${years}`, columns: [0, 1] },
  year_to_date: { sql: `SELECT y, ${n("year = y AND strftime(incident_date, '%m-%d') <= '{mmdd}'")} FROM ${years}` },
  by_month: { sql: `SELECT strftime(m, '%Y-%m'), ${n('year = year(m) AND month = month(m)')} FROM range(make_date({first}, 1, 1), date_trunc('month', DATE '{last_date}') + INTERVAL 1 MONTH, INTERVAL 1 MONTH) t(m)`, columns: [0, 1] },
  bias_category_by_year: { sql: byLabel('year, bias_category') },
  top_biases: { sql: top('b', '(SELECT unnest(biases) AS b, incident_id FROM incidents)') },
  offenses: { sql: byLabel("o, coalesce(a, 'Unknown')", '(SELECT unnest(offenses) AS o, unnest(crimes_against) AS a, incident_id FROM incidents)') },
  locations: { sql: top("coalesce(location, 'Unknown')") },
  offender_race: { sql: byLabel('offender_race, offender_ethnicity') },
  juvenile_share: { sql: `SELECT y, ${n('year = y AND offender_count_known')}, ${n('year = y AND has_juvenile_offender')} FROM ${years}`, columns: [0, 1, 2] },
  victims_by_year: { sql: `SELECT y, (SELECT coalesce(SUM(v), 0) FROM (${ONE_ROW_PER_INCIDENT}) WHERE year = y), (SELECT coalesce(SUM(j), 0) FROM (${ONE_ROW_PER_INCIDENT}) WHERE year = y),
    (SELECT COUNT(*) FROM (${ONE_ROW_PER_INCIDENT}) WHERE year = y AND v IS NULL) FROM ${years}` },
  day_of_week: { sql: byLabel('day_of_week') },
  heatmap: { sql: byLabel('year, month') },
  districts: { sql: byLabel("coalesce(council_district::VARCHAR, 'Unknown')") },
  sectors: { sql: byLabel("coalesce(sector, 'Unknown')") },
  zip_codes: { sql: top("coalesce(zip_code, 'Unknown')") },
  bias_by_offense: { sql: byLabel("bias_category, coalesce(a, 'Unknown')", '(SELECT bias_category, unnest(crimes_against) AS a, incident_id FROM incidents)') },
}

/** A wide table (a label, then one count per column heading) as long rows, zeros left out as the SQL leaves them. */
const long = (table: string[][], heads: string[]) => table.flatMap(([label, ...counts]) => counts.map((c, i) => [label, heads[i], c]).filter(([, , c]) => c !== '0' && c !== '–'))
const asSet = (rows: unknown[][]) => rows.map((row) => row.map(String).join(' | ')).sort()

async function expected(lake: SqlOver, sql: string, fill: Record<string, string>): Promise<string[][]> {
  const text = Object.entries(fill).reduce((q, [key, value]) => q.replaceAll(`{${key}}`, value), sql)
  return (await lake.query(text)).map((row) => Object.values(row).map(String))
}

/** Anything that runs SQL over a table or view named `incidents`: the lake's own, or a DuckDB over some of its files. */
export interface SqlOver {
  query(sql: string): Promise<Row[]>
}

/**
 * Checks every chart of the page as rendered (its table view and its drawing) against the numbers
 * DuckDB finds in `lake`'s incidents. `fill` holds the lake's first and last year, newest date and
 * its month-day (`first`, `last`, `last_date`, `mmdd`): the page's time axes span the whole lake.
 *
 * @example
 * await checkEveryChart(page, lake, { first: '2017', last: '2025', last_date: '2025-03-24', mmdd: '03-24' })
 */
export async function checkEveryChart(page: Page, lake: SqlOver, fill: Record<string, string>): Promise<void> {
  for (const [id, { sql, columns }] of Object.entries(EXPECTED)) {
    let shown = await renderedTable(page, id)
    if (id === 'bias_category_by_year' || id === 'heatmap') {
      const heads = await page.$$eval(`#chart-${id} .table-view thead th`, (cells) => cells.slice(1, -1).map((cell) => cell.textContent!.replace(/ \(incidents\)$/, '')))
      shown = long(shown, id === 'heatmap' ? heads.map((_, i) => String(i + 1)) : heads)
    }
    const picked = columns ? shown.map((row) => columns.map((i) => row[i])) : shown
    assert.deepEqual(asSet(picked), asSet(await expected(lake, sql, fill)), `${id}: the table view shows DuckDB's numbers`)
    // The drawing holds the same numbers: the table's counts add up to what the series hold.
    const drawn = await drawnSeries(page, id)
    const countColumn = id === 'victims_by_year' || id === 'juvenile_share' || id === 'by_year' || id === 'by_month' ? 1 : picked[0]?.length - 1
    if (id === 'bias_category_by_year' || id === 'juvenile_share') continue // shares, checked through their counts above
    const tableSum = picked.reduce((sum, row) => sum + Number(row[countColumn] === '–' ? 0 : row[countColumn]), 0)
    const seriesSum = (id === 'offenses' || id === 'bias_by_offense' || id === 'offender_race' ? drawn.flat() : drawn[0]).reduce((a, b) => a + b, 0)
    assert.equal(seriesSum, tableSum, `${id}: the chart draws what its table lists`)
  }
}
