import { createReadStream } from 'node:fs'
import type { Server } from 'node:http'
import { Readable } from 'node:stream'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { streamSSE } from 'hono/streaming'
import { pino, type Logger } from 'pino'
import { DEFAULTS, environment } from '../core/config.ts'
import { HatecrimesError } from '../core/errors.ts'
import { CHART_NAMES } from './charts.ts'
import { DashboardData } from './dashboard-data.ts'
import { downloadName } from './download-file.ts'
import { parseFilters } from './filters.ts'
import { parseIncidentQuery } from './incident-list.ts'
import { placeRoutes } from './place-routes.ts'
import { LakeWatch } from './lake-watch.ts'
import { allowedHosts, guardRequests } from './request-guard.ts'
import { serveAssets } from './static-assets.ts'

export interface DashboardOptions {
  lake: string
  port?: number
  host?: string
  /** An ingest's Prometheus endpoint, to show Kafka lag. */
  metricsUrl?: string
  /** How often the lake is listed for changes, in ms (default 1500). */
  pollMs?: number
  /** Host names the page may be reached by besides the listening address and localhost (DNS rebinding guard). */
  allowedHosts?: string[]
  /** Where failed requests are logged (default: pino on stderr). */
  log?: Logger
}

/** The HTTP app: page assets, the JSON API, server-sent events and downloads. Read-only. */
export function dashboardApp(data: DashboardData, watch: LakeWatch, guard: { hosts: Set<string>; log: Logger }): Hono {
  const app = new Hono()
  guardRequests(app, guard)
  // Answers in JSON are gzipped (the FBI's charts and places are tens of kilobytes); the event stream and downloads are not touched.
  app.use('/api/*', compress({ contentTypeFilter: /^application\/json/ }))
  serveAssets(app)
  const filtered = (url: string) => parseFilters(new URL(url).searchParams)
  const noParameters = (url: string) => {
    const { pathname, search } = new URL(url)
    return search ? `Expected no parameters for ${pathname} (got "${search.slice(1)}")` : null
  }

  app.get('/api/charts', async (c) => {
    const parsed = filtered(c.req.url)
    if (!parsed.ok) return c.json({ error: parsed.error }, 400)
    const status = watch.snapshot()
    return c.json({ status, charts: await data.charts(parsed.filters) })
  })

  // One chart's rows: for a notebook or another tool that wants a single table. The answer comes from
  // the same cached result as /api/charts, so it costs nothing more.
  app.get('/api/charts/:name', async (c) => {
    const name = c.req.param('name')
    const names = [...CHART_NAMES, 'dead_letters']
    if (!names.includes(name)) return c.json({ error: `Expected a chart name, one of ${names.join(', ')} (got "${name}")` }, 404)
    const parsed = filtered(c.req.url)
    if (!parsed.ok) return c.json({ error: parsed.error }, 400)
    return c.json((await data.charts(parsed.filters))[name])
  })

  app.get('/api/incidents', async (c) => {
    const parsed = parseIncidentQuery(new URL(c.req.url).searchParams)
    if (!parsed.ok) return c.json({ error: parsed.error }, 400)
    return c.json(await data.incidents(parsed.query))
  })

  placeRoutes(app, data)

  app.get('/api/status', (c) => {
    const error = noParameters(c.req.url)
    return error ? c.json({ error }, 400) : c.json(watch.snapshot())
  })

  for (const format of ['csv', 'parquet'] as const) {
    app.get(`/api/download.${format}`, async (c) => {
      const parsed = filtered(c.req.url)
      if (!parsed.ok) return c.json({ error: parsed.error }, 400)
      const headers = {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet',
        'content-disposition': `attachment; filename="${downloadName(parsed.filters, format)}"`,
      }
      // A HEAD request never reads a body: making the export would leave its file behind.
      if (c.req.method === 'HEAD') return new Response(null, { headers })
      const file = await data.download(parsed.filters, format)
      const stream = createReadStream(file.path).on('close', file.remove)
      return new Response(Readable.toWeb(stream) as ReadableStream, { headers })
    })
  }

  app.get('/api/events', (c) => {
    const error = noParameters(c.req.url)
    if (error) return c.json({ error }, 400)
    return streamSSE(c, async (sse) => {
      await sse.writeSSE({ event: 'status', data: JSON.stringify(watch.snapshot()) })
      // Events are written in order, one after another, however fast the watch reports them.
      let written = Promise.resolve()
      await new Promise<void>((resolve) => {
        const unsubscribe = watch.subscribe((event, status) => {
          written = written.then(() => sse.writeSSE({ event, data: JSON.stringify(status) })).catch(() => undefined)
        })
        sse.onAbort(() => {
          unsubscribe()
          resolve()
        })
      })
    })
  })

  app.notFound((c) => c.json({ error: `Nothing at ${new URL(c.req.url).pathname}` }, 404))
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
  const watch = new LakeWatch(data, options)
  await watch.start()
  const host = options.host ?? '127.0.0.1'
  const log = options.log ?? pino({ level: environment().logLevel }, pino.destination(2))
  const app = dashboardApp(data, watch, { hosts: allowedHosts(host, options.allowedHosts), log })
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: options.port ?? DEFAULTS.port, hostname: host }, () => resolve(started))
    started.once('error', reject)
  }).catch(async (error: NodeJS.ErrnoException) => {
    watch.stop()
    await data.close()
    if (error.code !== 'EADDRINUSE') throw error
    throw new HatecrimesError('BAD_OPTION', `Expected a free port for the dashboard at ${host}:${options.port} (it is in use: choose another with --port)`)
  })
  const http = server as Server
  const address = http.address() as { port: number }
  return {
    url: `http://${host}:${address.port}/`,
    close: async () => {
      watch.stop()
      http.closeAllConnections()
      await new Promise((resolve) => http.close(resolve))
      await data.close()
    },
  }
}
