/**
 * Benchmark of the dashboard's API on a lake of 2,000,000 generated rows (built once into
 * .cache/bench/lake-<rows>). Times each chart query on its own, then each HTTP endpoint cold (new
 * filter, nothing cached) and warm (cached per lake version), against a baseline measured in the
 * same run: DuckDB's plain `SELECT count(*)` over the same Parquet files. Prints ms, ratios to the
 * baseline, and peak memory (max RSS).
 *
 *   node bench/dashboard-api.ts [rows]
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { CHART_NAMES, CHARTS, FACT_COLUMNS } from '../src/dashboard/charts.ts'
import { startDashboard } from '../src/dashboard/server.ts'
import { openLakeQuery } from '../src/lake/lake-query.ts'
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

const query = await openLakeQuery(lake)
const [materialise] = await timed(() => query.query(`CREATE TABLE facts AS SELECT ${FACT_COLUMNS.join(', ')} FROM incidents`))
const results: [string, number][] = []
for (const name of CHART_NAMES) {
  const sql = CHARTS[name].replaceAll('{where}', 'WHERE year >= ?')
  await query.query(sql, [2019])
  results.push([`chart ${name}`, (await timed(() => query.query(sql, [2020])))[0]])
}
await query.close()

const dashboard = await startDashboard({ lake, port: 0 })
const get = (path: string) => timed(async () => (await fetch(new URL(path, dashboard.url))).text())
const [startup] = await timed(() => fetch(new URL('/api/status', dashboard.url)))
results.push(['GET /api/status', (await get('/api/status'))[0]])
results.push(['GET /api/charts (unfiltered, computed when the lake changed)', (await get('/api/charts'))[0]])
results.push(['GET /api/charts?year_from=2018 (cold: new filter)', (await get('/api/charts?year_from=2018'))[0]])
results.push(['GET /api/charts?year_from=2018 (warm: cached)', (await get('/api/charts?year_from=2018'))[0]])
results.push(['GET /api/charts?bias_category=Religion (cold)', (await get('/api/charts?bias_category=Religion'))[0]])
results.push(['GET /api/charts?district=9&year_from=2022 (cold)', (await get('/api/charts?district=9&year_from=2022'))[0]])
await dashboard.close()

console.log(`lake: ${rows} rows; baseline DuckDB count(*) over the Parquet files: ${baseline.toFixed(1)} ms`)
console.log(`facts table per lake version: ${materialise.toFixed(0)} ms (once per change of the lake); first status: ${startup.toFixed(0)} ms`)
for (const [name, ms] of results) console.log(`${name.padEnd(62)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / baseline).toFixed(1).padStart(6)} x baseline`)
console.log(`slowest single chart query: ${Math.max(...results.filter(([n]) => n.startsWith('chart')).map(([, ms]) => ms)).toFixed(1)} ms`)
console.log(`peak memory: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`)
