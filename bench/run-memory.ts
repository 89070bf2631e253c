/**
 * Benchmark of the embedded pipeline on a large generated file (default 1,000,000 rows), or on a
 * real file as users download it (`.csv`, `.csv.gz`, `.zip`, e.g. the FBI national zip).
 *
 * Runs two jobs on the same file, interleaved (A B A B ...), each in its own process so its peak
 * memory (max RSS, from /usr/bin/time) is its own, and prints the load average before each run:
 * - `hatecrimes-run`: the `hatecrimes run` command as users call it (`node --max-semi-space-size=16
 *   bin/hatecrimes.js run --input X --lake Y [--source synthetic]`): read (and inflate), parse,
 *   clean, enrich, write the partitioned zstd Parquet lake. Its time includes the process start.
 * - `duckdb-copy`: DuckDB's native `COPY (read_csv) TO parquet` (C++, zstd, no cleaning, all
 *   columns as text, one unpartitioned file) of the same rows, unpacked beforehand (by `unzip` or
 *   `gunzip`, outside the timing), the same-run baseline.
 * - `base-run` (instead of DuckDB, when a third argument names another checkout of the project,
 *   e.g. main's code unpacked with `git archive main | tar -x -C /tmp/run-base` and `npm ci` there):
 *   the same `hatecrimes run` command from that checkout, on the same file.
 * It prints records/s, CPU seconds (user + system, which say more than the wall clock on a shared
 * machine) and peak RSS of each run, their ranges, and the ratio of ours to the baseline.
 *
 *   node bench/run-memory.ts [rows | file] [rounds] [baseline checkout]
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { writeSyntheticCsv } from '../src/sources/synthetic.ts'
import { COMMAND_FLAGS, loadavg, range } from './figures.ts'

type Result = { job: string; rows: number; seconds: number; cpu: number; peakMiB: number }

const BIN = join(import.meta.dirname, '..', 'bin', 'hatecrimes.js')

async function duckdbCopy(input: string, out: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:')
  const connection = await db.connect()
  const result = await connection.runAndReadAll(
    `COPY (SELECT * FROM read_csv('${input}', all_varchar = true)) TO '${out}/duck.parquet' (FORMAT parquet, COMPRESSION zstd)`,
  )
  console.log(Number(result.getRows()[0]?.[0] ?? 0))
}

/** One job in its own process under /usr/bin/time, which reports the process's CPU time and max RSS. */
function runJob(job: string, input: string, rows: number, out: string, synthetic: boolean, base: string): Result {
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  // The input by its absolute path: both checkouts then name the lake files alike.
  const bin = job === 'base-run' ? join(resolve(base), 'bin', 'hatecrimes.js') : BIN
  const args =
    job === 'duckdb-copy'
      ? [process.execPath, import.meta.filename, 'duckdb-copy', input, out]
      : [process.execPath, ...COMMAND_FLAGS, bin, 'run', '--input', resolve(input), '--lake', out, ...(synthetic ? ['--source', 'synthetic'] : [])]
  const timeFile = join(out, '..', 'time.txt')
  // Without KAFKA_BROKERS: with it, `run` streams through the broker instead of running in process.
  const { KAFKA_BROKERS: _brokers, ...env } = process.env
  const started = performance.now()
  const output = execFileSync('/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env })
  const seconds = (performance.now() - started) / 1000
  const [user, system, maxKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
  const [cpu, peakMiB] = [user + system, maxKiB / 1024]
  const counted = Number(job === 'duckdb-copy' ? output.trim().split('\n').pop() : /read (\d+) rows/.exec(output)?.[1])
  if (counted !== rows) throw new Error(`Expected ${job} to load ${rows} rows (got ${counted}): ${output.slice(-500)}`)
  rmSync(out, { recursive: true, force: true })
  return { job, rows, seconds, cpu, peakMiB }
}

const rate = (r: Result) => r.rows / r.seconds
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
  const base = process.argv[4] ?? ''
  const jobs = ['hatecrimes-run', base ? 'base-run' : 'duckdb-copy']
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
    for (const job of jobs) {
      const load = loadavg()
      const r = runJob(job, job === 'duckdb-copy' ? plain : input, rows, join(dir, `out-${job}`), synthetic, base)
      results.push(r)
      console.log(
        `round ${round} ${job.padEnd(15)} ${r.rows} rows ${r.seconds.toFixed(2).padStart(7)} s ` +
          `${Math.round(rate(r)).toLocaleString('en-US').padStart(9)} rows/s  cpu ${r.cpu.toFixed(2)} s  peak ${r.peakMiB.toFixed(0)} MiB  (loadavg before: ${load})`,
      )
    }
  }
  const of = (job: string) => results.filter((r) => r.job === job)
  const [ours, baseline] = jobs.map(of)
  for (const job of jobs) {
    const list = of(job)
    console.log(`${job.padEnd(15)} rows/s ${range(list.map(rate))}  cpu ${range(list.map((r) => r.cpu), 2)} s  peak RSS ${range(list.map((r) => r.peakMiB))} MiB`)
  }
  console.log(`ratio ${jobs.join(' / ')} rows/s, per round: ${range(ours.map((r, i) => rate(r) / rate(baseline[i])), 2)}`)
  if (base) console.log(`ratio ${jobs.join(' / ')} cpu seconds, per round: ${range(ours.map((r, i) => r.cpu / baseline[i].cpu), 2)}`)
}

if (process.argv[2] === 'duckdb-copy') await duckdbCopy(process.argv[3], process.argv[4])
else await main()
