import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { readDeadLetterHeaders } from '../../src/sinks/dead-letter-topic.ts'
import { ensureTopic } from '../../src/sinks/kafka-topic.ts'
import { topicEnds } from '../../src/pipelines/ingest-streaming.ts'
import { rawRow } from '../fixtures/austin-rows.ts'
import { caughtUp, duplicates, exited, freshTopic, lakePositions, messageCount, producedTopic, readMessages, runCli, runIngestUntil, startCli, waitFor, writeFixtureCsv } from './kafka-harness.ts'

test('a 120-character topic keeps every partition apart: every offset lands once under file names of bounded length', async () => {
  const long = `long-${'x'.repeat(100)}`
  const { kafka, lake, topic, group, ends, total } = await producedTopic(long, 3_000, 3)
  assert.ok(topic.length >= 120, `the topic name has ${topic.length} characters`)
  const { code, output } = await runIngestUntil(kafka, topic, group, lake, ends)
  assert.equal(code, 0, output)
  const { rows, deadLetters } = await lakePositions(lake)
  assert.deepEqual(duplicates([...rows, ...deadLetters]), [], 'no offset is in the lake twice')
  assert.equal(rows.length + deadLetters.length, total, 'every offset is in the lake')
  const names = readdirSync(lake, { recursive: true, encoding: 'utf8' }).map((file) => file.split('/').pop()!)
  assert.ok(names.every((name) => name.length < 120), 'file names stay short')
  assert.equal(new Set(names.filter((n) => /-p\d+-g\d+-/.test(n)).map((n) => /-p(\d+)-g/.exec(n)![1])).size, 3, 'each partition has files of its own')
})

test("a topic filled by Kafka's console producer with bad messages and no dead-letter topic: the ingest creates it and goes on", async () => {
  const { kafka, lake, topic, group } = freshTopic('console')
  await ensureTopic(kafka, { topic, partitions: 2, replication: 1 })
  const good = (n: number) => JSON.stringify(rawRow({ incident_number: `2021-${n}` }))
  const lines = ['k1|this is not json', `k2|${good(2)}`, 'k3|{"x":1}', `k4|${good(4)}`, 'k5|[]', `k6|${good(6)}`]
  await consoleProduce(kafka.brokers[0], topic, lines)
  assert.equal(existsSync(lake), false)
  const ends = await topicEnds(kafka, topic)
  const { code, output } = await runIngestUntil(kafka, topic, group, lake, ends)
  assert.equal(code, 0, output)

  const { rows, deadLetters } = await lakePositions(lake)
  assert.equal(rows.length, 3, 'the valid rows are in the lake')
  assert.equal(deadLetters.length, 3, 'the bad messages are lake dead letters')
  const letters = await readMessages(kafka, `${topic}.dlq`, 3)
  assert.deepEqual(letters.map((m) => m.key.toString()).sort(), ['k1', 'k3', 'k5'], 'the dead-letter topic keeps the keys')
  assert.deepEqual(letters.map((m) => readDeadLetterHeaders(m.headers).stage).sort(), ['decode', 'decode', 'decode'])
})

/** Sends `key|value` lines with Kafka's own console producer, as another team's tool would. */
function consoleProduce(broker: string, topic: string, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ['scripts/kafka.sh', 'tool', 'org.apache.kafka.tools.ConsoleProducer', '--bootstrap-server', broker, '--topic', topic, '--property', 'parse.key=true', '--property', 'key.separator=|']
    const child = execFile('bash', args, { timeout: 60_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`console producer failed: ${stderr}`)) : resolve()))
    child.stdin?.end(lines.join('\n') + '\n')
  })
}

test('an ingest started before its topic exists waits for it, then takes everything produced into it', async () => {
  const { kafka, dir, lake, topic, group } = freshTopic('later')
  const child = startCli(['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-ms', '300'], { LOG_LEVEL: 'info' })
  await waitFor(() => child.output().includes('the topic does not exist yet'), 30_000, 'the ingest to say it waits')
  const produced = await runCli(['produce', '--input', writeFixtureCsv(join(dir, 'rows.csv'), 500), '--topic', topic, '--partitions', '2', '--no-progress'])
  assert.equal(produced.code, 0, produced.output)
  const ends = await topicEnds(kafka, topic)
  await waitFor(() => caughtUp(kafka, group, topic, ends), 60_000, `group ${group} to commit ${topic} to its end`)
  child.kill('SIGTERM')
  assert.equal(await exited(child), 0, child.output())
  const { rows, deadLetters } = await lakePositions(lake)
  assert.equal(rows.length + deadLetters.length, messageCount(ends), 'every message of the topic is in the lake')
})
