import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DashboardData } from '../../src/dashboard/dashboard-data.ts'
import { whereClause, type Filters } from '../../src/dashboard/filters.ts'
import { openLakeQuery, type LakeQuery, type Row } from '../../src/lake/lake-query.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { writeSyntheticCsv } from '../../src/sources/synthetic.ts'
import { austinCsv, MESSY_ROWS, rawRow } from '../fixtures/austin-rows.ts'

/**
 * Every chart written the plain way, straight over the lake's rows with COUNT(DISTINCT incident_id):
 * the dashboard's pre-aggregated cells must give exactly these rows for any filter.
 */
const distinct = (condition = 'true') => `COUNT(DISTINCT incident_id) FILTER (WHERE ${condition})::INTEGER`
const REFERENCE: Record<string, string> = {
  totals: `SELECT ${distinct()} AS incidents, COUNT(*)::INTEGER AS rows, MIN(incident_date)::VARCHAR AS first_date, MAX(incident_date)::VARCHAR AS last_date FROM f`,
  by_year: `SELECT year, ${distinct()} AS incidents FROM f GROUP BY ALL`,
  year_to_date: `SELECT year, ${distinct("strftime(incident_date, '%m-%d') <= {date}")} AS incidents FROM f GROUP BY ALL`,
  by_month: `SELECT year, month, ${distinct()} AS incidents FROM f GROUP BY ALL`,
  bias_category_by_year: `SELECT year, bias_category, ${distinct()} AS incidents FROM f GROUP BY ALL`,
  top_biases: `SELECT * FROM (SELECT bias, ${distinct()} AS incidents FROM (SELECT *, unnest(biases) AS bias FROM f) GROUP BY ALL) QUALIFY rank() OVER (ORDER BY incidents DESC) <= 15`,
  offenses: `SELECT against, offense, ${distinct()} AS incidents FROM (SELECT *, unnest(offenses) AS offense, unnest(crimes_against) AS against FROM f) GROUP BY ALL`,
  locations: `SELECT * FROM (SELECT coalesce(location, 'Unknown') AS location, ${distinct()} AS incidents FROM f GROUP BY ALL) QUALIFY rank() OVER (ORDER BY incidents DESC) <= 15`,
  offender_race: `SELECT offender_race AS race, offender_ethnicity AS ethnicity, ${distinct()} AS incidents FROM f GROUP BY ALL`,
  juvenile_share: `SELECT year, ${distinct('offender_count_known')} AS known, ${distinct('has_juvenile_offender')} AS juvenile FROM f GROUP BY ALL`,
  victims_by_year: `SELECT year, coalesce(SUM(v), 0)::INTEGER AS victims, coalesce(SUM(j), 0)::INTEGER AS juvenile, COUNT(*) FILTER (WHERE v IS NULL)::INTEGER AS unknown
    FROM (SELECT year, incident_id, any_value(victims_total) AS v, any_value(victims_juvenile) AS j FROM f GROUP BY ALL) GROUP BY ALL`,
  day_of_week: `SELECT day_of_week, ${distinct()} AS incidents FROM f GROUP BY ALL`,
  districts: `SELECT coalesce(council_district::VARCHAR, 'Unknown') AS district, ${distinct()} AS incidents FROM f GROUP BY ALL`,
  sectors: `SELECT coalesce(sector, 'Unknown') AS sector, ${distinct()} AS incidents FROM f GROUP BY ALL`,
  zip_codes: `SELECT * FROM (SELECT coalesce(zip_code, 'Unknown') AS zip_code, ${distinct()} AS incidents FROM f GROUP BY ALL) QUALIFY rank() OVER (ORDER BY incidents DESC) <= 15`,
  bias_by_offense: `SELECT bias_category, coalesce(a, 'Unknown') AS against, ${distinct()} AS incidents FROM (SELECT *, unnest(crimes_against) AS a FROM f) GROUP BY ALL`,
  quality_flags: 'SELECT flag, COUNT(*)::INTEGER AS rows FROM (SELECT unnest(quality_flags) AS flag FROM f) GROUP BY ALL',
  unmapped_values: `SELECT * FROM (SELECT regexp_replace(flag, '^un(mapped|parsed)_', '') AS field, coalesce(CASE flag WHEN 'unmapped_bias' THEN raw_bias
      WHEN 'unmapped_offense' THEN raw_offenses WHEN 'unmapped_location' THEN raw_location WHEN 'unmapped_race_ethnicity' THEN raw_race_ethnicity END, '') AS raw,
      COUNT(*)::INTEGER AS rows FROM (SELECT *, unnest(quality_flags) AS flag FROM f) WHERE regexp_matches(flag, '^un(mapped|parsed)_') GROUP BY ALL) QUALIFY rank() OVER (ORDER BY rows DESC) <= 20`,
}

const FILTERS: Filters[] = [
  {},
  { year_from: 2019, year_to: 2022 },
  { bias_category: ['Religion', 'Multiple'] },
  { offense_group: ['Persons'] },
  { offense_group: ['Multiple', 'Property'], district: [1, 9] },
  { year_from: 2024, bias_category: ['Race/Ethnicity/Ancestry'], district: [3] },
  { year_from: 2099 },
  { source: ['synthetic'], year_to: 2020 },
  { source: ['austin_apd', 'nowhere'] },
]

