import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeParquet } from '../../src/lake/parquet-file.ts'
import { startDashboard } from '../../src/dashboard/server.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { austinCsv, MESSY_ROWS, rawRow } from '../fixtures/austin-rows.ts'
import { tempDir } from './kafka-harness.ts'
import { readEventsUntil } from '../fixtures/event-stream.ts'

const dir = tempDir('dashboard-api')
const lake = join(dir, 'lake')
let dashboard: Awaited<ReturnType<typeof startDashboard>>
const get = (path: string) => fetch(new URL(path, dashboard.url))
const json = async (path: string) => (await get(path)).json()

before(async () => {
  writeFileSync(join(dir, 'first.csv'), austinCsv([...MESSY_ROWS, rawRow({ incident_number: 'bad', date_of_incident: 'soon' })]))
  await runInProcess({ input: join(dir, 'first.csv'), lake })
  dashboard = await startDashboard({ lake, port: 0, pollMs: 200 })
})
after(() => dashboard.close())

test('the charts endpoint answers every chart with the fixture\'s totals', async () => {
  const { charts, status } = await json('/api/charts')
  assert.deepEqual(charts.totals, [{ incidents: 13, rows: 14, first_date: '2017-01-01', last_date: '2025-02-03' }])
  assert.equal(status.deadLetters, 1)
  assert.deepEqual(charts.by_year.map((r: { year: number }) => r.year), [2017, 2018, 2019, 2020, 2021, 2023, 2024, 2025])
  assert.equal(charts.by_year.find((r: { year: number }) => r.year === 2023).incidents, 2, 'two rows of one incident count once')
  assert.equal(charts.bias_category_by_year.find((r: { year: number; bias_category: string }) => r.year === 2020 && r.bias_category === 'Multiple').incidents, 1)
  assert.ok(charts.top_biases.some((r: { bias: string }) => r.bias === 'Anti-Multiple Races, Group'))
  const against = Object.fromEntries(charts.offenses.map((r: { offense: string; incidents: number }) => [r.offense, r.incidents]))
  assert.equal(against['Simple Assault'], 12)
  assert.equal(against['Burglary/Breaking & Entering'], 1)
  assert.deepEqual(charts.juvenile_share.find((r: { year: number }) => r.year === 2020), { year: 2020, known: 2, juvenile: 0 })
  assert.deepEqual(charts.victims_by_year.find((r: { year: number }) => r.year === 2023), { year: 2023, victims: 2, juvenile: 0, unknown: 0 }, 'a two-row incident\'s victims count once')
  assert.deepEqual(charts.unmapped_values, [], 'every value of the fixture maps')
  assert.deepEqual(charts.dead_letters, [{ stage: 'parse', code: 'bad_date', rows: 1 }])
  assert.ok(charts.quality_flags.some((r: { flag: string; rows: number }) => r.flag === 'month_mismatch' && r.rows === 1))
  for (const name of ['year_to_date', 'by_month', 'locations', 'offender_race', 'victims_by_year', 'day_of_week', 'districts', 'sectors', 'zip_codes', 'bias_by_offense']) {
    assert.ok(charts[name].length > 0, `${name} has rows`)
  }
})

test('each chart has its own endpoint, answering the same rows for the same filters', async () => {
  const query = 'year_from=2019&district=9'
  const { charts } = await json(`/api/charts?${query}`)
  assert.equal(Object.keys(charts).length, 19)
  for (const [name, rows] of Object.entries(charts)) {
    const response = await get(`/api/charts/${name}?${query}`)
    assert.equal(response.status, 200, name)
    assert.deepEqual(await response.json(), rows, name)
  }
  assert.deepEqual(await json('/api/charts/by_year?year_from=2024'), [{ year: 2024, incidents: 1 }, { year: 2025, incidents: 1 }], 'the fixture holds 2024-8 and 2025-7')
  const unknown = await get('/api/charts/pie')
  assert.equal(unknown.status, 404)
  assert.match((await unknown.json()).error, /^Expected a chart name, one of totals, by_year, .*, dead_letters \(got "pie"\)$/)
  const bad = await get('/api/charts/by_year?year_from=soon')
  assert.equal(bad.status, 400)
  assert.equal((await bad.json()).error, 'Expected a four-digit year for "year_from" (got "soon")')
})

