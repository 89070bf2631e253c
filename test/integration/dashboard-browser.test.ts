import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { startDashboard } from '../../src/dashboard/server.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { austinCsv, MESSY_ROWS, rawRow } from '../fixtures/austin-rows.ts'
import { tempDir } from './kafka-harness.ts'

/** What each chart must show, computed by DuckDB straight from the lake. */
const EXPECTED: Record<string, string> = {
  by_year: 'SELECT COUNT(DISTINCT (year, incident_id)) FROM incidents',
  by_month: 'SELECT COUNT(DISTINCT (year, month, incident_id)) FROM incidents',
  heatmap: 'SELECT COUNT(DISTINCT (year, month, incident_id)) FROM incidents',
  top_biases: 'SELECT COUNT(DISTINCT (b, incident_id)) FROM (SELECT unnest(biases) b, incident_id FROM incidents)',
  locations: "SELECT COUNT(DISTINCT (coalesce(location, 'Unknown'), incident_id)) FROM incidents",
  day_of_week: 'SELECT COUNT(DISTINCT (day_of_week, incident_id)) FROM incidents',
  districts: 'SELECT COUNT(DISTINCT (council_district, incident_id)) FROM incidents',
  victims_by_year: 'SELECT SUM(v) FROM (SELECT any_value(victims_total) v FROM incidents GROUP BY incident_id)',
  juvenile_share: 'SELECT SUM(n) FROM (SELECT COUNT(DISTINCT incident_id) FILTER (WHERE offender_count_known) n FROM incidents GROUP BY year)',
  year_to_date: 'SELECT COUNT(DISTINCT (year, incident_id)) FILTER (WHERE dayofyear(incident_date) <= (SELECT dayofyear(MAX(incident_date)) FROM incidents)) FROM incidents',
  bias_category_by_year: 'SELECT COUNT(DISTINCT (year, bias_category, incident_id)) FROM incidents',
  offenses: 'SELECT COUNT(DISTINCT (o, a, incident_id)) FROM (SELECT unnest(offenses) o, unnest(crimes_against) a, incident_id FROM incidents)',
  offender_race: 'SELECT COUNT(DISTINCT (offender_race, offender_ethnicity, incident_id)) FROM incidents',
  sectors: 'SELECT COUNT(DISTINCT (sector, incident_id)) FROM incidents',
  zip_codes: 'SELECT COUNT(DISTINCT (zip_code, incident_id)) FROM incidents',
  bias_by_offense: "SELECT COUNT(DISTINCT (bias_category, coalesce(a, 'Unknown'), incident_id)) FROM (SELECT bias_category, unnest(crimes_against) a, incident_id FROM incidents)",
  quality: 'SELECT COUNT(*) FROM (SELECT unnest(quality_flags) FROM incidents)',
}

