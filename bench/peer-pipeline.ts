/**
 * The peer benchmark: the original Python/PySpark pipeline (bench/peer/original_producer.py and
 * original_stream.py, written from its description) against ours, on the same broker and the same
 * generated rows, interleaved, each pair at least twice. Prints rows/s, ours/theirs ratios pair by
 * pair with their min-max, the peak memory of every process tree, and what each output holds.
 *
 *   KAFKA_BROKERS=127.0.0.1:39092 node bench/peer-pipeline.ts [rows]      (default 1,000,000)
 *
 * PEER_RUNS (2) sets the pairs; PEER_INGEST_TIMEOUT_S (1200) how long our ingest may take before it
 * is reported as not finished.
 *
 * Needs bench/peer/setup.sh's Python environment and jars (it runs the script, which skips what is
 * present). Each pair gets two new 6-partition topics: their producer writes one, `hatecrimes
 * produce` the other, and each stream job then drains its own producer's topic (the message formats
 * differ). Their stream time includes Python and JVM start; it is also given without the session
 * start. Our ingest runs as the CLI with its defaults until its group has committed the whole topic;
 * its time runs from its process's start to the commit that reached the end (its debug log line of
 * that commit, not when a poll of the group's offsets saw it), as their job's runs to its exit.
 * Peak memory is each process tree's largest RSS sum, sampled from /proc every 100 ms
 * (bench/peer/process-memory.ts): for the Spark job, Python plus the JVM it starts. GNU time's %M
 * (one process's peak, never the JVM's here) is printed beside it.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Admin } from '@platformatic/kafka'
import { clientOptions } from '../src/core/kafka-config.ts'
import { topicEnds } from '../src/pipelines/ingest-streaming.ts'
import { ensureTopic } from '../src/sinks/kafka-topic.ts'
import { writeSyntheticCsv } from '../src/sources/synthetic.ts'
import { caughtUp, committedOffsets, messageCount, testKafka, uniqueName, waitFor } from '../test/integration/kafka-harness.ts'
import { lastCommitAt } from './kafka-runs.ts'
import { outputChecks } from './peer/output-checks.ts'
import { measured, spawnSampled, type TreePeak } from './peer/process-memory.ts'
import { COMMAND_FLAGS, loadavg, range } from './figures.ts'

const rows = Number(process.argv[2] ?? 1_000_000)
const runs = Number(process.env.PEER_RUNS ?? 2)
// Past this the ingest is reported as not finished and the benchmark goes on.
const ingestTimeoutMs = Number(process.env.PEER_INGEST_TIMEOUT_S ?? 1200) * 1000
const kafka = testKafka()
const brokers = kafka.brokers.join(',')
const setup = execFileSync('bash', ['bench/peer/setup.sh'], { encoding: 'utf8' })
const python = /PEER_PYTHON=(.*)/.exec(setup)?.[1] ?? ''
const jars = /PEER_JARS=(.*)/.exec(setup)?.[1] ?? ''
const node = [process.execPath, ...COMMAND_FLAGS, 'bin/hatecrimes.js']

const input = resolve('.cache/bench', `synthetic-${rows}.csv`)
const work = resolve('.cache/bench', `peer-${rows}`)
rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })
if (!existsSync(input)) await writeSyntheticCsv(input, { rows, seed: 7 })

type Row = { run: number; step: string; rows: number; seconds: number; extra?: string; peak: TreePeak; timePeakMiB?: number }
const results: Row[] = []
const topics: string[] = []
const mib = (value: number) => `${value.toFixed(0)} MiB`
const describePeak = (peak: TreePeak) =>
  `tree ${mib(peak.sumMiB)} (${peak.processes.map((p) => `${p.name} ${mib(p.hwmMiB)}`).join(', ')})`

function report(row: Row) {
  results.push(row)
  const rate = Math.round(row.rows / row.seconds).toLocaleString('en-US')
  console.log(`  ${row.step.padEnd(18)} ${row.rows} rows in ${row.seconds.toFixed(1)} s = ${rate.padStart(7)} rows/s ${row.extra ?? ''}; peak ${describePeak(row.peak)}${row.timePeakMiB ? `, GNU time %M ${mib(row.timePeakMiB)}` : ''}`)
}
const printLoadavg = () => console.log(`  loadavg: ${loadavg()}`)
const messagesIn = async (topic: string) => messageCount(await topicEnds(kafka, topic))

console.log(`peer benchmark: ${rows} rows (${input}), ${runs} interleaved runs per side, broker ${brokers}, 6 partitions`)
for (let run = 1; run <= runs; run++) {
  const dir = join(work, `run-${run}`)
  const theirTopic = uniqueName('peer-theirs')
  const ourTopic = uniqueName('peer-ours')
  topics.push(theirTopic, ourTopic)
  for (const topic of [theirTopic, ourTopic]) await ensureTopic(kafka, { topic, partitions: 6, replication: 1 })
  console.log(`run ${run}`)

  printLoadavg()
  const theirProduce = await measured(python, ['bench/peer/original_producer.py', '--input', input, '--topic', theirTopic, '--brokers', brokers])
  report({ run, step: 'theirs produce', rows: await messagesIn(theirTopic), seconds: theirProduce.seconds, peak: theirProduce.tree, timePeakMiB: theirProduce.timePeakMiB })

  printLoadavg()
  const ourProduce = await measured(node[0], [...node.slice(1), 'produce', '--input', input, '--topic', ourTopic, '--partitions', '6', '--brokers', brokers, '--no-progress'])
  report({ run, step: 'ours produce', rows: await messagesIn(ourTopic), seconds: ourProduce.seconds, peak: ourProduce.tree, timePeakMiB: ourProduce.timePeakMiB })

  printLoadavg()
  const theirArgs = ['--topic', theirTopic, '--brokers', brokers, '--out', join(dir, 'theirs'), '--checkpoint', join(dir, 'checkpoint'), '--jars', jars]
  const theirStream = await measured(python, ['bench/peer/original_stream.py', ...theirArgs], { ...process.env, SPARK_LOCAL_IP: '127.0.0.1' })
  const printed = JSON.parse(theirStream.stdout.trim().split('\n').at(-1) ?? '{}') as { records: number; seconds_after_session: number }
  writeFileSync(join(dir, 'theirs-stream.log'), theirStream.stderr)
  const noSession = Math.round(printed.records / printed.seconds_after_session).toLocaleString('en-US')
  results.push({ run, step: 'theirs stream after start', rows: printed.records, seconds: printed.seconds_after_session, peak: theirStream.tree })
  report({ run, step: 'theirs stream', rows: printed.records, seconds: theirStream.seconds, extra: `(${noSession} rows/s after the session start)`, peak: theirStream.tree, timePeakMiB: theirStream.timePeakMiB })

  printLoadavg()
  const ends = await topicEnds(kafka, ourTopic)
  const group = uniqueName('peer-group')
  const started = Date.now()
  // At debug level the ingest logs each commit: its time is taken from the commit that reached the end.
  const ingest = spawnSampled(node[0], [...node.slice(1), 'ingest', '--topic', ourTopic, '--group', group, '--lake', join(dir, 'lake'), '--brokers', brokers], { ...process.env, LOG_LEVEL: 'debug' })
  const finished = await waitFor(() => caughtUp(kafka, group, ourTopic, ends), ingestTimeoutMs, 'the ingest').then(() => true, () => false)
  const seconds = (Date.now() - started) / 1000
  // The ingest runs until stopped: its high-water marks are read before the SIGTERM.
  const peak = ingest.sampler.stop()
  const committed = await committedOffsets(kafka, group, ourTopic, [...ends.keys()])
  ingest.child.kill('SIGTERM')
  const output = (await ingest.finished).stdout + (await ingest.finished).stderr
  writeFileSync(join(dir, 'ours-ingest.log'), output)
  if (finished) report({ run, step: 'ours ingest', rows: await messagesIn(ourTopic), seconds: (lastCommitAt(output, ends)! - started) / 1000, peak })
  else {
    const done = [...committed.values()].reduce((sum, offset) => sum + Math.max(0, Number(offset)), 0)
    const behind = [...ends].filter(([p, end]) => (committed.get(p) ?? -1n) < end).map(([p]) => p)
    console.log(`  ours ingest        DID NOT FINISH in ${seconds.toFixed(0)} s: ${done} of ${[...ends.values()].reduce((a, b) => a + Number(b), 0)} messages committed, ` +
      `partitions ${behind.join(', ')} behind (log: ${join(dir, 'ours-ingest.log')}); peak ${describePeak(peak)}`)
  }
}

const rate = (step: string, run: number) => {
  const row = results.find((r) => r.step === step && r.run === run)
  return row ? row.rows / row.seconds : NaN
}
const peaks = (step: string) => results.filter((r) => r.step === step).map((r) => r.peak.sumMiB)
console.log('ratios ours/theirs (rows/s), pair by pair')
for (const [what, ours, theirs] of [
  ['produce', 'ours produce', 'theirs produce'],
  ['stream to Parquet', 'ours ingest', 'theirs stream'],
  ['same, theirs without its session start', 'ours ingest', 'theirs stream after start'],
]) {
  const ratios = results.filter((r) => r.step === ours).map((r) => rate(ours, r.run) / rate(theirs, r.run))
  if (!ratios.length) {
    console.log(`  ${what.padEnd(40)} no finished pair`)
    continue
  }
  console.log(`  ${what.padEnd(40)} ${ratios.map((r) => r.toFixed(2)).join(', ')}  (min-max ${range(ratios, 2)} x); ` +
    `peak memory ours ${range(peaks(ours), 0)} MiB, theirs ${range(peaks(theirs), 0)} MiB`)
}

console.log('outputs (run 1)')
for (const line of await outputChecks(input, join(work, 'run-1', 'theirs'), join(work, 'run-1', 'lake'))) console.log(`  ${line}`)

// The topics, and the dead-letter topics our produce and ingest create beside them, are removed.
const admin = new Admin(clientOptions(kafka))
const existing = await admin.listTopics()
await admin.deleteTopics({ topics: existing.filter((t) => topics.includes(t.replace(/\.dlq$/, ''))) }).finally(() => admin.close())