test('the status holds what the status strip of the page shows', async () => {
  const status = await json('/api/status')
  assert.deepEqual(Object.keys(status).sort(), ['deadLetters', 'error', 'files', 'incidents', 'lag', 'lastDate', 'lastFile', 'lastModified', 'rows', 'sources', 'version', 'years'])
  assert.deepEqual(status.sources, [{ source: 'austin_apd', rows: 14 }])
  assert.deepEqual([status.rows, status.incidents, status.deadLetters, status.years, status.lastDate, status.error], [14, 13, 1, [2017, 2025], '2025-02-03', null])
  assert.match(status.lastFile, /^(incidents\/source=[a-z0-9_]+\/year=\d{4}\/month=\d\d\/.*\.parquet|dead_letters\/.*\.jsonl)$/)
})

test('filters narrow every chart', async () => {
  const { charts } = await json('/api/charts?year_from=2020&year_to=2023&bias_category=Multiple,Race/Ethnicity/Ancestry&district=9')
  assert.deepEqual(charts.by_year.map((r: { year: number }) => r.year), [2020, 2021])
  assert.equal(charts.totals[0].incidents, 3)
  const mixed = await json('/api/charts?offense_group=Multiple')
  assert.equal(mixed.charts.totals[0].incidents, 1)
})

test('unknown or malformed parameters get a 400 that says what was expected', async () => {
  const cases: [string, RegExp][] = [
    ['/api/charts?year=2020', /^Unknown parameter "year": expected year_from/],
    ['/api/charts?year_from=20x', /^Expected a four-digit year for "year_from" \(got "20x"\)/],
    ['/api/charts?bias_category=Aliens', /^Expected one of Race\/Ethnicity\/Ancestry, .* for "bias_category" \(got "Aliens"\)/],
    ['/api/charts?district=11', /^Expected a council district from 1 to 10 for "district" \(got "11"\)/],
    ['/api/charts?year_from=2024&year_to=2020', /^Expected a year no later than year_to for "year_from" \(got "2024"\)/],
    ['/api/download.csv?offense_group=Theft', /for "offense_group" \(got "Theft"\)/],
    ['/api/status?x=1', /^Expected no parameters for \/api\/status \(got "x=1"\)/],
    ['/api/events?year_from=2020', /^Expected no parameters for \/api\/events/],
  ]
  for (const [path, message] of cases) {
    const response = await get(path)
    assert.equal(response.status, 400, path)
    assert.match((await response.json()).error, message, path)
  }
})

test('only the page\'s own assets are served; no path leads elsewhere', async () => {
  assert.equal((await get('/')).headers.get('content-type'), 'text/html; charset=utf-8')
  assert.match(await (await get('/vendor/echarts.min.js')).text(), /echarts/)
  for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../../package.json', '/src/cli/main.ts', '/vendor/../app.js/..%2f..%2fpackage.json']) {
    const response = await get(path)
    assert.equal(response.status, 404, path)
    assert.ok(!(await response.text()).includes('"dependencies"'), path)
  }
  assert.equal((await fetch(new URL('/api/charts', dashboard.url), { method: 'POST' })).status, 404, 'read-only')
})