test('the dashboard renders every chart with the right totals, filters, and updates live', async () => {
  const chromiumPath = process.env.CHROMIUM_PATH
  assert.ok(chromiumPath, 'Expected CHROMIUM_PATH (bash scripts/chromium.sh prints it)')
  const dir = tempDir('dashboard-browser')
  const lake = join(dir, 'lake')
  const unmapped = rawRow({ incident_number: '2024-5', date_of_incident: '05/05/2024 12:00:00 AM', month: 'May', day_of_week: 'Sun', offense_location: 'Moon Base' })
  writeFileSync(join(dir, 'first.csv'), austinCsv([...MESSY_ROWS, unmapped, rawRow({ incident_number: 'x', date_of_incident: 'never' })]))
  await runInProcess({ input: join(dir, 'first.csv'), lake })
  const query = await openLakeQuery(lake)
  const expected: Record<string, number> = {}
  for (const [chart, sql] of Object.entries(EXPECTED)) expected[chart] = Number(Object.values((await query.query(sql))[0])[0])
  const count = async (where: string) => String((await query.query(`SELECT COUNT(DISTINCT incident_id) AS n FROM incidents WHERE ${where}`))[0].n)
  const [all, sexualOrientation, religionOrMultiple] = [await count('true'), await count("bias_category = 'Sexual Orientation'"), await count("bias_category IN ('Religion', 'Multiple')")]
  await query.close()

  const dashboard = await startDashboard({ lake, port: 0, pollMs: 300 })
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(dashboard.url)
    await page.waitForSelector('#chart-quality')
    // What ECharts holds for each chart: the sum of every drawn series' values, and the card's title and note.
    const cards = await page.$$eval('.card', (sections) =>
      sections.map((s) => {
        const chart = s.querySelector('.chart') && (window as unknown as { echarts: { getInstanceByDom(e: Element): { getOption(): { series: { data: unknown[] }[] } } } }).echarts.getInstanceByDom(s.querySelector('.chart')!)
        const values = chart ? chart.getOption().series.flatMap((series) => series.data.map((d) => (Array.isArray(d) ? Number(d[2]) : d !== null && typeof d === 'object' ? Number((d as { value: unknown }).value) : Number(d ?? 0)))) : []
        return { id: s.id.replace('chart-', ''), total: Number(s.dataset.total), title: s.querySelector('h2')!.textContent, canvas: Boolean(s.querySelector('canvas')), values, drawn: values.reduce((a, b) => a + b, 0) }
      }),
    )
    assert.deepEqual(cards.map((card) => card.id).sort(), Object.keys(expected).sort(), 'every chart has a card, and its total is checked')
    for (const card of cards) {
      assert.ok(card.title, `${card.id} has a title`)
      if (card.id !== 'quality') assert.ok(card.canvas && card.values.length > 0, `${card.id} drew a chart with data`)
    }
    const totals = Object.fromEntries(cards.map((card) => [card.id, card.total]))
    for (const [chart, value] of Object.entries(expected)) assert.equal(totals[chart], value, `${chart} shows ${value}`)
    const drawn = Object.fromEntries(cards.map((card) => [card.id, card.drawn]))
    for (const chart of ['year_to_date', 'top_biases', 'locations', 'day_of_week', 'districts', 'sectors', 'zip_codes', 'offenses', 'bias_by_offense', 'offender_race', 'heatmap']) {
      assert.equal(drawn[chart], expected[chart], `${chart} draws ${expected[chart]} in its series`)
    }
    // Trend charts carry a second series (change, rolling sum): their first series holds the counts.
    for (const chart of ['by_year', 'by_month']) {
      const bars = await page.$eval(`#chart-${chart} .chart`, (element) =>
        (window as unknown as { echarts: { getInstanceByDom(e: Element): { getOption(): { series: { data: unknown[] }[] } } } }).echarts
          .getInstanceByDom(element).getOption().series[0].data.map((d) => (d !== null && typeof d === 'object' ? (d as { value: number }).value : Number(d))))
      assert.equal(bars.reduce((a, b) => a + b, 0), expected[chart], `${chart} draws ${expected[chart]} in its bars`)
    }
    assert.equal(await page.textContent('#kpi-incidents'), all)
    assert.match((await page.textContent('#chart-by_year .note'))!, /2025 is partial \(data to 2025-02-03\)/)
    const quality = await page.$eval('#chart-quality', (s) => ({ dead: s.dataset.dead, unmapped: s.dataset.unmapped, text: s.textContent }))
    assert.equal(quality.dead, '1')
    assert.equal(quality.unmapped, '1')
    assert.match(quality.text!, /location: Moon Base/)
    assert.match(quality.text!, /parse: bad_date/)
    assert.match(quality.text!, /Partial year: 2025 has data only to 2025-02-03/)

    await page.selectOption('select[name="bias_category"]', 'Religion')
    await page.waitForFunction(() => document.querySelector('#kpi-incidents')?.textContent === '0')
    assert.match(page.url(), /\?bias_category=Religion$/, 'the filter is kept in the URL')
    await page.selectOption('select[name="bias_category"]', 'Sexual Orientation')
    await page.waitForFunction((n) => document.querySelector('#kpi-incidents')?.textContent === n, String(sexualOrientation))
    await page.selectOption('select[name="bias_category"]', '')
    await page.waitForFunction((n) => document.querySelector('#kpi-incidents')?.textContent === n, all)

    // A shared link with a list of categories opens on that view.
    await page.goto(`${dashboard.url}?bias_category=Religion,Multiple`)
    await page.waitForFunction((n) => document.querySelector('#kpi-incidents')?.textContent === n, religionOrMultiple)
    assert.equal(await page.inputValue('select[name="bias_category"]'), 'Religion,Multiple')
    await page.goto(dashboard.url)
    await page.waitForFunction((n) => document.querySelector('#kpi-incidents')?.textContent === n, all)
    await page.evaluate(() => Object.assign(window, { beforeLiveUpdate: true }))

    writeFileSync(join(dir, 'second.csv'), austinCsv([rawRow({ incident_number: '2024-77', date_of_incident: '10/10/2024 12:00:00 AM' })]))
    await runInProcess({ input: join(dir, 'second.csv'), lake })
    await page.waitForFunction((n) => document.querySelector('#kpi-incidents')?.textContent === n, String(Number(all) + 1), { timeout: 10_000 })
    assert.equal(await page.evaluate(() => (window as unknown as { beforeLiveUpdate?: boolean }).beforeLiveUpdate), true, 'the page updated without a reload')
    assert.match((await page.textContent('#status'))!, /16 rows in \d+ files · 1 dead letters · last file /)
    assert.equal(await page.$eval('#chart-by_year', (s) => s.dataset.total), String(expected.by_year + 1))
    assert.deepEqual(errors, [])
    await page.screenshot({ path: join(dir, 'dashboard.png') })
  } finally {
    await browser.close()
    await dashboard.close()
  }
})
