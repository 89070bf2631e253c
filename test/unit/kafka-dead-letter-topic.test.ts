import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DeadLetter } from '../../src/core/record.ts'
import { deadLetterMessage, deadLetterTopic, readDeadLetterHeaders } from '../../src/sinks/dead-letter-topic.ts'

const letter = (origin: DeadLetter['origin']): DeadLetter => ({
  stage: 'decode',
  code: 'not_json',
  message: 'Expected a JSON object',
  origin,
  source: 'nypd',
  layout: 'nypd',
  raw: 'oops',
  at: '2026-01-01T00:00:00.000Z',
})

test('the dead-letter topic defaults to <topic>.dlq', () => {
  assert.equal(deadLetterTopic('incidents'), 'incidents.dlq')
  assert.equal(deadLetterTopic('incidents', 'errors'), 'errors')
})

test('a Kafka dead letter keeps the original bytes and carries topic, partition, offset, source, layout, stage and error', () => {
  const value = Buffer.from([0xff, 0x00, 0x7b])
  const message = deadLetterMessage('incidents.dlq', letter({ kind: 'kafka', topic: 'incidents', partition: 2, offset: 41n, file: 'a.csv', row: 7 }), { value })
  assert.equal(message.topic, 'incidents.dlq')
  assert.equal(message.value, value)
  const headers = readDeadLetterHeaders(new Map(Object.entries(message.headers as Record<string, string>)))
  assert.deepEqual(headers, {
    topic: 'incidents',
    partition: '2',
    offset: '41',
    file: 'a.csv',
    row: '7',
    origin: 'kafka',
    source: 'nypd',
    layout: 'nypd',
    stage: 'decode',
    code: 'not_json',
    message: 'Expected a JSON object',
  })
})

test('a file dead letter carries the file and row, and its raw row as JSON', () => {
  const message = deadLetterMessage('incidents.dlq', { ...letter({ kind: 'file', file: 'b.csv', row: 9 }), raw: ['x', 'y'] })
  assert.equal(message.value?.toString(), '["x","y"]')
  const headers = readDeadLetterHeaders(new Map(Object.entries(message.headers as Record<string, string>)))
  assert.equal(headers.file, 'b.csv')
  assert.equal(headers.row, '9')
  assert.equal(headers.topic, undefined)
})

test('a dead letter whose layout is unknown names its source and no layout', () => {
  const message = deadLetterMessage('incidents.dlq', { ...letter({ kind: 'kafka', topic: 'incidents', partition: 0, offset: 3n }), layout: null })
  const headers = readDeadLetterHeaders(new Map(Object.entries(message.headers as Record<string, string>)))
  assert.deepEqual([headers.source, headers.layout], ['nypd', undefined])
})