test('downloads give the filtered rows as CSV and as Parquet, named for their filters, lists as JSON in CSV, no server paths', async () => {
  const csvResponse = await get('/api/download.csv?year_from=2023')
  assert.equal(csvResponse.headers.get('content-disposition'), 'attachment; filename="hate-crime-incidents_from-2023.csv"')
  const csv = await csvResponse.text()
  const lines = csv.trim().split('\n')
  assert.match(lines[0], /^source,agency_ori,agency_name,agency_type,city,state,population_group,incident_id,incident_date,/)
  assert.equal(lines.length - 1, 5)
  const header = lines[0].split(',')
  const cells = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1]))
  const first = Object.fromEntries(cells(lines[1]).map((cell, i) => [header[i], cell]))
  assert.ok(Array.isArray(JSON.parse(first.biases)) && JSON.parse(first.offenses).length > 0, `list cells are JSON arrays (got ${first.biases})`)
  assert.equal(first.source_file, 'first.csv', 'the file\'s base name, never the server\'s folder')
  const response = await get('/api/download.parquet?year_from=2023&bias_category=Race/Ethnicity/Ancestry,Multiple&district=9')
  assert.equal(response.headers.get('content-disposition'), 'attachment; filename="hate-crime-incidents_from-2023_bias-race-ethnicity-ancestry+multiple_district-9.parquet"')
  const rows = await decodeParquet(new Uint8Array(await (await get('/api/download.parquet?year_from=2023')).arrayBuffer()))
  assert.deepEqual(rows.map((r) => r.incident_id).sort(), ['2023-2', '2023-2431066', '2023-2431066', '2024-8', '2025-7'].sort())
  assert.ok(rows.every((r) => r.source_file === 'first.csv'))
})

test('a HEAD request on a download answers its headers and leaves no export behind', async () => {
  const exports = () => readdirSync(tmpdir()).filter((name) => name.startsWith('hatecrimes-download-')).length
  const before = exports()
  for (const format of ['csv', 'parquet']) {
    const response = await fetch(new URL(`/api/download.${format}`, dashboard.url), { method: 'HEAD' })
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-disposition') ?? '', /attachment/)
  }
  assert.equal(exports(), before, 'no download folder was made for a HEAD request')
})

test('server-sent events announce new files, and the status follows', async () => {
  const before = await json('/api/status')
  const controller = new AbortController()
  const response = await fetch(new URL('/api/events', dashboard.url), { signal: controller.signal })
  writeFileSync(join(dir, 'second.csv'), austinCsv([rawRow({ incident_number: '2024-99', date_of_incident: '10/10/2024 12:00:00 AM' })]))
  await runInProcess({ input: join(dir, 'second.csv'), lake })
  await readEventsUntil(response.body!, /event: lake-changed/, 30_000).finally(() => controller.abort())
  const after = await json('/api/status')
  assert.equal(after.rows, before.rows + 1)
  assert.notEqual(after.version, before.version)
  assert.equal((await json('/api/charts')).charts.totals[0].incidents, 14)
})

test('with an ingest metrics URL, the status carries the Kafka lag summed over partitions, pushed as it changes', async () => {
  let served = 0
  const metrics = createServer((_, response) => {
    served++
    response.end(`# TYPE hatecrimes_ingest_lag_records gauge\nhatecrimes_ingest_lag_records{partition="0"} ${served > 1 ? 20 : 120}\nhatecrimes_ingest_lag_records{partition="1"} 30\n`)
  })
  await new Promise<void>((resolve) => metrics.listen(0, '127.0.0.1', resolve))
  const { port } = metrics.address() as { port: number }
  const withLag = await startDashboard({ lake, port: 0, pollMs: 200, metricsUrl: `http://127.0.0.1:${port}/metrics` })
  const controller = new AbortController()
  try {
    assert.equal((await (await fetch(new URL('/api/status', withLag.url))).json()).lag, 150)
    const events = await fetch(new URL('/api/events', withLag.url), { signal: controller.signal })
    const text = await readEventsUntil(events.body!, /"lag":50/, 30_000)
    assert.match(text, /^event: status\ndata: \{.*"lag":150/, 'the first event is the status as it was')
    assert.match(text, /event: status\ndata: \{.*"lag":50/, 'a new lag is pushed without a change of files')
  } finally {
    controller.abort()
    await withLag.close()
    metrics.close()
  }
  assert.equal((await json('/api/status')).lag, null, 'no metrics URL, no lag')
})

test('a port already in use is refused with a clear message', async () => {
  const { port } = new URL(dashboard.url)
  await assert.rejects(startDashboard({ lake, port: Number(port) }), {
    name: 'HatecrimesError',
    message: `Expected a free port for the dashboard at 127.0.0.1:${port} (it is in use: choose another with --port)`,
  })
})
