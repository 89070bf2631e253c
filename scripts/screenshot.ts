/**
 * Takes the README's screenshots of the dashboard: serves a lake and photographs the page in
 * headless Chromium (Debian's, through playwright-core), on a desktop (whole page, every chart) and
 * on a phone (390 x 844, its first two screens), and, when the lake has places to compare, the places
 * section on the desktop.
 *
 *   node scripts/screenshot.ts <lake> [docs/dashboard.png] [docs/dashboard-phone.png] [docs/dashboard-places.png]
 *
 * The README's pictures are of the real Austin file:
 *   hatecrimes run --input data/austin_hate_crimes_2017_2025.csv --lake /tmp/austin
 *   CHROMIUM_PATH=$(bash scripts/chromium.sh) node scripts/screenshot.ts /tmp/austin
 * and the places picture of the FBI's national file beside it, with the Census populations:
 *   hatecrimes run --input data/fbi_cde_hate_crime_1991_2020.zip --lake /tmp/austin && hatecrimes population --lake /tmp/austin
 */
import { chromium } from 'playwright-core'
import { startDashboard } from '../src/dashboard/server.ts'

const [lake, desktop = 'docs/dashboard.png', phone = 'docs/dashboard-phone.png', places = 'docs/dashboard-places.png'] = process.argv.slice(2)
if (!lake) throw new Error('Expected a lake path: node scripts/screenshot.ts <lake> [desktop.png] [phone.png]')
const dashboard = await startDashboard({ lake, port: 0 })
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
try {
  for (const [out, width, height] of [[desktop, 1440, 900], [phone, 390, 844]] as const) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: width < 500 ? 2 : 1 })
    await page.goto(dashboard.url)
    await page.waitForSelector('#chart-quality')
    await page.waitForTimeout(1500)
    await page.screenshot(width < 500 ? { path: out, fullPage: true, clip: { x: 0, y: 0, width, height: 2 * height } } : { path: out, fullPage: true })
    console.log(`wrote ${out}`)
    if (width > 500 && (await page.isVisible('#places'))) {
      await page.locator('#places').screenshot({ path: places })
      console.log(`wrote ${places}`)
    }
  }
} finally {
  await browser.close()
  await dashboard.close()
}