const dir = mkdtempSync(join(tmpdir(), 'hatecrimes-dashboard-charts-'))
const lake = join(dir, 'lake')
let data: DashboardData
let plain: LakeQuery

before(async () => {
  await writeSyntheticCsv(join(dir, 'synthetic.csv'), { rows: 4000, seed: 11 })
  await runInProcess({ input: join(dir, 'synthetic.csv'), lake, source: 'synthetic' })
  const unmapped = rawRow({ incident_number: '2024-5', date_of_incident: '05/05/2024 12:00:00 AM', month: 'May', day_of_week: 'Sun', offense_location: 'Moon Base', race_ethnicity_of_offenders: 'Martian', victims_over_18: 'many' })
  writeFileSync(join(dir, 'messy.csv'), austinCsv([...MESSY_ROWS, unmapped]))
  await runInProcess({ input: join(dir, 'messy.csv'), lake })
  data = await DashboardData.open(lake)
  plain = await openLakeQuery(lake)
})
after(async () => {
  await data.close()
  await plain.close()
  rmSync(dir, { recursive: true, force: true })
})

async function reference(filters: Filters): Promise<Record<string, Row[]>> {
  const [{ date }] = await plain.query("SELECT strftime(MAX(incident_date), '%m-%d') AS date FROM incidents")
  const { sql, params } = whereClause(filters)
  const result: Record<string, Row[]> = {}
  for (const [name, query] of Object.entries(REFERENCE)) {
    result[name] = await plain.query(`WITH f AS (SELECT * FROM incidents ${sql}) ${query.replaceAll('{date}', `'${date}'`)}`, params)
  }
  return result
}

const asSet = (rows: Row[]) => rows.map((row) => JSON.stringify(row)).sort()

test('every chart equals the plain distinct count over the lake, for every filter', async () => {
  const [{ dups }] = await plain.query('SELECT COUNT(*)::INTEGER AS dups FROM (SELECT incident_id FROM incidents GROUP BY 1 HAVING COUNT(*) > 1)')
  assert.ok(Number(dups) >= 5, `the lake holds multi-row incidents to count apart (found ${dups})`)
  for (const filters of FILTERS) {
    const [charts, expected] = await Promise.all([data.charts(filters), reference(filters)])
    for (const name of Object.keys(REFERENCE)) assert.deepEqual(asSet(charts[name]), asSet(expected[name]), `${name} for ${JSON.stringify(filters)}`)
  }
})

test('the data-quality charts show unmapped values by column with their raw text', async () => {
  const { unmapped_values } = await data.charts({})
  assert.deepEqual(unmapped_values.filter((row) => row.raw !== ''), [
    { field: 'location', raw: 'Moon Base', rows: 1 },
    { field: 'race_ethnicity', raw: 'Martian', rows: 1 },
  ])
  assert.deepEqual(unmapped_values.filter((row) => row.field === 'victims_adult'), [{ field: 'victims_adult', raw: '', rows: 1 }], 'a count that is not a number is listed by its column')
})

test('the status and the charts follow the lake when new files land', async () => {
  const before = data.status()
  assert.equal(await data.refresh(), false, 'nothing changed yet')
  writeFileSync(join(dir, 'more.csv'), austinCsv([rawRow({ incident_number: '2026-1', date_of_incident: '01/02/2026 12:00:00 AM', month: 'Jan', day_of_week: 'Fri' })]))
  await runInProcess({ input: join(dir, 'more.csv'), lake })
  assert.equal(await data.refresh(), true)
  const after = data.status()
  assert.notEqual(after.version, before.version)
  assert.equal(after.rows, before.rows + 1)
  assert.deepEqual(after.years, [before.years![0], 2026])
  assert.equal(after.lastDate, '2026-01-02')
  const { by_year } = await data.charts({ year_from: 2026 })
  assert.deepEqual(by_year, [{ year: 2026, incidents: 1 }])
})

test('year to date cuts every year at the same calendar date: a leap year keeps the days up to it', async () => {
  const leap = join(dir, 'leap')
  const row = (id: string, date: string, month: string, day: string) => rawRow({ incident_number: id, date_of_incident: `${date} 12:00:00 AM`, month, day_of_week: day })
  writeFileSync(join(dir, 'leap.csv'), austinCsv([row('2024-1', '03/01/2024', 'Mar', 'Fri'), row('2024-2', '02/29/2024', 'Feb', 'Thu'), row('2023-1', '03/02/2023', 'Mar', 'Thu'), row('2025-1', '03/01/2025', 'Mar', 'Sat')]))
  await runInProcess({ input: join(dir, 'leap.csv'), lake: leap })
  const leapData = await DashboardData.open(leap)
  try {
    const { year_to_date } = await leapData.charts({})
    assert.deepEqual(year_to_date, [{ year: 2023, incidents: 0 }, { year: 2024, incidents: 2 }, { year: 2025, incidents: 1 }], 'Jan 1 to Mar 1 in every year (day 61 in 2024, 60 in 2025)')
  } finally {
    await leapData.close()
  }
})
