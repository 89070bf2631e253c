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
  victims_by_year: 'SELECT SUM(victims_total) FROM incidents',
  juvenile_share: 'SELECT SUM(n) FROM (SELECT COUNT(DISTINCT incident_id) FILTER (WHERE offender_count_known) n FROM incidents GROUP BY year)',
  quality: 'SELECT COUNT(*) FROM (SELECT unnest(quality_flags) FROM incidents)',
}

test('the dashboard renders every chart with the right totals, filters, and updates live', async () => {
  const chromiumPath = process.env.CHROMIUM_PATH
  assert.ok(chromiumPath, 'Expected CHROMIUM_PATH (bash scripts/chromium.sh prints it)')
  const dir = tempDir('dashboard-browser')
  const lake = join(dir, 'lake')
  writeFileSync(join(dir, 'first.csv'), austinCsv(MESSY_ROWS))
  await runInProcess({ input: join(dir, 'first.csv'), lake })
  const query = await openLakeQuery(lake)
  const expected: Record<string, number> = {}
  for (const [chart, sql] of Object.entries(EXPECTED)) expected[chart] = Number(Object.values((await query.query(sql))[0])[0])
  const [{ n: sexualOrientation }] = await query.query("SELECT COUNT(DISTINCT incident_id) AS n FROM incidents WHERE bias_category = 'Sexual Orientation'")
  await query.close()

  const dashboard = await startDashboard({ lake, port: 0, pollMs: 300 })
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(dashboard.url)
    await page.waitForSelector('#chart-quality')
    const cards = await page.$$eval('.card', (sections) => sections.map((s) => ({ id: s.id, total: s.dataset.total, drawn: Boolean(s.querySelector('canvas')) || s.id === 'chart-quality' })))
    assert.equal(cards.length, 17)
    for (const card of cards) assert.ok(card.drawn, `${card.id} drew a chart`)
    const totals = Object.fromEntries(cards.map((card) => [card.id.replace('chart-', ''), Number(card.total)]))
    for (const [chart, value] of Object.entries(expected)) assert.equal(totals[chart], value, `${chart} shows ${value}`)
    assert.equal(await page.textContent('#kpi-incidents'), '13')
    assert.match((await page.textContent('#chart-by_year .note'))!, /2025 is partial \(data to 2025-02-03\)/)

    await page.selectOption('select[name="bias_category"]', 'Religion')
    await page.waitForFunction(() => document.querySelector('#kpi-incidents')?.textContent === '0')
    assert.match(page.url(), /\?bias_category=Religion$/, 'the filter is kept in the URL')
    await page.selectOption('select[name="bias_category"]', 'Sexual Orientation')
    await page.waitForFunction((n) => document.querySelector('#kpi-incidents')?.textContent === n, String(sexualOrientation))
    await page.selectOption('select[name="bias_category"]', '')
    await page.waitForFunction(() => document.querySelector('#kpi-incidents')?.textContent === '13')

    writeFileSync(join(dir, 'second.csv'), austinCsv([rawRow({ incident_number: '2024-77', date_of_incident: '10/10/2024 12:00:00 AM' })]))
    await runInProcess({ input: join(dir, 'second.csv'), lake })
    await page.waitForFunction(() => document.querySelector('#kpi-incidents')?.textContent === '14', undefined, { timeout: 10_000 })
    assert.match((await page.textContent('#status'))!, /15 rows in \d+ files/)
    assert.deepEqual(errors, [])
    await page.screenshot({ path: join(dir, 'dashboard.png') })
  } finally {
    await browser.close()
    await dashboard.close()
  }
})
