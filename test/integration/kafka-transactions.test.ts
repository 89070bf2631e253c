import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Producer } from '@platformatic/kafka'
import { clientOptions } from '../../src/core/kafka-config.ts'
import { topicEnds } from '../../src/pipelines/ingest-streaming.ts'
import { ensureTopic } from '../../src/sinks/kafka-topic.ts'
import { rawRow } from '../fixtures/austin-rows.ts'
import { freshTopic, lakePositions, runIngestUntil, uniqueName } from './kafka-harness.ts'

test('a topic written by a transactional producer: committed rows land once, aborted ones never, and the gaps the markers leave are passed', async () => {
  const { kafka, lake, topic } = freshTopic('txn')
  await ensureTopic(kafka, { topic, partitions: 1, replication: 1 })
  const producer = new Producer({ ...clientOptions(kafka), transactionalId: uniqueName('txn-producer'), idempotent: true })
  const row = (n: number) => ({ topic, key: Buffer.from(`k${n}`), value: Buffer.from(JSON.stringify(rawRow({ incident_number: `2021-${n}` }))) })
  const committed: string[] = []
  for (const [batch, outcome] of [[0, 'commit'], [1, 'abort'], [2, 'commit'], [3, 'abort'], [4, 'commit']] as const) {
    const transaction = await producer.beginTransaction()
    const messages = [0, 1, 2].map((i) => row(batch * 10 + i))
    await transaction.send({ messages })
    if (outcome === 'commit') {
      await transaction.commit()
      committed.push(...messages.map((m) => JSON.parse(m.value.toString()).incident_number))
    } else await transaction.abort()
  }
  await producer.close()
  const ends = await topicEnds(kafka, topic)
  assert.ok(Number(ends.get(0)) > 15, `markers take offsets too (end ${ends.get(0)} for 15 messages)`)

  const { code, output } = await runIngestUntil(kafka, topic, uniqueName('txn-group'), lake, ends)
  assert.equal(code, 0, output)
  const { rows, deadLetters } = await lakePositions(lake)
  assert.equal(deadLetters.length, 0)
  assert.equal(rows.length, committed.length, `only the ${committed.length} committed rows are in the lake`)
  assert.equal(new Set(rows).size, rows.length, 'each once')
})
