/**
 * Our produce and ingest against Kafka's own ProducerPerformance and ConsumerPerformance, on the
 * same broker in the same run, with the same record count and a record size equal to our average
 * message. Prints records/s, our/Kafka ratios, and each process's peak RSS (GNU time's %M).
 *
 *   KAFKA_BROKERS=127.0.0.1:39092 node bench/kafka-throughput.ts [rows]   (or: bash bench/kafka-throughput.sh)
 *
 * Kafka's tools only move bytes; our ingest also decodes, cleans, enriches, writes Parquet and
 * commits after each file, so the ingest ratio is the price of that work, not of the client.
 */
import { execFile, spawn } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { topicEnds } from '../src/pipelines/ingest-streaming.ts'
import { writeSyntheticCsv } from '../src/sources/synthetic.ts'
import { caughtUp, tempDir, testKafka, uniqueName, waitFor } from '../test/integration/kafka-harness.ts'

const run = promisify(execFile)
const rows = Number(process.argv[2] ?? 200_000)
const kafka = testKafka()
const brokers = kafka.brokers.join(',')
const dir = tempDir('bench-kafka')
const input = join(dir, 'incidents.csv')
await writeSyntheticCsv(input, { rows, seed: 7 })

/** Runs a command under GNU time; returns its output, wall seconds and peak RSS in MiB. */
async function measured(command: string, args: string[]) {
  const started = performance.now()
  const { stdout, stderr } = await run('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M', command, ...args], { maxBuffer: 64 << 20 })
  const seconds = (performance.now() - started) / 1000
  const peak = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024
  return { stdout, stderr, seconds, peak }
}

const node = process.execPath
const tool = (main: string, args: string[]) => measured('bash', ['scripts/kafka.sh', 'tool', main, ...args])

// Ours first: it creates the topic and tells the average message size to give Kafka's tool.
const ourTopic = uniqueName('bench-ours')
const produced = await measured(node, ['--max-semi-space-size=8', 'bin/hatecrimes.js', 'produce', '--input', input, '--topic', ourTopic, '--partitions', '3', '--brokers', brokers, '--no-progress'])
const ends = await topicEnds(kafka, ourTopic)
const messages = [...ends.values()].reduce((sum, end) => sum + Number(end), 0)
const recordSize = Math.round((statSync(input).size / rows) * 1.9) // JSON with field names is about 1.9x the CSV line

const group = uniqueName('bench-group')
const started = performance.now()
const ingestChild = spawn(node, ['--max-semi-space-size=8', 'bin/hatecrimes.js', 'ingest', '--topic', ourTopic, '--group', group, '--lake', join(dir, 'lake'), '--brokers', brokers, '--flush-ms', '1000'], { stdio: 'ignore' })
await waitFor(() => caughtUp(kafka, group, ourTopic, ends), 600_000, 'the ingest to commit everything')
const ingestSeconds = (performance.now() - started) / 1000
// The ingest runs until stopped, so its high-water RSS is read from /proc before the SIGTERM.
const ingested = { peak: Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${ingestChild.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024 }
ingestChild.kill('SIGTERM')
await new Promise((resolve) => ingestChild.once('exit', resolve))

const perfTopic = uniqueName('bench-perf')
await tool('org.apache.kafka.tools.TopicCommand', ['--bootstrap-server', brokers, '--create', '--topic', perfTopic, '--partitions', '3', '--replication-factor', '1'])
const kafkaProduce = await tool('org.apache.kafka.tools.ProducerPerformance', [
  '--topic', perfTopic, '--num-records', String(messages), '--record-size', String(recordSize), '--throughput', '-1',
  '--producer-props', `bootstrap.servers=${brokers}`, 'acks=all', 'enable.idempotence=true', 'compression.type=zstd', 'linger.ms=5',
])
const kafkaConsume = await tool('org.apache.kafka.tools.ConsumerPerformance', ['--bootstrap-server', brokers, '--topic', perfTopic, '--messages', String(messages)])

const kafkaProduceRate = Number(/records sent, ([\d.]+) records\/sec/.exec(kafkaProduce.stdout)?.[1])
const consumeLine = kafkaConsume.stdout.trim().split('\n').at(-1)?.split(',').map((s) => s.trim()) ?? []
const kafkaConsumeRate = Number(consumeLine[5])
const ourProduceRate = messages / produced.seconds
const ourIngestRate = messages / ingestSeconds

const line = (name: string, rate: number, base: number, peak: number) =>
  `${name.padEnd(44)} ${Math.round(rate).toString().padStart(9)} rec/s   ratio ${(rate / base).toFixed(2).padStart(5)}   peak RSS ${peak.toFixed(0)} MiB`
console.log(`kafka throughput: ${messages} messages of ~${recordSize} bytes, 3 partitions, broker ${brokers}`)
console.log(line('Kafka ProducerPerformance (acks=all, zstd)', kafkaProduceRate, kafkaProduceRate, kafkaProduce.peak))
console.log(line('hatecrimes produce (CSV read + send, wall)', ourProduceRate, kafkaProduceRate, produced.peak))
console.log(line('Kafka ConsumerPerformance', kafkaConsumeRate, kafkaConsumeRate, kafkaConsume.peak))
console.log(line('hatecrimes ingest (to Parquet + commit, wall)', ourIngestRate, kafkaConsumeRate, ingested.peak))
