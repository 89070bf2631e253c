import assert from 'node:assert/strict'
import { test } from 'node:test'
import { NetworkError, ProtocolError } from '@platformatic/kafka'
import type { IngestConsumer } from '../../src/sources/kafka-consumer.ts'
import { DEFAULT_FETCH_LIMITS, KafkaFetcher } from '../../src/sources/kafka-fetcher.ts'

/**
 * A client whose one partition is led by broker 1 until the metadata is read again with
 * `forceUpdate`, then by broker 2; and a sender that fails with `error` on broker 1 and answers
 * empty on broker 2. Records the broker each fetch went to.
 */
function movingLeader(error: Error) {
  let leader = 1
  const asked: number[] = []
  const client = {
    metadata: async (options: { forceUpdate?: boolean }) => {
      if (options.forceUpdate) leader = 2
      return { topics: new Map([['incidents', { id: 'topic-id', partitions: [{ leader }] }]]) }
    },
  }
  const send = async (_client: IngestConsumer, node: number) => {
    asked.push(node)
    if (node === 1) throw error
    return { responses: [] }
  }
  return { fetcher: new KafkaFetcher(client as unknown as IngestConsumer, 'incidents', DEFAULT_FETCH_LIMITS, { send, retryDelayMs: 1 }), asked }
}

test('a fetch that meets a broker going away is asked again of the leader the fresh metadata names', async () => {
  const { fetcher, asked } = movingLeader(new NetworkError('Connection closed'))
  const positions = new Map([[0, 10n]])
  assert.deepEqual(await fetcher.fetch(positions), { parts: [], outOfRange: false })
  await fetcher.fetch(positions)
  assert.deepEqual(asked, [1, 2])
})

test('a fetch error the Kafka client would not retry fails at once', async () => {
  const { fetcher } = movingLeader(new ProtocolError('TOPIC_AUTHORIZATION_FAILED'))
  await assert.rejects(fetcher.fetch(new Map([[0, 10n]])), /Topic authorization failed/i)
})

test('forty retryable failures in a row fail the fetch', async () => {
  let calls = 0
  const client = { metadata: async () => ({ topics: new Map([['incidents', { id: 'topic-id', partitions: [{ leader: 1 }] }]]) }) }
  const send = async () => {
    calls++
    throw new NetworkError('Connection refused')
  }
  const fetcher = new KafkaFetcher(client as unknown as IngestConsumer, 'incidents', DEFAULT_FETCH_LIMITS, { send, retryDelayMs: 1 })
  let failure: unknown
  for (let i = 0; i < 40 && !failure; i++) await fetcher.fetch(new Map([[0, 10n]])).catch((error: unknown) => (failure = error))
  assert.match(String(failure), /Connection refused/)
  assert.equal(calls, 40)
})
