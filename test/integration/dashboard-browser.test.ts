import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { austinDashboard } from './browser-harness.ts'
import { checkEveryChart } from './chart-expectations.ts'

test('every chart shows the numbers DuckDB finds in the real Austin file, in its table and in its drawing', async () => {
  const austin = await austinDashboard('dashboard-browser')
  const lake = await openLakeQuery(austin.lake)
  try {
    const [range] = await lake.query("SELECT MIN(year) AS first, MAX(year) AS last, MAX(incident_date)::VARCHAR AS last_date, strftime(MAX(incident_date), '%m-%d') AS mmdd, COUNT(DISTINCT incident_id) AS all FROM incidents")
    const fill = Object.fromEntries(Object.entries(range).map(([key, value]) => [key, String(value)]))
    const page = await austin.browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(austin.url)
    await page.waitForSelector('#chart-quality')
    assert.equal(await page.textContent('#kpi-incidents'), fill.all)
    await checkEveryChart(page, lake, fill)
    const partial = `* ${fill.last} is partial: data to ${fill.last_date}.`
    for (const id of ['by_year', 'year_to_date', 'bias_category_by_year', 'juvenile_share', 'victims_by_year', 'heatmap']) {
      assert.ok((await page.textContent(`#chart-${id} .note`))!.includes(partial), `${id} marks the partial year`)
    }
    const description = await page.getAttribute('#chart-by_year .chart', 'aria-label')
    assert.match(description!, /^Incidents per year: chart of \d+ rows from 2017 to 2025\. Largest incidents: \d+ for \d{4}\./)
    assert.deepEqual(errors, [])
  } finally {
    await lake.close()
    await austin.close()
  }
})
