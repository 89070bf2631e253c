import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import { loadKafkaConfig } from '../../src/core/kafka-config.ts'
import { topicEnds } from '../../src/pipelines/ingest-streaming.ts'
import { caughtUp, committedOffsets, duplicates, exited, lakePositions, messageCount, runCli, startCli, tempDir, testKafka, uniqueName, waitFor, writeFixtureCsv } from './kafka-harness.ts'

// A broker of its own, so stopping it does not disturb the tests that share KAFKA_BROKERS. Its ports
// are below the kernel's range for outgoing connections (32768-60999 here), so that no connection
// can take one while the broker is down.
const run = promisify(execFile)
const env = { ...process.env, KAFKA_PORT: '29592', KAFKA_CONTROLLER_PORT: '29593', KAFKA_HOME_DIR: resolve(tempDir('kafka-broker')) }
const broker = (command: string) => run('bash', ['scripts/kafka.sh', command], { env, timeout: 90_000 })

before(async () => {
  testKafka()
  await broker('start')
})
after(async () => {
  await broker('stop')
})

test('a broker restart in the middle of an ingest loses nothing and duplicates nothing', async () => {
  const kafka = loadKafkaConfig({ brokers: '127.0.0.1:29592' })
  const dir = tempDir('kafka-restart')
  const lake = join(dir, 'lake')
  const topic = uniqueName('restart')
  const group = uniqueName('restart-group')
  const input = writeFixtureCsv(join(dir, 'incidents.csv'), 20_000)
  const cli = (args: string[]) => [...args, '--brokers', '127.0.0.1:29592']
  assert.equal((await runCli(cli(['produce', '--input', input, '--topic', topic, '--partitions', '3', '--no-progress']))).code, 0)
  const ends = await topicEnds(kafka, topic)
  const total = messageCount(ends)

  const child = startCli(cli(['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-rows', '150', '--flush-ms', '200']))
  await waitFor(async () => [...(await committedOffsets(kafka, group, topic, [...ends.keys()])).values()].some((o) => o > 0n), 60_000, 'a first commit')
  await broker('stop')
  assert.equal(child.exitCode, null, 'the ingest survives while the broker is down')
  await broker('start')
  await waitFor(() => caughtUp(kafka, group, topic, ends), 120_000, `group ${group} to commit ${topic} to its end after the restart`)
  child.kill('SIGTERM')
  assert.equal(await exited(child), 0, child.output())

  const { rows, deadLetters } = await lakePositions(lake)
  assert.deepEqual(duplicates([...rows, ...deadLetters]), [], 'no offset is in the lake twice')
  assert.equal(rows.length + deadLetters.length, total, 'every offset is in the lake')
})

test('produce rides out a broker down for longer than its first connection waits, and sends every row once', async () => {
  const kafka = loadKafkaConfig({ brokers: '127.0.0.1:29592' })
  const dir = tempDir('produce-restart')
  const topic = uniqueName('produce-restart')
  const rows = 20_000
  const input = writeFixtureCsv(join(dir, 'incidents.csv'), rows)
  const child = startCli(['produce', '--input', input, '--topic', topic, '--partitions', '3', '--rate', '1000', '--no-progress', '--brokers', '127.0.0.1:29592'])
  await waitFor(async () => messageCount(await topicEnds(kafka, topic).catch(() => new Map())) > 2_000, 60_000, 'the first messages')
  const stopping = performance.now()
  await broker('stop')
  // Down longer than the 20 s in which a broker never reached is reported unreachable.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, 25_000 - (performance.now() - stopping))))
  assert.equal(child.exitCode, null, `produce waits while the broker is down: ${child.output()}`)
  await broker('start')
  assert.equal(await exited(child), 0, child.output())
  // Rows with an extra field go to the dead-letter topic.
  const sent = messageCount(await topicEnds(kafka, topic)) + messageCount(await topicEnds(kafka, `${topic}.dlq`))
  assert.equal(sent, rows, 'every row once in the topic or its dead-letter topic')
})
