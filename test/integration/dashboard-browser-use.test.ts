import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Page } from 'playwright-core'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { austinCsv, rawRow } from '../fixtures/austin-rows.ts'
import { austinDashboard } from './browser-harness.ts'

const AXE = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname
const kpi = (page: Page, value: string) => page.waitForFunction((n) => document.querySelector('#kpi-incidents')?.textContent === n, value)
/** Bytes on the wire (headers and compressed bodies) of everything the page has loaded. */
const wireBytes = (page: Page) => page.evaluate(() => (performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')) as PerformanceResourceTiming[]).reduce((sum, e) => sum + e.transferSize, 0))

test('an analyst\'s first minute on the real Austin data: phone, filters, Reset, drill-down, messages, accessibility, bytes', async () => {
  const austin = await austinDashboard('dashboard-use')
  const lake = await openLakeQuery(austin.lake)
  const count = async (where: string) => String((await lake.query(`SELECT COUNT(DISTINCT incident_id) AS n FROM incidents WHERE ${where}`))[0].n)
  const [all, religionOrGender, in2020, empty2017] = [await count('true'), await count("bias_category IN ('Religion', 'Gender')"), await count('year = 2020'),
    (await lake.query("SELECT c FROM (VALUES ('Disability'), ('Gender'), ('Gender Identity'), ('Religion')) v(c) WHERE c NOT IN (SELECT bias_category FROM incidents WHERE year = 2017) LIMIT 1"))[0].c]
  try {
    // A phone: nothing wider than the screen, year labels tilted so they never run together.
    const phone = await austin.browser.newPage({ viewport: { width: 390, height: 844 } })
    await phone.goto(austin.url)
    await phone.waitForSelector('#chart-quality')
    assert.ok(await phone.evaluate(() => document.scrollingElement!.scrollWidth) <= 390, 'no sideways scrolling at 390 px')
    const rotate = await phone.$eval('#chart-by_year .chart', (e) => (window as unknown as { echarts: { getInstanceByDom(e: Element): { getOption(): { xAxis: { axisLabel: { rotate: number } }[] } } } }).echarts.getInstanceByDom(e).getOption().xAxis[0].axisLabel.rotate)
    assert.equal(rotate, 45)
    await phone.close()

    const page = await austin.browser.newPage({ viewport: { width: 1280, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(austin.url)
    await page.waitForSelector('#chart-quality')
    const firstLoad = await wireBytes(page)
    assert.match((await page.textContent('#status'))!, /^266 source rows \(265 incidents\) in the lake · newest incident 2025-03-24/)
    assert.equal(await page.isVisible('#synthetic'), false, 'no synthetic badge on real data')

    // Multi-select: two categories at once.
    await page.click('[data-filter="bias_category"] summary')
    await page.check('input[name="bias_category"][value="Religion"]')
    await page.check('input[name="bias_category"][value="Gender"]')
    await kpi(page, religionOrGender)
    assert.match(page.url(), /\?bias_category=Religion%2CGender$/)
    assert.equal(await page.textContent('[data-filter="bias_category"] .chosen'), '2 chosen')
    // Reset clears filters, URL and charts.
    await page.selectOption('select[name="year_from"]', '2019')
    await page.click('#clear-filters')
    await kpi(page, all)
    assert.equal(new URL(page.url()).search, '')
    assert.equal(await page.$$eval('#filters input[type="checkbox"]:checked', (boxes) => boxes.length), 0)
    assert.equal(await page.inputValue('select[name="year_from"]'), '')

    // A click on the 2020 bar lists its incidents, paged and sortable, with the raw source text.
    await page.$eval('#chart-by_year', (e) => e.scrollIntoView()) // below the places section: a mouse clicks only what is on screen
    const point = await page.$eval('#chart-by_year .chart', (e) => {
      const chart = (window as unknown as { echarts: { getInstanceByDom(e: Element): { convertToPixel(f: object, v: unknown[]): number[] } } }).echarts.getInstanceByDom(e)
      const box = e.getBoundingClientRect()
      const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, ['2020', 2])
      return { x: box.left + x, y: box.top + y }
    })
    await page.mouse.click(point.x, point.y)
    await page.waitForSelector('#incidents:not([hidden]) tbody tr')
    assert.equal(await page.getAttribute('#incidents', 'data-incidents'), in2020)
    assert.match((await page.textContent('#incidents h2'))!, /from 2020, to 2020/)
    const dates = () => page.$$eval('#incidents tbody tr', (rows) => rows.map((row) => row.children[1].textContent!))
    assert.ok((await dates()).every((date) => date.startsWith('2020-')))
    await page.click('#incidents button[data-sort="incident_date"]')
    await page.waitForSelector('#incidents th[aria-sort="ascending"]')
    const ascending = await dates()
    assert.deepEqual(ascending, [...ascending].sort(), 'sorted by date, oldest first')
    assert.equal(await page.$$eval('#incidents tbody tr', (rows) => rows.length), Math.min(25, Number(in2020)))
    assert.ok((await page.textContent('#incidents thead'))!.includes('bias as written'))

    // Keyboard and screen readers: a table view whose rows lead to the incidents too; then axe-core.
    await page.focus('#chart-top_biases .show-table')
    await page.keyboard.press('Enter')
    assert.equal(await page.getAttribute('#chart-top_biases .show-table', 'aria-pressed'), 'true')
    await page.addScriptTag({ path: AXE })
    const axe = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(): Promise<{ passes: unknown[]; violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run()
      return { passes: result.passes.length, violations: result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`) }
    })
    assert.ok(axe.passes > 10, `axe-core ran its rules (${axe.passes} passed)`)
    assert.deepEqual(axe.violations, [], 'axe-core finds no violations')

    // Each chart exports as PNG and its rows as CSV, named for the chart and the filters.
    const exported = async (selector: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)])
      return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) }
    }
    const csv = await exported('#chart-by_year .csv')
    assert.equal(csv.name, 'hate-crimes_by_year.csv')
    const lines = csv.bytes.toString().trim().split('\r\n')
    assert.equal(lines[0], 'year,incidents,change from the year before (%)')
    assert.equal(lines.find((line) => line.startsWith('2020,'))?.split(',')[1], in2020)
    const png = await exported('#chart-by_year .png')
    assert.equal(png.name, 'hate-crimes_by_year.png')
    assert.deepEqual([...png.bytes.subarray(1, 4)], [...Buffer.from('PNG')])

    // A reversed year range says so, and the charts say they are the previous view.
    await page.selectOption('select[name="year_from"]', '2024')
    await page.selectOption('select[name="year_to"]', '2020')
    await page.waitForSelector('#message:not([hidden])')
    assert.match((await page.textContent('#message'))!, /^"From" 2024 is after "To" 2020: choose a From year no later than the To year\. The charts below still show the previous view\.$/)
    assert.ok(await page.$eval('#charts', (e) => e.classList.contains('stale')))
    assert.equal(await page.$eval('#status', (e) => e.classList.contains('live')), false, 'no green live dot beside an error')

    // An empty result says so on every chart.
    await page.goto(`${austin.url}?year_from=2017&year_to=2017&bias_category=${encodeURIComponent(String(empty2017))}`)
    await kpi(page, '0')
    // Sixteen charts and the comparison of places (Austin's own file: a city lake has no map and no second source).
    await page.waitForSelector('#chart-compare .empty:not([hidden])')
    assert.equal(await page.$$eval('.card .empty', (notes) => notes.filter((note) => !(note as HTMLElement).hidden).length), 17)

    // After the first load the page costs little: assets answer 304 to their ETags.
    await page.goto(austin.url)
    await page.waitForSelector('#chart-quality')
    const reload = await wireBytes(page)
    assert.ok(firstLoad < 400_000, `first load ${firstLoad} bytes on the wire`)
    assert.ok(reload < 50_000, `a reload ${reload} bytes on the wire`)

    // Synthetic rows arriving live get a badge and a source choice; choosing only the real source removes it.
    writeFileSync(join(austin.dir, 'generated.csv'), austinCsv([rawRow({ incident_number: '2024-77', date_of_incident: '10/10/2024 12:00:00 AM' })]))
    await promisify(execFile)(process.execPath, ['bin/hatecrimes.js', 'run', '--input', join(austin.dir, 'generated.csv'), '--lake', austin.lake, '--source', 'synthetic', '--no-kafka'])
    await page.waitForSelector('#synthetic:not([hidden])', { timeout: 10_000 })
    assert.match((await page.textContent('#synthetic'))!, /^Synthetic data in view: 1 generated rows \(synthetic\)/)
    await page.click('[data-filter="source"] summary')
    await page.check('input[name="source"][value="austin_apd"]')
    await kpi(page, all)
    assert.equal(await page.isVisible('#synthetic'), false)
    assert.deepEqual(errors, [])
    console.log(`wire bytes: first load ${firstLoad}, reload ${reload}`)
  } finally {
    await lake.close()
    await austin.close()
  }
})
