import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { DuckDBInstance } from '@duckdb/node-api'
import { pino } from 'pino'
import { chromium, type Page } from 'playwright-core'
import type { Row } from '../../src/lake/lake-query.ts'
import { startDashboard } from '../../src/dashboard/server.ts'
import { AUSTIN_CSV, renderedTable } from './browser-harness.ts'
import { checkEveryChart } from './chart-expectations.ts'
import { tempDir } from './kafka-harness.ts'

const FBI_ZIP = new URL('../../data/fbi_cde_hate_crime_1991_2020.zip', import.meta.url).pathname
const AXE = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname
const cli = (...args: string[]) => promisify(execFile)(process.execPath, [new URL('../../bin/hatecrimes.js', import.meta.url).pathname, ...args])
const wireBytes = (page: Page) => page.evaluate(() => (performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')) as PerformanceResourceTiming[]).reduce((sum, e) => sum + e.transferSize, 0))
/** A table as sorted lines, so row order (by name, never by rank) does not matter to the comparison. */
const lines = (rows: unknown[][]) => rows.map((row) => row.map((cell) => (cell === null ? '–' : String(cell))).join(' | ')).sort()

/**
 * DuckDB straight over the lake's Parquet files, none of the dashboard's or the query layer's SQL:
 * `inc` is every incident row, `pop` the population table; `incidents` is the FBI's rows alone.
 */
async function independent(lake: string) {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  await connection.run(`CREATE VIEW inc AS SELECT * FROM read_parquet('${lake}/incidents/**/*.parquet', hive_partitioning = true, hive_types = {'source': VARCHAR, 'year': INTEGER, 'month': INTEGER}, union_by_name = true)`)
  await connection.run(`CREATE VIEW pop AS SELECT * FROM read_parquet('${lake}/population/population.parquet')`)
  await connection.run("CREATE VIEW incidents AS SELECT * FROM inc WHERE source = 'fbi_cde'")
  return {
    query: async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Row[],
    close: () => { connection.closeSync(); instance.closeSync() },
  }
}

test('places on the FBI national file and Austin\'s own: every chart, the comparison, the reconciliation, the map, by keyboard, for everyone', async () => {
  const chromiumPath = process.env.CHROMIUM_PATH
  if (!chromiumPath) throw new Error('Expected CHROMIUM_PATH (bash scripts/chromium.sh prints it)')
  const lake = join(tempDir('dashboard-places'), 'lake')
  await cli('run', '--input', FBI_ZIP, '--lake', lake, '--no-kafka')
  await cli('run', '--input', AUSTIN_CSV, '--lake', lake, '--no-kafka')
  await cli('population', '--lake', lake)
  const duck = await independent(lake)
  const dashboard = await startDashboard({ lake, port: 0, pollMs: 60_000, log: pino({ level: 'silent' }) })
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  try {
    // The API refuses places and agencies the lake does not hold, by what was expected and what came.
    const refused = async (path: string) => {
      const response = await fetch(new URL(path, dashboard.url))
      assert.equal(response.status, 400, path)
      return ((await response.json()) as { error: string }).error
    }
    assert.equal(await refused('/api/places/compare?place=fbi_cde:city:TX:Nowhere'), 'Expected a place the lake holds (the ids of /api/places) for "place" (got "fbi_cde:city:TX:Nowhere")')
    assert.equal(await refused('/api/places/reconcile?agency=TX0000000'), 'Expected an agency that two sources hold (the agency_ori of /api/places) for "agency" (got "TX0000000")')
    assert.equal(await refused('/api/places/map?place=fbi_cde:nation'), 'Expected only filter parameters for /api/places/map (got "place" or "agency")')
    assert.equal(await refused('/api/places?year_from=2019'), 'Expected no parameters for /api/places (got "year_from=2019")')

    const [range] = await duck.query("SELECT MIN(year) AS first, MAX(year) AS last, MAX(incident_date)::VARCHAR AS last_date, strftime(MAX(incident_date), '%m-%d') AS mmdd FROM inc")
    const fill = Object.fromEntries(Object.entries(range).map(([key, value]) => [key, String(value)]))
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(dashboard.url)
    await page.waitForSelector('#chart-state_map .chart canvas')
    const firstLoad = await wireBytes(page)

    // The comparison: by default Austin's own file, the FBI's Austin, Texas and the nation, each over its own years
    // (the rendered table's cells lose their thousands commas, and so does "Austin, TX").
    const years = (source: string) => (source === 'fbi_cde' ? 'range(1991, 2021)' : 'range(2017, 2026)')
    const place = (source: string, level: string, condition: string, name: string, popMatch: string) => `SELECT y, '${name}', '${source}',
      (SELECT COUNT(DISTINCT incident_id) FROM inc WHERE source = '${source}' AND year = y AND ${condition}),
      (SELECT population FROM pop WHERE level = '${level}' AND year = y AND ${popMatch}) AS p
      FROM ${years(source)} t(y)`
    const compared = await duck.query(`SELECT *, round(c / (p / 100000.0), 2) AS r FROM (SELECT y, n, s, c, p FROM (
      ${place('austin_apd', 'city', "city = 'Austin' AND state = 'TX'", 'Austin TX', "state = 'TX' AND place = 'Austin'")} UNION ALL
      ${place('fbi_cde', 'city', "city = 'Austin' AND state = 'TX'", 'Austin TX', "state = 'TX' AND place = 'Austin'")} UNION ALL
      ${place('fbi_cde', 'state', "state = 'TX'", 'Texas', "state = 'TX'")} UNION ALL
      ${place('fbi_cde', 'nation', 'true', 'United States', 'true')}) t(y, n, s, c, p))`)
    assert.deepEqual(lines(await renderedTable(page, 'compare')), lines(compared.map(({ r, ...row }) => [...Object.values(row), r ?? 'population unknown'])), 'the comparison shows DuckDB\'s counts, residents and rates')
    assert.equal(String(compared.find((row) => Number(row.y) === 2019 && row.n === 'Austin TX' && row.s === 'austin_apd')?.c), '11')
    const compareNote = (await page.textContent('#chart-compare .note'))!
    assert.match(compareNote, /place-years have no known population and no rate/)
    assert.match(compareNote, /reporting is voluntary.*Places are not ranked/)
    assert.match(compareNote, /from 2021 the FBI took NIBRS reports only/)
    const breakAt = await page.$eval('#chart-compare .chart', (e) => (window as unknown as { echarts: { getInstanceByDom(e: Element): { getOption(): { series: { markLine?: { data: { xAxis: number }[] } }[] } } } }).echarts.getInstanceByDom(e).getOption().series[0].markLine!.data[0].xAxis)
    assert.equal(breakAt, 2021 - Number(fill.first) - 0.5, 'the break is drawn between 2020 and 2021')

    // The reconciliation: Austin's police file beside the FBI's rows for TX2270100, with the difference.
    const reconciled = await duck.query(`SELECT y, a, f, a - f FROM (SELECT y,
        (SELECT COUNT(DISTINCT incident_id) FROM inc WHERE source = 'austin_apd' AND year = y) AS a,
        (SELECT COUNT(DISTINCT incident_id) FROM inc WHERE source = 'fbi_cde' AND agency_ori = 'TX2270100' AND year = y) AS f
      FROM range(1991, 2026) t(y)) WHERE y BETWEEN 2017 AND 2020
      UNION ALL SELECT y, NULL, (SELECT COUNT(DISTINCT incident_id) FROM inc WHERE source = 'fbi_cde' AND agency_ori = 'TX2270100' AND year = y), NULL FROM range(1991, 2017) t(y)
      UNION ALL SELECT y, (SELECT COUNT(DISTINCT incident_id) FROM inc WHERE source = 'austin_apd' AND year = y), NULL, NULL FROM range(2021, 2026) t(y)`)
    assert.deepEqual(lines(await renderedTable(page, 'reconcile')), lines(reconciled.map((row) => Object.values(row))))
    assert.deepEqual(reconciled.filter((row) => Number(row.y) >= 2017 && Number(row.y) <= 2020).map((row) => [Number(row.a), Number(row.f)]), [[17, 18], [20, 19], [11, 10], [24, 22]])

    // The map: every state by name with its count, and the average yearly rate over the years with a population;
    // federal agencies have no state and are not listed.
    const mapped = await duck.query(`WITH s AS (SELECT DISTINCT state FROM incidents WHERE state IS NOT NULL),
      g AS (SELECT s.state, y, (SELECT COUNT(DISTINCT incident_id) FROM incidents i WHERE i.state = s.state AND i.year = y) AS c,
        (SELECT population FROM pop WHERE level = 'state' AND pop.state = s.state AND pop.year = y) AS p FROM s, range(1991, 2021) t(y))
      SELECT coalesce((SELECT any_value(place) FROM pop WHERE level = 'state' AND pop.state = g.state), g.state), SUM(c), SUM(c) FILTER (WHERE p IS NOT NULL),
        CASE WHEN COUNT(p) = 0 THEN 'none' ELSE MIN(y) FILTER (WHERE p IS NOT NULL) || '-' || MAX(y) FILTER (WHERE p IS NOT NULL) END, round(AVG(p)),
        round(100000.0 * SUM(c) FILTER (WHERE p IS NOT NULL) / SUM(p), 2) AS r FROM g GROUP BY g.state`)
    assert.deepEqual(lines(await renderedTable(page, 'state_map')), lines(mapped.map(({ r, ...row }) => [...Object.values(row), r ?? 'population unknown'])))
    const drawnStates = await page.$eval('#chart-state_map .chart', (e) => (window as unknown as { echarts: { getInstanceByDom(e: Element): { getOption(): { series: { data: { name: string; value: number }[] }[] } } } }).echarts.getInstanceByDom(e).getOption().series[0].data)
    const texas = mapped.find((row) => Object.values(row)[0] === 'Texas')!
    assert.equal(drawnStates.find((d) => d.name === 'TX')?.value, texas.r, 'Texas is coloured by its rate')
    assert.ok(drawnStates.length >= 48, `the map draws the states (${drawnStates.length})`)

    // The map by keyboard: focus it, move to a state, Enter lists that state's FBI incidents.
    await page.focus('#chart-state_map .chart')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    const state = (await page.getAttribute('#chart-state_map .chart', 'data-item'))!.split(':')[1]
    const code = drawnStates[Number(state)].name
    assert.match((await page.textContent('#chart-state_map [aria-live]'))!, /^incidents per 100,000 residents a year, [A-Z]{2}: [\d.]+\. Enter lists the incidents\.$/)
    await page.keyboard.press('Enter')
    await page.waitForSelector('#incidents:not([hidden]) tbody tr')
    const [inState] = await duck.query(`SELECT COUNT(DISTINCT incident_id) AS n FROM incidents WHERE state = '${code}'`)
    assert.equal(await page.getAttribute('#incidents', 'data-incidents'), String(inState.n), `Enter on ${code} lists its incidents`)

    // Every chart of the page, on the FBI's rows alone (the source filter), against DuckDB.
    await page.goto(`${dashboard.url}?source=fbi_cde`)
    await page.waitForSelector('#chart-quality')
    await page.waitForFunction(() => document.querySelector('#kpi-incidents')?.textContent === '219,577')
    await checkEveryChart(page, duck, fill)
    for (const id of ['by_year', 'year_to_date', 'by_month', 'bias_category_by_year', 'juvenile_share', 'victims_by_year', 'heatmap']) {
      assert.ok((await page.textContent(`#chart-${id} .note`))!.includes('from 2021 the FBI took NIBRS reports only'), `${id} marks the 2021 break`)
    }

    // A bar by keyboard: the third year of the axis, then Enter.
    await page.focus('#chart-by_year .chart')
    for (const key of ['Home', 'ArrowRight', 'ArrowRight']) await page.keyboard.press(key)
    assert.match((await page.textContent('#chart-by_year [aria-live]'))!, /^incidents, 1993: [\d,]+\. Enter lists the incidents\.$/)
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.querySelector('#incidents h2')?.textContent?.includes('1993'))
    const [in1993] = await duck.query('SELECT COUNT(DISTINCT incident_id) AS n FROM incidents WHERE year = 1993')
    assert.equal(await page.getAttribute('#incidents', 'data-incidents'), String(in1993.n))

    await page.addScriptTag({ path: AXE })
    const violations = await page.evaluate(async () => (await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run())
      .violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`))
    assert.deepEqual(violations, [], 'axe-core finds no violations with the place views')

    await page.goto(dashboard.url)
    await page.waitForSelector('#chart-state_map .chart canvas')
    const reload = await wireBytes(page)
    assert.ok(reload < 400_000, `a reload ${reload} bytes on the wire`)
    console.log(`wire bytes with the place views: first load ${firstLoad}, reload ${reload}`)

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await phone.goto(dashboard.url)
    await phone.waitForSelector('#chart-state_map .chart canvas')
    assert.ok(await phone.evaluate(() => document.scrollingElement!.scrollWidth) <= 390, 'no sideways scrolling at 390 px')
    assert.deepEqual(errors, [])
  } finally {
    await browser.close()
    await dashboard.close()
    duck.close()
  }
})
