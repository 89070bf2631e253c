/**
 * Takes the README's screenshot of the dashboard: serves a lake and photographs the page in
 * headless Chromium (Debian's, through playwright-core).
 *
 *   node scripts/screenshot.ts <lake> [docs/dashboard.png]
 *
 * The README's picture is of a generated lake (whole page, every chart):
 *   hatecrimes generate --rows 20000 --out /tmp/s.csv && hatecrimes run --input /tmp/s.csv --lake /tmp/lake --source synthetic
 *   CHROMIUM_PATH=$(bash scripts/chromium.sh) node scripts/screenshot.ts /tmp/lake
 */
import { chromium } from 'playwright-core'
import { startDashboard } from '../src/dashboard/server.ts'

const [lake, out = 'docs/dashboard.png'] = process.argv.slice(2)
if (!lake) throw new Error('Expected a lake path: node scripts/screenshot.ts <lake> [out.png]')
const dashboard = await startDashboard({ lake, port: 0 })
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await page.goto(dashboard.url)
  await page.waitForSelector('#chart-quality')
  await page.waitForTimeout(1500)
  await page.screenshot({ path: out, fullPage: true })
  console.log(`wrote ${out}`)
} finally {
  await browser.close()
  await dashboard.close()
}
