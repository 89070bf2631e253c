/**
 * How closely `hatecrimes produce --rate` keeps the rate it is given. The same generated file
 * (default 30,000 rows, seed 7) is produced into a new 3-partition topic without a rate (the same-run
 * baseline: what the machine can do now) and at each rate asked for, interleaved round by round
 * (unlimited, rate 1, rate 2, ..., then again), each run its own process under /usr/bin/time. For
 * each run it prints the rate kept (rows over the time from the first row read to the last message
 * acknowledged, as the command's summary reports it), its ratio to the rate asked for and to the unlimited run of the same
 * round, the rate over the whole run (connecting and creating the topics included), the peak RSS,
 * and /proc/loadavg before the run.
 *
 *   KAFKA_BROKERS=127.0.0.1:39092 node bench/produce-rate.ts [rows] [rates, comma-separated] [rounds]
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { writeSyntheticCsv } from '../src/sources/synthetic.ts'
import { uniqueName } from '../test/integration/kafka-harness.ts'
import { loadavg, range } from './figures.ts'
import { ourProduce } from './kafka-runs.ts'

const rows = Number(process.argv[2] ?? 30_000)
const rates = (process.argv[3] ?? '1000,5000,20000').split(',').map(Number)
const rounds = Number(process.argv[4] ?? 2)
const brokers = process.env.KAFKA_BROKERS
if (!brokers) throw new Error('Expected KAFKA_BROKERS (start a broker with bash scripts/kafka.sh start)')

const dir = join('.cache', 'bench')
mkdirSync(dir, { recursive: true })
const input = join(dir, `synthetic-${rows}.csv`)
if (!existsSync(input)) await writeSyntheticCsv(input, { rows, seed: 7 })

const results = new Map<string, { measured: Awaited<ReturnType<typeof ourProduce>>; ofUnlimited: number }[]>()
for (let round = 1; round <= rounds; round++) {
  let unlimited = 0
  for (const rate of [undefined, ...rates]) {
    const job = rate === undefined ? 'unlimited' : `--rate ${rate}`
    const load = loadavg()
    const measured = await ourProduce(input, brokers, uniqueName('bench-rate'), 3, rows, rate === undefined ? [] : ['--rate', String(rate)])
    if (rate === undefined) unlimited = measured.fromFirstRow
    const ofUnlimited = measured.fromFirstRow / unlimited
    results.set(job, [...(results.get(job) ?? []), { measured, ofUnlimited }])
    const kept = rate === undefined ? '' : `  kept/asked ${(measured.fromFirstRow / rate).toFixed(3)}`
    console.log(
      `round ${round} ${job.padEnd(12)} ${Math.round(measured.fromFirstRow).toLocaleString('en-US').padStart(8)} rows/s${kept}  of unlimited ${ofUnlimited.toFixed(2)}  ` +
        `whole run ${Math.round(measured.rate).toLocaleString('en-US')} rows/s  peak ${measured.peakMiB.toFixed(0)} MiB  (loadavg before: ${load})`,
    )
  }
}
console.log('\n| run | rows/s kept | kept / asked | of unlimited (same round) | rows/s, whole run | peak RSS MiB |\n|---|---:|---:|---:|---:|---:|')
for (const [job, list] of results) {
  const asked = Number(job.split(' ')[1])
  const kept = Number.isFinite(asked) ? range(list.map((r) => r.measured.fromFirstRow / asked), 3) : ''
  const whole = range(list.map((r) => r.measured.rate))
  console.log(`| ${job} | ${range(list.map((r) => r.measured.fromFirstRow))} | ${kept} | ${range(list.map((r) => r.ofUnlimited), 2)} | ${whole} | ${range(list.map((r) => r.measured.peakMiB))} |`)
}
