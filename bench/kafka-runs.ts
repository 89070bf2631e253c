/**
 * The measured runs of bench/kafka-throughput.ts: our commands and Kafka's perf tools, each a child
 * process, each giving records/s and peak RSS. Kafka's tools run through `scripts/kafka.sh tool`.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { KafkaConfig } from '../src/core/kafka-config.ts'
import { writeSyntheticCsv } from '../src/sources/synthetic.ts'
import { caughtUp, committedOffsets, exited, messageCount, startCli, waitFor } from '../test/integration/kafka-harness.ts'
import { COMMAND_FLAGS } from './figures.ts'

const run = promisify(execFile)

export interface Measured {
  /** Records per second as the tool itself times its work (after start-up). */
  rate: number
  /** Records per second over the process's whole life, start-up included. */
  wallRate: number
  peakMiB: number
  /** CPU seconds (user + system, all threads) per 1,000,000 records, where measured: steadier than rates on a busy machine. */
  cpuPerMillion?: number
}

/** The generated CSV of `rows` rows (seed 1, as `hatecrimes generate` writes it), written once into .cache/bench under a temporary name until complete. */
export async function benchInput(rows: number): Promise<string> {
  const dir = join('.cache', 'bench')
  const input = join(dir, `incidents-${rows}.csv`)
  if (existsSync(input)) return input
  mkdirSync(dir, { recursive: true })
  console.log(`generating ${rows} rows into ${input}`)
  await writeSyntheticCsv(`${input}.partial`, { rows, seed: 1 })
  renameSync(`${input}.partial`, input)
  return input
}

/** Runs a command under GNU time; returns its output, wall seconds and peak RSS in MiB. */
async function timed(command: string, args: string[]) {
  const started = performance.now()
  const { stdout, stderr } = await run('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M', command, ...args], { maxBuffer: 64 << 20 })
  const seconds = (performance.now() - started) / 1000
  const peakMiB = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024
  return { stdout, stderr, seconds, peakMiB }
}

const tool = (main: string, args: string[]) => timed('bash', ['scripts/kafka.sh', 'tool', `org.apache.kafka.tools.${main}`, ...args])

/** A number a tool printed, or an error that quotes what it printed instead. */
function parsed(pattern: RegExp, text: string, what: string): number {
  const value = Number(pattern.exec(text)?.[1])
  if (!Number.isFinite(value)) throw new Error(`Expected ${what} matching ${pattern} (got: ${text.slice(-400)})`)
  return value
}

export async function createTopic(brokers: string, topic: string, partitions: number): Promise<void> {
  await tool('TopicCommand', ['--bootstrap-server', brokers, '--create', '--topic', topic, '--partitions', String(partitions), '--replication-factor', '1'])
}

/** `hatecrimes produce` into a new topic (`extra`: more flags, e.g. --rate); its rate is the one its summary line reports. */
export async function ourProduce(input: string, brokers: string, topic: string, partitions: number, rows: number, extra: string[] = []): Promise<Measured & { fromFirstRow: number }> {
  const args = [...COMMAND_FLAGS, 'bin/hatecrimes.js', 'produce', '--input', input, '--topic', topic, ...extra]
  const result = await timed(process.execPath, [...args, '--partitions', String(partitions), '--brokers', brokers, '--no-progress'])
  const produced = parsed(/produced (\d+) of/, result.stdout, 'a summary line')
  if (produced !== rows) throw new Error(`Expected produce to send all ${rows} rows (got ${produced}): ${result.stdout}`)
  const rate = parsed(/\((\d+) rows\/s;/, result.stdout, 'a summary line')
  const fromFirstRow = parsed(/(\d+) rows\/s from the first row\)/, result.stdout, 'a summary line')
  return { rate, wallRate: rows / result.seconds, peakMiB: result.peakMiB, fromFirstRow }
}

/** Kafka's ProducerPerformance with our settings: acks=all, idempotent, zstd. */
export async function kafkaProduce(brokers: string, topic: string, records: number, recordSize: number): Promise<Measured> {
  const result = await tool('ProducerPerformance', [
    '--topic', topic, '--num-records', String(records), '--record-size', String(recordSize), '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${brokers}`, 'acks=all', 'enable.idempotence=true', 'compression.type=zstd',
  ])
  // The final line is the one with percentiles; the lines before it are 5-second windows.
  const rate = parsed(/(?:^|\n)\d+ records sent, ([\d.]+) records\/sec[^\n]*99\.9th/, result.stdout, 'a final line')
  return { rate, wallRate: records / result.seconds, peakMiB: result.peakMiB }
}

