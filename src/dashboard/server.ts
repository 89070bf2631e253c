import { createReadStream, readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { Readable } from 'node:stream'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { DashboardData } from './dashboard-data.ts'
import { parseFilters } from './filters.ts'

/** The page's files, each served from one fixed path: nothing else on disk can be reached. */
const ASSETS: Record<string, { file: URL; type: string }> = {
  '/': { file: new URL('./assets/index.html', import.meta.url), type: 'text/html; charset=utf-8' },
  '/app.js': { file: new URL('./assets/app.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
  '/charts.js': { file: new URL('./assets/charts.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: new URL('./assets/style.css', import.meta.url), type: 'text/css; charset=utf-8' },
  '/vendor/echarts.min.js': { file: new URL(import.meta.resolve('echarts/dist/echarts.min.js')), type: 'text/javascript; charset=utf-8' },
}

export interface DashboardOptions {
  lake: string
  port?: number
  host?: string
  /** An ingest's Prometheus endpoint, to show Kafka lag. */
  metricsUrl?: string
  /** How often the lake is listed for changes, in ms. */
  pollMs?: number
}

/** The HTTP app: page assets, the JSON API, server-sent events and downloads. Read-only. */
export function dashboardApp(data: DashboardData, options: DashboardOptions): Hono {
  const app = new Hono()
  for (const [path, asset] of Object.entries(ASSETS)) {
    const body = readFileSync(asset.file)
    app.get(path, (c) => c.body(body, 200, { 'content-type': asset.type, 'cache-control': 'no-cache' }))
  }
  const filtered = (url: string) => parseFilters(new URL(url).searchParams)

  app.get('/api/charts', async (c) => {
    const parsed = filtered(c.req.url)
    if (!parsed.ok) return c.json({ error: parsed.error }, 400)
    await data.refresh()
    return c.json({ status: data.status(), charts: await data.charts(parsed.filters) })
  })

  app.get('/api/status', async (c) => {
    if (new URL(c.req.url).search) return c.json({ error: 'Expected no parameters for /api/status' }, 400)
    await data.refresh()
    return c.json({ ...data.status(), lag: options.metricsUrl ? await ingestLag(options.metricsUrl) : null })
  })

  for (const format of ['csv', 'parquet'] as const) {
    app.get(`/api/download.${format}`, async (c) => {
      const parsed = filtered(c.req.url)
      if (!parsed.ok) return c.json({ error: parsed.error }, 400)
      const file = await data.download(parsed.filters, format)
      const stream = createReadStream(file.path).on('close', file.remove)
      return new Response(Readable.toWeb(stream) as ReadableStream, {
        headers: {
          'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet',
          'content-disposition': `attachment; filename="hate-crime-incidents.${format}"`,
        },
      })
    })
  }

  app.get('/api/events', (c) =>
    streamSSE(c, async (sse) => {
      let closed = false
      sse.onAbort(() => {
        closed = true
      })
      await sse.writeSSE({ event: 'status', data: JSON.stringify(data.status()) })
      while (!closed) {
        await sse.sleep(options.pollMs ?? 1500)
        if (await data.refresh()) await sse.writeSSE({ event: 'lake-changed', data: JSON.stringify(data.status()) })
      }
    }),
  )

  app.notFound((c) => c.json({ error: `Nothing at ${new URL(c.req.url).pathname}` }, 404))
  app.onError((error, c) => c.json({ error: error.message }, 500))
  return app
}

/**
 * Serves the dashboard on a lake until `close()` is called.
 *
 * @example
 * const dashboard = await startDashboard({ lake: './lake', port: 8080 })
 * console.log(dashboard.url)
 */
export async function startDashboard(options: DashboardOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const data = await DashboardData.open(options.lake)
  const app = dashboardApp(data, options)
  const host = options.host ?? '127.0.0.1'
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: options.port ?? 8080, hostname: host }, () => resolve(started))
    started.once('error', reject)
  })
  const http = server as Server
  const address = http.address() as { port: number }
  return {
    url: `http://${host}:${address.port}/`,
    close: async () => {
      http.closeAllConnections()
      await new Promise((resolve) => http.close(resolve))
      await data.close()
    },
  }
}

/**
 * Reads the Kafka lag an ingest reports (`hatecrimes_ingest_lag_records`, one series per partition)
 * from its Prometheus endpoint, summed over partitions; null when the endpoint cannot be read.
 *
 * @example
 * await ingestLag('http://127.0.0.1:9464/metrics') // 1200
 */
export async function ingestLag(metricsUrl: string): Promise<number | null> {
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(1000) })
    if (!response.ok) return null
    let lag = 0
    for (const line of (await response.text()).split('\n')) {
      const match = /^hatecrimes_ingest_lag_records(?:\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line)
      if (match) lag += Number(match[1])
    }
    return lag
  } catch {
    return null
  }
}
