import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Consumer, stringDeserializer, type Message } from '@platformatic/kafka'
import { clientOptions, loadKafkaConfig, type KafkaConfig } from '../../src/core/kafka-config.ts'
import { AUSTIN_COLUMN_IDS as RAW_COLUMNS, AUSTIN_HEADERS as RAW_HEADERS } from '../../src/layouts/austin-apd/columns.ts'
import { decodeParquet } from '../../src/lake/parquet-file.ts'
import { topicEnds } from '../../src/pipelines/ingest-streaming.ts'

/** The test broker from KAFKA_BROKERS; the Kafka tests fail (not skip) without one. */
export function testKafka(): KafkaConfig {
  if (!process.env.KAFKA_BROKERS) {
    throw new Error('Expected KAFKA_BROKERS to name a running broker (start one with: bash scripts/kafka.sh start)')
  }
  return loadKafkaConfig({ clientId: 'hatecrimes-test' })
}

/** A topic or group name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hatecrimes-${prefix}-`))
}

const TEMPLATES = [
  ['0', '1', '0', '1', 'White/Not Hispanic', 'Aggravated Assault', 'Park/Playground', 'Anti-Black or African American', '78704', 'Henry', '9'],
  ['0', '0', '0', '0', 'Unknown', 'Destruction', 'Highway/Road/Alley/Street/Sidewalk', 'Anti-Jewish', '78757', 'Ida', '7'],
  ['1', '2', '0', '2', 'Black or African American/Not Hispanic', 'Simple Assault', 'Residence/Home', 'Anti-Gay (Male)', '78741', 'Charlie', '3'],
]
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/**
 * Writes a CSV in the Austin layout with `rows` rows spread over 2017-2024. Every 50th row has an
 * impossible date (the transform rejects it) and every 97th row has a field too many (the CSV
 * reader reports it), so both dead-letter paths are used.
 */
export function writeFixtureCsv(path: string, rows: number): string {
  const lines = [RAW_COLUMNS.map((column) => RAW_HEADERS[column]).join(',')]
  for (let i = 1; i <= rows; i++) {
    const date = new Date(Date.UTC(2017 + (i % 8), i % 12, 1 + (i % 28)))
    const mm = String(date.getUTCMonth() + 1).padStart(2, '0')
    const dd = String(date.getUTCDate()).padStart(2, '0')
    const when = i % 50 === 0 ? '13/45/2017 12:00:00 AM' : `${mm}/${dd}/${date.getUTCFullYear()} 12:00:00 AM`
    const fields = [MONTHS[date.getUTCMonth()], `${date.getUTCFullYear()}-${100000 + i}`, when, DAYS[date.getUTCDay()], ...TEMPLATES[i % 3]]
    if (i % 97 === 0) fields.push('extra')
    lines.push(fields.join(','))
  }
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

/** Runs the CLI as a child process (so it can be killed like a real deployment); `entry`: bin/hatecrimes.js to start it as the command does. */
export function startCli(args: string[], env: Record<string, string> = {}, entry = 'src/cli/main.ts'): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [entry, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  return Object.assign(child, { output: () => output })
}

/**
 * A port on 127.0.0.1 that nothing listens on now, for a child to serve on. A fixed port in the
 * range the kernel hands out to outgoing connections (32768-60999 here) is sometimes taken by one.
 */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Resolves with the exit code (or signal name) of a child process. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode)
  if (child.signalCode !== null) return Promise.resolve(child.signalCode)
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)))
}

/** Runs the CLI to completion and returns its exit code and output. */
export async function runCli(args: string[]): Promise<{ code: number | string; output: string }> {
  const child = startCli(args)
  const code = await exited(child)
  return { code, output: child.output() }
}

/**
 * Every (partition, offset) a folder lake holds, as `p:o`, from the Parquet data files and the
 * JSON-lines dead-letter files, read directly so the check does not depend on the query layer.
 */
export async function lakePositions(lake: string): Promise<{ rows: string[]; deadLetters: string[] }> {
  const files = existsSync(lake) ? readdirSync(lake, { recursive: true, encoding: 'utf8' }) : []
  const rows: string[] = []
  const deadLetters: string[] = []
  for (const file of files.sort()) {
    const path = join(lake, file)
    if (file.endsWith('.parquet')) {
      const records = await decodeParquet(readFileSync(path))
      for (const record of records) rows.push(`${record.kafka_partition}:${record.kafka_offset}`)
    } else if (file.endsWith('.jsonl')) {
      for (const line of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
        const { origin } = JSON.parse(line) as { origin: { partition: number; offset: string } }
        deadLetters.push(`${origin.partition}:${origin.offset}`)
      }
    }
  }
  return { rows, deadLetters }
}

