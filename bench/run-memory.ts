/**
 * Benchmark of the embedded pipeline on a large generated file (default 1,000,000 rows), or on a
 * real file as users download it (`.csv`, `.csv.gz`, `.zip`, e.g. the FBI national zip).
 *
 * Runs two jobs on the same file, interleaved (A B A B ...), each in its own process so its peak
 * memory (max RSS, from /usr/bin/time) is its own, and prints the load average before each run:
 * - `hatecrimes-run`: the `hatecrimes run` command as users call it (`node --max-semi-space-size=8
 *   bin/hatecrimes.js run --input X --lake Y [--source synthetic]`): read (and inflate), parse,
 *   clean, enrich, write the partitioned zstd Parquet lake. Its time includes the process start.
 * - `duckdb-copy`: DuckDB's native `COPY (read_csv) TO parquet` (C++, zstd, no cleaning, all
 *   columns as text, one unpartitioned file) of the same rows, unpacked beforehand (by `unzip` or
 *   `gunzip`, outside the timing), the same-run baseline.
 * It prints records/s and peak RSS of each run, their ranges, and the ratio of ours to DuckDB's.
 *
 *   node bench/run-memory.ts [rows | file] [rounds]
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { writeSyntheticCsv } from '../src/sources/synthetic.ts'

type Result = { job: string; rows: number; seconds: number; peakMiB: number }

const BIN = join(import.meta.dirname, '..', 'bin', 'hatecrimes.js')

async function duckdbCopy(input: string, out: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:')
  const connection = await db.connect()
  const result = await connection.runAndReadAll(
    `COPY (SELECT * FROM read_csv('${input}', all_varchar = true)) TO '${out}/duck.parquet' (FORMAT parquet, COMPRESSION zstd)`,
  )
  console.log(Number(result.getRows()[0]?.[0] ?? 0))
}

/** One job in its own process under /usr/bin/time, which reports the process's max RSS. */
function runJob(job: string, input: string, rows: number, out: string, synthetic: boolean): Result {
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  const args =
    job === 'duckdb-copy'
      ? [process.execPath, import.meta.filename, 'duckdb-copy', input, out]
      : [process.execPath, '--max-semi-space-size=8', BIN, 'run', '--input', input, '--lake', out, ...(synthetic ? ['--source', 'synthetic'] : [])]
  const timeFile = join(out, '..', 'time.txt')
  const started = performance.now()
  const output = execFileSync('/usr/bin/time', ['-o', timeFile, '-f', '%M', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  const seconds = (performance.now() - started) / 1000
  const peakMiB = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024
  const counted = Number(job === 'duckdb-copy' ? output.trim().split('\n').pop() : /read (\d+) rows/.exec(output)?.[1])
  if (counted !== rows) throw new Error(`Expected ${job} to load ${rows} rows (got ${counted}): ${output.slice(-500)}`)
  rmSync(out, { recursive: true, force: true })
  return { job, rows, seconds, peakMiB }
}

const rate = (r: Result) => r.rows / r.seconds
const range = (values: number[], digits = 0) => {
  const [low, high] = [Math.min(...values), Math.max(...values)].map((v) => v.toLocaleString('en-US', { maximumFractionDigits: digits }))
  return low === high ? low : `${low} - ${high}`
}

/** The rows of a real input, unpacked to a plain CSV for DuckDB (which reads no zip), and their count. */
async function realInput(file: string, dir: string): Promise<{ plain: string; rows: number }> {
  const plain = join(dir, `${basename(file).replace(/\.(zip|gz)$/, '')}.plain.csv`)
  if (file.endsWith('.zip')) execFileSync('sh', ['-c', `unzip -p '${file}' > '${plain}'`])
  else if (file.endsWith('.gz')) execFileSync('sh', ['-c', `gunzip -c '${file}' > '${plain}'`])
  else copyFileSync(file, plain)
  const db = await DuckDBInstance.create(':memory:')
  const result = await (await db.connect()).runAndReadAll(`SELECT COUNT(*)::INTEGER FROM read_csv('${plain}', all_varchar = true)`)
  return { plain, rows: Number(result.getRows()[0][0]) }
}

async function main(): Promise<void> {
  const given = process.argv[2] ?? '1000000'
  const rounds = Number(process.argv[3] ?? 2)
  const dir = join('.cache', 'bench')
  mkdirSync(dir, { recursive: true })
  const synthetic = /^\d+$/.test(given)
  let input = join(dir, `synthetic-${given}.csv`)
  let plain = input
  let rows = Number(given)
  if (!synthetic) {
    input = given
    ;({ plain, rows } = await realInput(given, dir))
  } else if (!existsSync(input)) {
    console.error(`generating ${rows} rows into ${input}`)
    await writeSyntheticCsv(input, { rows, seed: 7 })
  }
  const results: Result[] = []
  for (let round = 1; round <= rounds; round++) {
    for (const job of ['hatecrimes-run', 'duckdb-copy']) {
      const load = readFileSync('/proc/loadavg', 'utf8').trim()
      const r = runJob(job, job === 'duckdb-copy' ? plain : input, rows, join(dir, `out-${job}`), synthetic)
      results.push(r)
      console.log(
        `round ${round} ${job.padEnd(15)} ${r.rows} rows ${r.seconds.toFixed(2).padStart(7)} s ` +
          `${Math.round(rate(r)).toLocaleString('en-US').padStart(9)} rows/s  peak ${r.peakMiB.toFixed(0)} MiB  (loadavg before: ${load})`,
      )
    }
  }
  const of = (job: string) => results.filter((r) => r.job === job)
  const [ours, duck] = [of('hatecrimes-run'), of('duckdb-copy')]
  for (const [name, list] of [['hatecrimes-run', ours], ['duckdb-copy', duck]] as const) {
    console.log(`${name.padEnd(15)} rows/s ${range(list.map(rate))}  peak RSS ${range(list.map((r) => r.peakMiB))} MiB`)
  }
  const ratios = ours.map((r, i) => rate(r) / rate(duck[i]))
  console.log(`ratio hatecrimes-run / duckdb-copy rows/s, per round: ${range(ratios, 2)}`)
}

if (process.argv[2] === 'duckdb-copy') await duckdbCopy(process.argv[3], process.argv[4])
else await main()
