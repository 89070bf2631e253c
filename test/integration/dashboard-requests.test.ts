import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { request, type IncomingHttpHeaders } from 'node:http'
import { join } from 'node:path'
import { brotliDecompressSync } from 'node:zlib'
import { pino } from 'pino'
import type { DashboardData } from '../../src/dashboard/dashboard-data.ts'
import type { LakeWatch } from '../../src/dashboard/lake-watch.ts'
import { allowedHosts } from '../../src/dashboard/request-guard.ts'
import { dashboardApp, startDashboard } from '../../src/dashboard/server.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { austinCsv, MESSY_ROWS } from '../fixtures/austin-rows.ts'
import { tempDir } from './kafka-harness.ts'

const dir = tempDir('dashboard-requests')
const lake = join(dir, 'lake')
let dashboard: Awaited<ReturnType<typeof startDashboard>>
const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, dashboard.url), { headers })

before(async () => {
  writeFileSync(join(dir, 'first.csv'), austinCsv(MESSY_ROWS))
  await runInProcess({ input: join(dir, 'first.csv'), lake })
  dashboard = await startDashboard({ lake, port: 0, pollMs: 60_000, log: pino({ level: 'silent' }) })
})
after(() => dashboard.close())

/** A GET as sent, answered as received: fetch sets its own Host header and decompresses bodies. */
function raw(path: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const { port } = new URL(dashboard.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject).end()
  })
}
const withHost = async (host: string, path = '/api/status') => {
  const { status, body } = await raw(path, { host })
  return { status, body: body.toString() }
}

test('a Host header that does not name this server is refused (DNS rebinding)', async () => {
  const { port } = new URL(dashboard.url)
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) assert.equal((await withHost(host)).status, 200, host)
  for (const host of [`evil.example:${port}`, 'attacker.test', `127.0.0.1.evil.example:${port}`]) {
    const refused = await withHost(host, '/')
    assert.equal(refused.status, 403, host)
    assert.match(JSON.parse(refused.body).error, /^Expected the Host header to name this server \(.*\) \(got "/, host)
  }
  assert.ok(allowedHosts('0.0.0.0').has('127.0.0.1'), 'a wildcard address takes the machine\'s own addresses')
  assert.ok(allowedHosts('127.0.0.1', ['Dash.Example.org']).has('dash.example.org'), 'names given are allowed, in any case')
})

test('a failing request is logged with its request id and answered without internals', async () => {
  const lines: string[] = []
  const log = pino({}, { write: (line: string) => lines.push(line) })
  const data = { charts: () => Promise.reject(new Error('IO Error: /srv/secret/lake/year=2020 is gone')) } as unknown as DashboardData
  const watch = { snapshot: () => ({}) } as unknown as LakeWatch
  const app = dashboardApp(data, watch, { hosts: allowedHosts('127.0.0.1'), log })
  const response = await app.request('http://127.0.0.1/api/charts', { headers: { host: '127.0.0.1:8080' } })
  assert.equal(response.status, 500)
  const id = response.headers.get('x-request-id')
  assert.ok(id, 'the answer carries its request id')
  const body = await response.json()
  assert.deepEqual(body, { error: `The server could not answer this request (request id ${id})`, requestId: id })
  const [logged] = lines.map((line) => JSON.parse(line))
  assert.equal(logged.requestId, id)
  assert.equal(logged.path, '/api/charts')
  assert.match(logged.err.message, /secret\/lake/, 'the log keeps the cause')
})

test('assets go out compressed with an ETag, and a second load gets bodiless 304s', async () => {
  const host = new URL(dashboard.url).host
  const first = await raw('/vendor/echarts.min.js', { host, 'accept-encoding': 'br, gzip' })
  assert.equal(first.headers['content-encoding'], 'br')
  assert.ok(first.body.length < 360_000, `ECharts is ${first.body.length} bytes in Brotli`)
  assert.match(brotliDecompressSync(first.body).toString('utf8', 0, 2000), /echarts/)
  const etag = first.headers.etag!
  assert.match(etag, /^"[\w-]{22}"$/)
  const again = await raw('/vendor/echarts.min.js', { host, 'accept-encoding': 'br', 'if-none-match': etag })
  assert.equal(again.status, 304)
  assert.equal(again.body.length, 0)
  assert.equal((await raw('/', { host, 'accept-encoding': 'gzip' })).headers['content-encoding'], 'gzip')
  const plain = await raw('/style.css', { host })
  assert.equal(plain.headers['content-encoding'], undefined)
  assert.match(plain.body.toString(), /^:root/)
})

test('the incidents behind a bar: filtered, paged, sorted by an allowed column only, with raw values and base file names', async () => {
  const all = await (await get('/api/incidents?sort=incident_id&dir=asc')).json()
  assert.equal(all.total.rows, 14)
  assert.equal(all.total.incidents, 13)
  assert.equal(all.pageSize, 25)
  const ids = all.rows.map((r: { incident_id: string }) => r.incident_id)
  assert.deepEqual(ids, [...ids].sort(), 'sorted by incident number')
  assert.equal(all.rows[0].source_file, 'first.csv', 'no server folders')
  assert.ok('raw_bias' in all.rows[0] && 'raw_offenses' in all.rows[0])
  const drilled = await (await get('/api/incidents?year_from=2023&year_to=2023&offense=Simple%20Assault')).json()
  assert.ok(drilled.rows.every((r: { incident_date: string; offenses: string[] }) => r.incident_date.startsWith('2023') && r.offenses.includes('Simple Assault')))
  assert.ok(drilled.total.rows > 0)
  const paged = await (await get('/api/incidents?page=2')).json()
  assert.deepEqual(paged.rows, [], 'page 2 of 14 rows is empty')
  for (const [query, message] of [
    ['sort=raw_bias;DROP', /^Expected one of incident_date, .* for "sort" \(got "raw_bias;DROP"\)$/],
    ['page=0', /^Expected a page number from 1 for "page"/],
    ['colour=red', /^Unknown parameter "colour": expected year_from, .*, source, or month, .*, page, sort, dir$/],
  ] as const) {
    const response = await get(`/api/incidents?${query}`)
    assert.equal(response.status, 400, query)
    assert.match((await response.json()).error, message, query)
  }
})
