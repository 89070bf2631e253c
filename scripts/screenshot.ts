/**
 * Takes the README's screenshot of the dashboard: serves a lake and photographs the page in
 * headless Chromium (Debian's, through playwright-core).
 *
 *   node scripts/screenshot.ts <lake> [docs/dashboard.png]
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
  const page = await browser.newPage({ viewport: { width: 1440, height: 1800 } })
  await page.goto(dashboard.url)
  await page.waitForSelector('#chart-quality')
  await page.waitForTimeout(1500)
  await page.screenshot({ path: out, fullPage: false })
  console.log(`wrote ${out}`)
} finally {
  await browser.close()
  await dashboard.close()
}
