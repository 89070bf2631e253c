/**
 * Benchmark of what each command costs before and around its work on a small input: `--help`,
 * `run` of 1,000 generated rows into a new folder lake, `query` on that lake, and, when
 * KAFKA_BROKERS is set, the RSS of an `ingest` 5 s after its start (a member at rest, waiting on a
 * topic no one writes). Each job runs in its own process under /usr/bin/time (CPU seconds, max RSS).
 *
 * The same-run baseline: with a second argument naming another checkout of the project (e.g. main's
 * code unpacked with `git archive main | tar -x -C /tmp/start-base`, `npm ci` there), the same
 * commands from that checkout, interleaved with ours (A B A B ...); without one, Node itself
 * running an empty TypeScript file, the floor every command starts from. It prints the load average
 * before each round, each run, the ranges, and our CPU seconds and peak RSS as ratios to the baseline.
 *
 *   node bench/command-start.ts [rounds] [baseline checkout]
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { writeSyntheticCsv } from '../src/sources/synthetic.ts'
import { COMMAND_FLAGS, loadavg, range } from './figures.ts'

type Sample = { side: string; job: string; seconds: number; cpu: number; peakMiB: number }

const rounds = Number(process.argv[2] ?? 3)
const base = process.argv[3] ? resolve(process.argv[3]) : ''
const dir = resolve('.cache', 'bench', 'command-start')
const ROWS = 1_000
const input = join(dir, `synthetic-${ROWS}.csv`)
const INGEST_SETTLE_MS = 5_000

/** The command line of one job from one checkout; the floor stands in for every job without one. */
function commandLine(root: string, job: string, lake: string): string[] {
  if (!root) return [join(dir, 'empty.ts')]
  const bin = [join(root, 'bin', 'hatecrimes.js')]
  if (job === 'help') return [...bin, '--help']
  if (job === 'run') return [...bin, 'run', '--input', input, '--lake', lake]
  if (job === 'query') return [...bin, 'query', 'SELECT COUNT(*) AS n FROM incidents', '--lake', lake]
  return [...bin, 'ingest', '--topic', `command-start-${process.pid}`, '--group', `command-start-${process.pid}`, '--lake', lake]
}

/** One job in its own process under /usr/bin/time; an exit other than 0 stops the benchmark. */
function timed(side: string, job: string, args: string[]): Sample {
  const timeFile = join(dir, 'time.txt')
  const env = { ...process.env }
  if (job === 'run') delete env.KAFKA_BROKERS
  const started = performance.now()
  const result = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', process.execPath, ...COMMAND_FLAGS, ...args], { env, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`Expected ${side} ${job} to exit with 0 (got ${result.status}): ${result.stderr.slice(-500)}`)
  const [user, system, maxKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
  return { side, job, seconds: (performance.now() - started) / 1000, cpu: user + system, peakMiB: maxKiB / 1024 }
}

/** An ingest left to settle, then stopped: its RSS at rest (CPU is not counted, it only waits). */
async function atRest(side: string, args: string[]): Promise<Sample> {
  const child = spawn(process.execPath, [...COMMAND_FLAGS, ...args], { stdio: 'ignore' })
  await sleep(INGEST_SETTLE_MS)
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
  child.kill('SIGTERM')
  if (!rss) throw new Error(`Expected a VmRSS line in /proc/${child.pid}/status for ${side} ingest (the process had ended)`)
  await new Promise((done) => child.once('exit', done))
  return { side, job: 'ingest', seconds: Number.NaN, cpu: Number.NaN, peakMiB: Number(rss[1]) / 1024 }
}

mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'empty.ts'), 'export {}\n')
if (!existsSync(input)) await writeSyntheticCsv(input, { rows: ROWS, seed: 7 })
const sides: [string, string][] = [['ours', resolve(import.meta.dirname, '..')], [base ? 'base' : 'node-floor', base]]
const jobs = ['help', 'run', 'query', ...(process.env.KAFKA_BROKERS ? ['ingest'] : [])]
const samples: Sample[] = []
for (let round = 1; round <= rounds; round++) {
  console.log(`round ${round}, loadavg before: ${loadavg()}`)
  for (const [side, root] of sides) {
    const lake = join(dir, `lake-${side}`)
    rmSync(lake, { recursive: true, force: true })
    for (const job of jobs) {
      const args = commandLine(root, job, lake)
      const sample = job === 'ingest' && root ? await atRest(side, args) : timed(side, job, args)
      samples.push(sample)
      const rate = job === 'run' && root ? `  ${Math.round(ROWS / sample.seconds)} rows/s` : ''
      const time = Number.isNaN(sample.cpu) ? 'rss at rest' : `${sample.seconds.toFixed(2)} s  cpu ${sample.cpu.toFixed(2)} s  peak`
      console.log(`  ${side.padEnd(10)} ${job.padEnd(6)} ${time} ${sample.peakMiB.toFixed(0)} MiB${rate}`)
    }
  }
}
const of = (side: string, job: string) => samples.filter((s) => s.side === side && s.job === job)
for (const job of jobs) {
  const [ours, baseline] = sides.map(([side]) => of(side, job))
  const cpu = ours.some((s) => Number.isNaN(s.cpu)) ? '' : `cpu ${range(ours.map((s) => s.cpu), 2)} s against ${range(baseline.map((s) => s.cpu), 2)} s (ratio ${range(ours.map((s, i) => s.cpu / baseline[i].cpu), 2)}); `
  console.log(`${job.padEnd(6)} ${cpu}memory ${range(ours.map((s) => s.peakMiB))} MiB against ${range(baseline.map((s) => s.peakMiB))} MiB (ratio ${range(ours.map((s, i) => s.peakMiB / baseline[i].peakMiB), 2)})`)
}
