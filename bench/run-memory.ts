/**
 * Benchmark of the embedded pipeline on a large generated file (default 2,000,000 rows).
 *
 * Runs three jobs on the same file in the same run, each in its own process so peak memory (max RSS)
 * is its own: reading the CSV only (the floor: our CSV source, no transform, no lake), DuckDB's native
 * `COPY (read_csv) TO parquet` (a C++ engine doing CSV to zstd Parquet with no cleaning), and our
 * `run` (read, parse, clean, enrich, write the partitioned lake). Prints records/s, peak memory and
 * the ratios of ours to both baselines.
 *
 * Each job runs with --max-semi-space-size=8, the V8 flag the `hatecrimes` command and npm scripts use.
 *
 *   node bench/run-memory.ts [rows]
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { readCsv } from '../src/sources/csv-source.ts'
import { writeSyntheticCsv } from '../src/sources/synthetic.ts'
import { runInProcess } from '../src/pipelines/run-in-process.ts'

type Result = { job: string; rows: number; seconds: number; peakMiB: number }

async function child(job: string, input: string, out: string): Promise<void> {
  const started = performance.now()
  let rows = 0
  if (job === 'read-csv') {
    for await (const item of readCsv(input)) if (item.kind === 'row') rows++
  } else if (job === 'duckdb-copy') {
    const db = await DuckDBInstance.create(':memory:')
    const connection = await db.connect()
    const result = await connection.runAndReadAll(
      `COPY (SELECT * FROM read_csv('${input}', all_varchar = true)) TO '${out}/duck.parquet' (FORMAT parquet, COMPRESSION zstd)`,
    )
    rows = Number(result.getRows()[0]?.[0] ?? 0)
  } else {
    const summary = await runInProcess({ input, lake: out, source: 'synthetic' })
    rows = summary.written + summary.deadLettered
  }
  const seconds = (performance.now() - started) / 1000
  const peakMiB = process.resourceUsage().maxRSS / 1024
  console.log(JSON.stringify({ job, rows, seconds, peakMiB }))
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 2_000_000)
  const dir = join('.cache', 'bench')
  const input = join(dir, `synthetic-${rows}.csv`)
  mkdirSync(dir, { recursive: true })
  if (!existsSync(input)) {
    console.error(`generating ${rows} rows into ${input}`)
    await writeSyntheticCsv(input, { rows, seed: 7 })
  }
  const results: Result[] = []
  for (const job of ['read-csv', 'duckdb-copy', 'hatecrimes-run']) {
    const out = join(dir, `out-${job}`)
    rmSync(out, { recursive: true, force: true })
    mkdirSync(out, { recursive: true })
    const line = execFileSync(process.execPath, ['--max-semi-space-size=8', import.meta.filename, 'child', job, input, out], {
      encoding: 'utf8',
    })
    results.push(JSON.parse(line.trim().split('\n').pop()!))
    rmSync(out, { recursive: true, force: true })
  }
  const [floor, duck, ours] = results
  for (const r of results) {
    console.log(
      `${r.job.padEnd(16)} ${String(r.rows).padStart(9)} rows  ${r.seconds.toFixed(2).padStart(7)} s  ` +
        `${Math.round(r.rows / r.seconds).toLocaleString('en-US').padStart(11)} rows/s  peak ${r.peakMiB.toFixed(0)} MiB`,
    )
  }
  const rate = (r: Result) => r.rows / r.seconds
  console.log(`ratio hatecrimes-run / read-csv rows/s:    ${(rate(ours) / rate(floor)).toFixed(2)}`)
  console.log(`ratio hatecrimes-run / duckdb-copy rows/s: ${(rate(ours) / rate(duck)).toFixed(2)}`)
  console.log(`peak memory of hatecrimes-run: ${ours.peakMiB.toFixed(0)} MiB (limit 400 MiB)`)
}

if (process.argv[2] === 'child') await child(process.argv[3], process.argv[4], process.argv[5])
else await main()
