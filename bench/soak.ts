/**
 * Soak test of the Kafka ingest at scale under faults. Each round produces the same generated CSV
 * into a fresh topic at --produce-rate rows/s (so the run lasts long enough for every fault to hit a
 * group at work: the ingest alone takes a million records in seconds), ingests it meanwhile with
 * `hatecrimes ingest` child processes while seeded faults hit the group (kill -9 of member A twice,
 * a second member joining and leaving twice, a broker restart), waits (bounded) until the group
 * has committed every partition's end, and checks that every (partition, offset) of the topic is in
 * the lake exactly once (Parquet rows plus dead letters), and that the topic holds each row of the CSV
 * once. Prints one line per round, then a markdown table for BENCHMARKS.md; exits 1 when any round
 * had duplicates, missing offsets, lag left at the end or a topic that does not hold its rows.
 *
 *   KAFKA_BROKERS=127.0.0.1:39092 node bench/soak.ts [--rows 1000000] [--rounds 10] [--partitions 6]
 *     [--produce-rate 20000] [--seed N] [--timeout-s 600] [--broker-restart-cmd "..."] [--no-broker-restart]
 *
 * The broker restart is on by default when the broker is one scripts/kafka.sh started (found through
 * KAFKA_HOME_DIR, default .cache/kafka); --broker-restart-cmd gives another way to restart it.
 * Round seed S replays with --seed S --rounds 1. Rounds that pass leave nothing behind; a failed
 * round keeps its lake under .cache/soak/ and the path is printed; the members' output of every round
 * goes to .cache/soak/logs/.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadKafkaConfig } from '../src/core/kafka-config.ts'
import { findBrokerRestart } from './soak-faults.ts'
import { killAllMembers } from './soak-members.ts'
import { runRound, type RoundResult } from './soak-round.ts'
import { COMMAND_FLAGS } from './figures.ts'

const { values: flags } = parseArgs({
  allowNegative: true,
  options: {
    rows: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '10' },
    partitions: { type: 'string', default: '6' },
    'produce-rate': { type: 'string', default: '20000' },
    seed: { type: 'string' },
    'timeout-s': { type: 'string', default: '600' },
    'broker-restart': { type: 'boolean' },
    'broker-restart-cmd': { type: 'string' },
  },
})

function count(flag: keyof typeof flags): number {
  const value = Number(flags[flag])
  if (!Number.isInteger(value) || value < 1) throw new Error(`Expected a positive whole number for --${flag} (got ${JSON.stringify(flags[flag])})`)
  return value
}

const rows = count('rows')
const rounds = count('rounds')
const partitions = count('partitions')
const produceRate = count('produce-rate')
const timeoutMs = count('timeout-s') * 1000
const baseSeed = flags.seed === undefined ? Math.floor(Math.random() * 1e9) : count('seed')
const kafka = loadKafkaConfig()
const brokers = kafka.brokers.join(',')

const found = flags['broker-restart'] === false ? { reason: '--no-broker-restart' } : findBrokerRestart(brokers, flags['broker-restart-cmd'])
if ('reason' in found && flags['broker-restart']) throw new Error(`--broker-restart asked for, but no way to restart ${brokers}: ${found.reason}`)
const restart = 'restart' in found ? found : undefined

const csv = join('.cache', 'bench', `soak-${rows}.csv`)
if (!existsSync(csv)) {
  mkdirSync(join('.cache', 'bench'), { recursive: true })
  execFileSync(process.execPath, [...COMMAND_FLAGS, 'bin/hatecrimes.js', 'generate', '--rows', String(rows), '--out', csv], { stdio: 'inherit' })
}

const runId = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')
console.log(`soak: ${rows} rows x ${rounds} rounds, ${partitions} partitions, produced at ${produceRate} rows/s, brokers ${brokers}, first seed ${baseSeed}, timeout ${timeoutMs / 1000} s`)
console.log(`soak: broker restart ${restart ? `on (${restart.describe})` : `off (${'reason' in found ? found.reason : ''})`}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllMembers()
    console.log(`soak: stopped by ${signal}; the lake of the round under way stays in .cache/soak/`)
    process.exit(1)
  })
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US')
const results: RoundResult[] = []
for (let round = 1; round <= rounds; round++) {
  const seed = baseSeed + round - 1
  const name = `soak-${runId}-r${round}`
  const logFile = join('.cache', 'soak', 'logs', `${name}.log`)
  const r = await runRound({ round, seed, csv, rows, kafka, partitions, produceRate, timeoutMs, dir: join('.cache', 'soak', name), logFile, restart })
  results.push(r)
  const v = r.verdict
  console.log(
    `round ${round} seed ${seed}: ${r.seconds.toFixed(1)} s, ${thousands(r.recordsPerSecond)} records/s, lag ${r.lag ?? '?'}, ` +
      `duplicates ${v?.duplicates ?? '?'}, missing ${v?.missing ?? '?'}, stray ${v?.stray ?? '?'}, dead letters ${v?.deadLetters ?? '?'}, ` +
      `peak RSS ${r.peakMiB.toFixed(0)} MiB, kills ${r.kills}, joins ${r.joins}, broker restarts ${r.restarts}, ` +
      `late faults ${r.late}, crashes ${r.crashes}, loadavg ${r.loadavg}: ${r.passed ? 'PASS' : 'FAIL'}`,
  )
  for (const problem of r.problems) console.log(`  ${problem}`)
  console.log(`  member logs: ${logFile}${r.passed ? '' : `; lake kept in ${join('.cache', 'soak', name, 'lake')}`}`)
}

const version = JSON.parse(readFileSync('node_modules/@platformatic/kafka/package.json', 'utf8')).version
console.log(`\n${rows.toLocaleString('en-US')} rows produced at ${produceRate} rows/s, ${partitions} partitions, Node ${process.versions.node}, @platformatic/kafka ${version}, ` +
  `broker restart ${restart ? 'on' : 'off'}, first seed ${baseSeed}\n`)
console.log('| round | seed | seconds | records/s | lag at end | duplicates | missing | peak RSS | kills | joins | broker restarts | loadavg | result |')
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|')
for (const r of results) {
  const cells = [r.round, r.seed, r.seconds.toFixed(1), thousands(r.recordsPerSecond), r.lag ?? '?', r.verdict?.duplicates ?? '?', r.verdict?.missing ?? '?',
    `${r.peakMiB.toFixed(0)} MiB`, r.kills, r.joins, r.restarts, r.loadavg.split(' ').slice(0, 3).join(' '), r.passed ? 'pass' : '**FAIL**']
  console.log(`| ${cells.join(' | ')} |`)
}
const failed = results.filter((r) => !r.passed).length
console.log(`\n${failed === 0 ? 'all rounds passed' : `${failed} of ${results.length} rounds failed`}`)
// Kafka clients still retrying against a stopped broker would keep the process alive.
process.exit(failed === 0 ? 0 : 1)
