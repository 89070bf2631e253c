import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { pino } from 'pino'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startDashboard } from '../../src/dashboard/server.ts'
import { tempDir } from './kafka-harness.ts'

/** The real Austin police file shipped in data/. */
export const AUSTIN_CSV = new URL('../../data/austin_hate_crimes_2017_2025.csv', import.meta.url).pathname

/**
 * A lake of the real Austin file built the way a user builds it (`hatecrimes run`), its dashboard,
 * and Debian's Chromium (CHROMIUM_PATH, from scripts/chromium.sh) started as the browser tests do.
 */
export async function austinDashboard(name: string): Promise<{ dir: string; lake: string; url: string; browser: Browser; close: () => Promise<void> }> {
  const chromiumPath = process.env.CHROMIUM_PATH
  if (!chromiumPath) throw new Error('Expected CHROMIUM_PATH (bash scripts/chromium.sh prints it)')
  const dir = tempDir(name)
  const lake = join(dir, 'lake')
  await promisify(execFile)(process.execPath, [new URL('../../bin/hatecrimes.js', import.meta.url).pathname, 'run', '--input', AUSTIN_CSV, '--lake', lake, '--no-kafka'])
  const dashboard = await startDashboard({ lake, port: 0, pollMs: 300, log: pino({ level: 'silent' }) })
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
  return { dir, lake, url: dashboard.url, browser, close: async () => { await browser.close(); await dashboard.close() } }
}

/** A card's table view as the page rendered it: one array of cell texts per row, without the row's "Show" button. */
export function renderedTable(page: Page, id: string): Promise<string[][]> {
  return page.$$eval(`#chart-${id} .table-view tbody tr`, (rows) => rows.map((row) => [...row.children].slice(0, -1).map((cell) => (cell.tagName === 'TD' ? cell.textContent!.replaceAll(',', '') : cell.textContent!))))
}

/** The values ECharts holds for a chart's series, per series (a heatmap cell gives its count). */
export function drawnSeries(page: Page, id: string): Promise<number[][]> {
  return page.$eval(`#chart-${id} .chart`, (element) => {
    const chart = (window as unknown as { echarts: { getInstanceByDom(e: Element): { getOption(): { series: { data: unknown[] }[] } } } }).echarts.getInstanceByDom(element)
    return chart.getOption().series.map((series) => series.data.map((d) => (Array.isArray(d) ? Number(d[2]) : d !== null && typeof d === 'object' ? Number((d as { value: unknown }).value) : Number(d ?? 0))))
  })
}