/** Kafka's ConsumerPerformance reading `records` messages of a topic from its start. */
export async function kafkaConsume(brokers: string, topic: string, records: number): Promise<Measured> {
  const result = await tool('ConsumerPerformance', ['--bootstrap-server', brokers, '--topic', topic, '--messages', String(records)])
  // The last line: start, end, MB, MB/s, messages, messages/s, rebalance ms, fetch ms, fetch MB/s, fetch messages/s.
  const fields = result.stdout.trim().split('\n').at(-1)?.split(',').map((field) => field.trim()) ?? []
  const rate = parsed(/^([\d.]+)$/, fields[5] ?? '', 'the messages/s column of ConsumerPerformance')
  return { rate, wallRate: records / result.seconds, peakMiB: result.peakMiB }
}

/**
 * When an ingest committed the last of `ends` (ms since the epoch), read from its `flushed and
 * committed` log lines (LOG_LEVEL=debug): the latest of each partition's first commit that reached
 * its end. Undefined until every partition that holds messages has one.
 *
 * @example
 * lastCommitAt(child.output(), new Map([[0, 500n], [1, 498n]])) // 1796425091644
 */
export function lastCommitAt(output: string, ends: Map<number, bigint>): number | undefined {
  const reached = new Map<number, number>()
  for (const line of output.split('\n')) {
    if (!line.includes('"msg":"flushed and committed"')) continue
    const { time, partition, next } = JSON.parse(line.slice(line.indexOf('{'))) as { time: number; partition: number; next: string }
    if (BigInt(next) >= (ends.get(partition) ?? 0n)) reached.set(partition, Math.min(reached.get(partition) ?? time, time))
  }
  const holding = [...ends].filter(([, end]) => end > 0n).map(([partition]) => partition)
  return holding.every((partition) => reached.has(partition)) ? Math.max(...holding.map((partition) => reached.get(partition)!)) : undefined
}

/**
 * `hatecrimes ingest` from the start of a topic until its group has committed `ends`. Its rate is
 * timed as Kafka's ConsumerPerformance times itself, from its start once the runtime has loaded it
 * (its `ingest starting` log line, before it connects) to its last commit (the log line of the
 * commit that reached the end, not when a poll of the group's offsets saw it); the wall rate counts
 * from the process's start to that commit. It runs until stopped, so its RSS high-water mark is
 * read from /proc just before the SIGTERM. `nodeFlags`: more Node flags, as a user would put in NODE_OPTIONS.
 */
export async function ourIngest(kafka: KafkaConfig, topic: string, group: string, lake: string, ends: Map<number, bigint>, nodeFlags = ''): Promise<Measured> {
  const records = messageCount(ends)
  const started = Date.now()
  // The flags the `hatecrimes` command starts Node with (bin/hatecrimes.js).
  const env = { NODE_OPTIONS: [...COMMAND_FLAGS, nodeFlags].join(' ').trim(), LOG_LEVEL: 'debug' }
  const child = startCli(['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-ms', '1000'], env, 'bin/hatecrimes.js')
  try {
    await waitFor(() => caughtUp(kafka, group, topic, ends), 900_000, `the ingest to commit ${topic} to its end`).catch(async (error) => {
      const committed = await committedOffsets(kafka, group, topic, [...ends.keys()])
      const behind = [...ends].filter(([p, end]) => (committed.get(p) ?? -1n) < end).map(([p, end]) => `partition ${p}: ${committed.get(p)} of ${end}`)
      throw new Error(`${(error as Error).message}; committed offsets behind the end: ${behind.join(', ')}`)
    })
    await waitFor(() => lastCommitAt(child.output(), ends) !== undefined, 10_000, `the ingest's log line of its last commit`)
    const ended = lastCommitAt(child.output(), ends)!
    const peakMiB = parsed(/VmHWM:\s+(\d+)/, readFileSync(`/proc/${child.pid}/status`, 'utf8'), 'VmHWM') / 1024
    const working = parsed(/"time":(\d+)[^\n]*"msg":"ingest starting"/, child.output(), 'the ingest starting line')
    const rate = (records * 1000) / (ended - working)
    return { rate, wallRate: (records * 1000) / (ended - started), peakMiB, cpuPerMillion: (cpuSeconds(child.pid!) * 1e6) / records }
  } finally {
    child.kill('SIGTERM')
    await exited(child)
  }
}

/** User plus system CPU seconds a process has used so far, all its threads (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}
