/**
 * The peer benchmark: the original Python/PySpark pipeline (bench/peer/original_producer.py and
 * original_stream.py, written from its description) against ours, on the same broker and the same
 * generated rows, interleaved, each pair at least twice. Prints rows/s, ours/theirs ratios pair by
 * pair with their min-max, the peak memory of every process tree, and what each output holds.
 *
 *   KAFKA_BROKERS=127.0.0.1:39092 node bench/peer-pipeline.ts [rows]      (default 1,000,000; PEER_RUNS=2)
 *
 * Needs bench/peer/setup.sh's Python environment and jars (it runs the script, which skips what is
 * present). Each pair gets two new 6-partition topics: their producer writes one, `hatecrimes
 * produce` the other, and each stream job then drains its own producer's topic (the message formats
 * differ). Their stream time includes Python and JVM start; it is also given without the session
 * start. Our ingest runs as the CLI with its defaults until its group has committed the whole topic.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Admin } from '@platformatic/kafka'
import { clientOptions } from '../src/core/kafka-config.ts'
import { topicEnds } from '../src/pipelines/ingest-streaming.ts'
import { ensureTopic } from '../src/sinks/kafka-topic.ts'
import { writeSyntheticCsv } from '../src/sources/synthetic.ts'
import { caughtUp, testKafka, uniqueName, waitFor } from '../test/integration/kafka-harness.ts'
import { outputChecks } from './peer/output-checks.ts'
import { measured, spawnSampled, type TreePeak } from './peer/process-memory.ts'

const rows = Number(process.argv[2] ?? 1_000_000)
const runs = Number(process.env.PEER_RUNS ?? 2)
const kafka = testKafka()
const brokers = kafka.brokers.join(',')
const setup = execFileSync('bash', ['bench/peer/setup.sh'], { encoding: 'utf8' })
const python = /PEER_PYTHON=(.*)/.exec(setup)?.[1] ?? ''
const jars = /PEER_JARS=(.*)/.exec(setup)?.[1] ?? ''
const node = [process.execPath, '--max-semi-space-size=8', 'bin/hatecrimes.js']

const input = resolve('.cache/bench', `synthetic-${rows}.csv`)
const work = resolve('.cache/bench', `peer-${rows}`)
rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })
if (!existsSync(input)) await writeSyntheticCsv(input, { rows, seed: 7 })

type Row = { run: number; step: string; rows: number; seconds: number; extra?: string; peak: TreePeak }
const results: Row[] = []
const topics: string[] = []
const mib = (value: number) => `${value.toFixed(0)} MiB`
const describePeak = (peak: TreePeak) =>
  `tree ${mib(peak.sumMiB)} (${peak.processes.map((p) => `${p.name} ${mib(p.hwmMiB)}`).join(', ')})`

function report(row: Row) {
  results.push(row)
  const rate = Math.round(row.rows / row.seconds).toLocaleString('en-US')
  console.log(`  ${row.step.padEnd(18)} ${row.rows} rows in ${row.seconds.toFixed(1)} s = ${rate.padStart(7)} rows/s ${row.extra ?? ''}; peak ${describePeak(row.peak)}`)
}
const loadavg = () => console.log(`  loadavg: ${readFileSync('/proc/loadavg', 'utf8').trim()}`)
const messagesIn = async (topic: string) => [...(await topicEnds(kafka, topic)).values()].reduce((sum, end) => sum + Number(end), 0)

console.log(`peer benchmark: ${rows} rows (${input}), ${runs} interleaved runs per side, broker ${brokers}, 6 partitions`)
for (let run = 1; run <= runs; run++) {
  const dir = join(work, `run-${run}`)
  const theirTopic = uniqueName('peer-theirs')
  const ourTopic = uniqueName('peer-ours')
  topics.push(theirTopic, ourTopic)
  for (const topic of [theirTopic, ourTopic]) await ensureTopic(kafka, { topic, partitions: 6, replication: 1 })
  console.log(`run ${run}`)

  loadavg()
  const theirProduce = await measured(python, ['bench/peer/original_producer.py', '--input', input, '--topic', theirTopic, '--brokers', brokers])
  report({ run, step: 'theirs produce', rows: await messagesIn(theirTopic), seconds: theirProduce.seconds, peak: theirProduce.tree })

  loadavg()
  const ourProduce = await measured(node[0], [...node.slice(1), 'produce', '--input', input, '--topic', ourTopic, '--partitions', '6', '--brokers', brokers, '--no-progress'])
  report({ run, step: 'ours produce', rows: await messagesIn(ourTopic), seconds: ourProduce.seconds, peak: ourProduce.tree })

  loadavg()
  const theirArgs = ['--topic', theirTopic, '--brokers', brokers, '--out', join(dir, 'theirs'), '--checkpoint', join(dir, 'checkpoint'), '--jars', jars]
  const theirStream = await measured(python, ['bench/peer/original_stream.py', ...theirArgs], { ...process.env, SPARK_LOCAL_IP: '127.0.0.1' })
  const printed = JSON.parse(theirStream.stdout.trim().split('\n').at(-1) ?? '{}') as { records: number; seconds_after_session: number }
  writeFileSync(join(dir, 'theirs-stream.log'), theirStream.stderr)
  const noSession = Math.round(printed.records / printed.seconds_after_session).toLocaleString('en-US')
  report({ run, step: 'theirs stream', rows: printed.records, seconds: theirStream.seconds, extra: `(${noSession} rows/s after the session start)`, peak: theirStream.tree })

  loadavg()
  const ends = await topicEnds(kafka, ourTopic)
  const group = uniqueName('peer-group')
  const ingest = spawnSampled(node[0], [...node.slice(1), 'ingest', '--topic', ourTopic, '--group', group, '--lake', join(dir, 'lake'), '--brokers', brokers])
  const started = performance.now()
  await waitFor(() => caughtUp(kafka, group, ourTopic, ends), 1_800_000, `the ingest to commit ${ourTopic} to its end`)
  const seconds = (performance.now() - started) / 1000
  // The ingest runs until stopped: its high-water marks are read before the SIGTERM.
  const peak = ingest.sampler.stop()
  ingest.child.kill('SIGTERM')
  writeFileSync(join(dir, 'ours-ingest.log'), (await ingest.finished).stderr)
  report({ run, step: 'ours ingest', rows: await messagesIn(ourTopic), seconds, peak })
}

const rate = (step: string, run: number) => {
  const row = results.find((r) => r.step === step && r.run === run)
  return row ? row.rows / row.seconds : NaN
}
console.log('ratios ours/theirs (rows/s), pair by pair')
for (const stage of ['produce', 'ingest']) {
  const theirStep = stage === 'produce' ? 'theirs produce' : 'theirs stream'
  const ratios = results.filter((r) => r.step === `ours ${stage}`).map((r) => rate(r.step, r.run) / rate(theirStep, r.run))
  const peaks = (step: string) => results.filter((r) => r.step === step).map((r) => r.peak.sumMiB)
  const range = (values: number[], unit = '') => `${Math.min(...values).toFixed(unit ? 0 : 2)}-${Math.max(...values).toFixed(unit ? 0 : 2)}${unit}`
  console.log(`  ${stage.padEnd(8)} ${ratios.map((r) => r.toFixed(2)).join(', ')}  (min-max ${range(ratios)} x); ` +
    `peak memory ours ${range(peaks(`ours ${stage}`), ' MiB')}, theirs ${range(peaks(theirStep), ' MiB')}`)
}

console.log('outputs (run 1)')
for (const line of await outputChecks(input, join(work, 'run-1', 'theirs'), join(work, 'run-1', 'lake'))) console.log(`  ${line}`)

const admin = new Admin(clientOptions(kafka))
await admin.deleteTopics({ topics }).finally(() => admin.close())