/** Polls `check` every 250 ms until it returns true or `ms` pass. */
export async function waitFor(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`)
    await sleep(250)
  }
}

/** Duplicates in a list of positions. */
export function duplicates(positions: string[]): string[] {
  const seen = new Set<string>()
  return positions.filter((p) => (seen.has(p) ? true : (seen.add(p), false)))
}

/** The offsets a group has committed on a topic's partitions (-1 where nothing is committed). */
export async function committedOffsets(kafka: KafkaConfig, group: string, topic: string, partitions: number[]): Promise<Map<number, bigint>> {
  const reader = new Consumer({ ...clientOptions(kafka), groupId: group })
  try {
    const offsets = await reader.listCommittedOffsets({ topics: [{ topic, partitions }] })
    return new Map(partitions.map((p) => [p, offsets.get(topic)?.[p] ?? -1n]))
  } finally {
    await reader.close()
  }
}

/** True once the group has committed every partition up to `ends`. */
export async function caughtUp(kafka: KafkaConfig, group: string, topic: string, ends: Map<number, bigint>): Promise<boolean> {
  const done = await committedOffsets(kafka, group, topic, [...ends.keys()])
  return [...ends].every(([p, end]) => (done.get(p) ?? -1n) >= end)
}

/** Runs `hatecrimes ingest` as a child until the group has committed `ends`, then stops it with SIGTERM. */
export async function runIngestUntil(kafka: KafkaConfig, topic: string, group: string, lake: string, ends: Map<number, bigint>) {
  const child = startCli(['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-ms', '300'])
  await waitFor(() => caughtUp(kafka, group, topic, ends), 90_000, `group ${group} to commit ${topic} to its end`)
  child.kill('SIGTERM')
  return { code: await exited(child), output: child.output() }
}

/** Messages in a topic whose partitions end at `ends` (from the first offset, 0). */
export function messageCount(ends: Map<number, bigint>): number {
  return [...ends.values()].reduce((sum, end) => sum + Number(end), 0)
}

/** The names a Kafka test works under: a new topic, group and lake folder, none used by another test. */
export function freshTopic(name: string) {
  const dir = tempDir(`kafka-${name}`)
  return { kafka: testKafka(), dir, lake: join(dir, 'lake'), topic: uniqueName(name), group: uniqueName(`${name}-group`) }
}

/**
 * The common start of an ingest test: a fixture CSV of `rows` rows produced with the CLI into a new
 * topic of `partitions` partitions, with a fresh group and lake. `ends` are the topic's end offsets
 * and `total` the messages in it.
 */
export async function producedTopic(name: string, rows: number, partitions: number) {
  const fresh = freshTopic(name)
  const input = writeFixtureCsv(join(fresh.dir, 'incidents.csv'), rows)
  const produced = await runCli(['produce', '--input', input, '--topic', fresh.topic, '--partitions', String(partitions), '--no-progress'])
  if (produced.code !== 0) throw new Error(`produce failed: ${produced.output}`)
  const ends = await topicEnds(fresh.kafka, fresh.topic)
  return { ...fresh, ends, total: messageCount(ends) }
}

/** The first `count` messages of a topic (from the earliest offset), headers as strings; fails after `ms`. */
export async function readMessages(kafka: KafkaConfig, topic: string, count: number, ms = 30_000): Promise<Message<Buffer, Buffer, string, string>[]> {
  const reader = new Consumer<Buffer, Buffer, string, string>({
    ...clientOptions(kafka),
    groupId: uniqueName('reader'),
    deserializers: { headerKey: stringDeserializer, headerValue: stringDeserializer },
  })
  const timer = setTimeout(() => void reader.close(true), ms)
  const messages: Message<Buffer, Buffer, string, string>[] = []
  try {
    const stream = await reader.consume({ topics: [topic], mode: 'earliest', autocommit: false })
    for await (const message of stream) if (messages.push(message) >= count) break
    await stream.close()
  } finally {
    clearTimeout(timer)
    await reader.close().catch(() => undefined)
  }
  if (messages.length < count) throw new Error(`Expected ${count} messages on ${topic} within ${ms} ms (got ${messages.length})`)
  return messages
}
