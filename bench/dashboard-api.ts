/**
 * Benchmark of the dashboard's API on a lake of 2,000,000 generated rows (built once into
 * .cache/bench/lake-<rows>). Times opening the lake, then each HTTP endpoint cold (new filter,
 * nothing cached) and warm (cached per lake version), against a baseline measured in the
 * same run: DuckDB's plain `SELECT count(*)` over the same Parquet files. Prints ms, ratios to the
 * baseline, and peak memory (max RSS). Last, on a copy of the lake, 100 new rows land while new
 * filters are asked every 50 ms: how long until the page hears of them, and the slowest request
 * meanwhile (the tables are rebuilt on the one DuckDB connection, so a new filter waits for that).
 *
 *   node bench/dashboard-api.ts [rows]
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { startDashboard } from '../src/dashboard/server.ts'
import { runInProcess } from '../src/pipelines/run-in-process.ts'
import { writeSyntheticCsv } from '../src/sources/synthetic.ts'

const rows = Number(process.argv[2] ?? 2_000_000)
const input = join('.cache', 'bench', `synthetic-${rows}.csv`)
const lake = join('.cache', 'bench', `lake-${rows}`)
if (!existsSync(input)) await writeSyntheticCsv(input, { rows, seed: 7 })
if (!existsSync(lake)) {
  console.error(`building the lake ${lake} from ${input}`)
  await runInProcess({ input, lake, source: 'synthetic' })
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now()
  const result = await work()
  return [performance.now() - started, result]
}

const db = await DuckDBInstance.create(':memory:')
const connection = await db.connect()
const glob = `${lake}/incidents/**/*.parquet`
await connection.run(`SELECT count(*) FROM read_parquet('${glob}')`)
const [baseline] = await timed(() => connection.run(`SELECT count(*) FROM read_parquet('${glob}')`))
connection.closeSync()

const results: [string, number][] = []
const [opening, dashboard] = await timed(() => startDashboard({ lake, port: 0 }))
const get = (path: string) => timed(async () => (await (await fetch(new URL(path, dashboard.url))).arrayBuffer()).byteLength)
results.push(['GET /api/status (first request of the server)', (await get('/api/status'))[0]])
results.push(['GET /api/charts (unfiltered, computed when the lake changed)', (await get('/api/charts'))[0]])
results.push(['GET /api/charts?year_from=2018 (cold: new filter)', (await get('/api/charts?year_from=2018'))[0]])
results.push(['GET /api/charts?year_from=2018 (warm: cached)', (await get('/api/charts?year_from=2018'))[0]])
results.push(['GET /api/charts?bias_category=Religion (cold)', (await get('/api/charts?bias_category=Religion'))[0]])
results.push(['GET /api/charts?district=9&year_from=2022 (cold)', (await get('/api/charts?district=9&year_from=2022'))[0]])
results.push(['GET /api/charts?year_from=2019&year_to=2023&offense_group=Persons (cold)', (await get('/api/charts?year_from=2019&year_to=2023&offense_group=Persons'))[0]])
results.push(['GET /api/charts?bias_category=Multiple,Religion&district=1,9 (cold)', (await get('/api/charts?bias_category=Multiple,Religion&district=1,9'))[0]])
results.push(['GET /api/status (warm)', (await get('/api/status'))[0]])
const chartsPeak = process.resourceUsage().maxRSS / 1024
// Downloads write and stream the rows themselves, so their time grows with the rows asked for.
const downloads: [string, number, number][] = []
for (const path of ['/api/download.csv?year_from=2024&district=9', '/api/download.parquet?year_from=2024&district=9', '/api/download.parquet']) {
  const [ms, bytes] = await get(path)
  downloads.push([`GET ${path}`, ms, bytes])
}
await dashboard.close()

// Live: new rows land in a copy of the lake while the dashboard answers new filters.
const copy = mkdtempSync(join(tmpdir(), 'hatecrimes-bench-lake-'))
cpSync(lake, copy, { recursive: true })
const live = await startDashboard({ lake: copy, port: 0 })
const version = async () => ((await (await fetch(new URL('/api/status', live.url))).json()) as { version: string }).version
const before = await version()
await writeSyntheticCsv(join(copy, 'more.csv'), { rows: 100, seed: 8 })
await runInProcess({ input: join(copy, 'more.csv'), lake: copy, source: 'synthetic' })
const landed = performance.now()
let slowestMeanwhile = 0
// 90 filter combinations, each new to the cache, in turn.
for (let i = 0; (await version()) === before; i++) {
  const filter = `year_from=${2017 + (i % 9)}&district=${1 + (Math.floor(i / 9) % 10)}`
  const [ms] = await timed(() => fetch(new URL(`/api/charts?${filter}`, live.url)).then((r) => r.arrayBuffer()))
  slowestMeanwhile = Math.max(slowestMeanwhile, ms)
  await new Promise((resolve) => setTimeout(resolve, 50))
}
const seen = performance.now() - landed
await live.close()
rmSync(copy, { recursive: true, force: true })

console.log(`lake: ${rows} rows; baseline DuckDB count(*) over the Parquet files: ${baseline.toFixed(1)} ms`)
console.log(`opening the lake (chart tables built, unfiltered view computed; again on every change of the lake): ${opening.toFixed(0)} ms`)
for (const [name, ms] of results) console.log(`${name.padEnd(62)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / baseline).toFixed(1).padStart(6)} x baseline`)
console.log(`slowest request: ${Math.max(...results.map(([, ms]) => ms)).toFixed(1)} ms`)
for (const [name, ms, bytes] of downloads) console.log(`${name.padEnd(62)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / baseline).toFixed(1).padStart(6)} x baseline  ${(bytes / 1e6).toFixed(1)} MB`)
console.log(`live: 100 new rows seen by the dashboard ${seen.toFixed(0)} ms after they landed (lake polled every 1.5 s); slowest new-filter request meanwhile: ${slowestMeanwhile.toFixed(0)} ms`)
console.log(`peak memory: ${chartsPeak.toFixed(0)} MiB serving the charts; ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB at the end (downloads, live rebuild)`)
