import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { readDeadLetterHeaders } from '../../src/sinks/dead-letter-topic.ts'
import { createProducer } from '../../src/sinks/kafka-topic.ts'
import { runStreaming, topicEnds } from '../../src/pipelines/ingest-streaming.ts'
import { duplicates, freshTopic, lakePositions, messageCount, readMessages, runCli, runIngestUntil, writeFixtureCsv } from './kafka-harness.ts'

test('produce then ingest: every message lands once, in the lake or the dead letters', async () => {
  const { kafka, dir, lake, topic } = freshTopic('pipeline')
  const input = writeFixtureCsv(join(dir, 'incidents.csv'), 3000)

  const summary = await runStreaming({ input, lake, brokers: kafka.brokers.join(','), topic, partitions: 3, flushRows: 400 })

  assert.equal(summary.rows, 3000)
  assert.equal(summary.produce.produced + summary.produce.deadLettered, 3000)
  assert.ok(summary.produce.deadLettered > 0, 'the fixture has rows the CSV reader rejects')
  assert.ok(summary.ingest.deadLettered > 0, 'the fixture has rows the transform rejects')
  const ends = await topicEnds(kafka, topic)
  const inTopic = messageCount(ends)
  assert.equal(inTopic, summary.produced)
  const { rows, deadLetters } = await lakePositions(lake)
  assert.deepEqual(duplicates([...rows, ...deadLetters]), [])
  assert.equal(rows.length, summary.written)
  assert.equal(rows.length + deadLetters.length, summary.produced, 'good + dead-lettered == produced')
  assert.equal(summary.written + summary.deadLettered, summary.rows)
})

test('a poison message goes to the dead-letter topic with its headers and the stream goes on', async () => {
  const { kafka, dir, lake, topic, group } = freshTopic('poison')
  const first = writeFixtureCsv(join(dir, 'first.csv'), 40)
  assert.equal((await runCli(['produce', '--input', first, '--topic', topic, '--partitions', '1', '--no-progress'])).code, 0)
  const producer = createProducer(kafka)
  await producer.send({ messages: [{ topic, key: Buffer.from('poison'), value: Buffer.from('this is {not json') }] })
  await producer.close()
  assert.equal((await runCli(['produce', '--input', first, '--topic', topic, '--no-progress'])).code, 0)
  const ends = await topicEnds(kafka, topic)
  const { code, output } = await runIngestUntil(kafka, topic, group, lake, ends)
  assert.equal(code, 0, output)

  const { rows, deadLetters } = await lakePositions(lake)
  assert.ok(deadLetters.includes('0:40'), `the poison message (offset 40) is a lake dead letter (got ${deadLetters.join(' ')})`)
  assert.ok(rows.some((p) => Number(p.split(':')[1]) > 40), 'messages after the poison one were ingested')
  assert.equal(rows.length + deadLetters.length, Number(ends.get(0)))

  const letters = await readMessages(kafka, `${topic}.dlq`, 1)
  const poison = readDeadLetterHeaders(letters[0].headers)
  const body = letters[0].value.toString()
  assert.equal(letters[0].key.toString(), 'poison', 'the DLQ keeps the original key')
  assert.equal(body, 'this is {not json', 'the DLQ keeps the original bytes')
  assert.equal(poison?.partition, '0')
  assert.equal(poison?.stage, 'decode')
  assert.equal(poison?.code, 'not_json')
  assert.match(poison?.message ?? '', /Expected a JSON object/)
})
