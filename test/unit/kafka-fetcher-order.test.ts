import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { IngestConsumer } from '../../src/sources/kafka-consumer.ts'
import { DEFAULT_FETCH_LIMITS, KafkaFetcher } from '../../src/sources/kafka-fetcher.ts'
import type { RawFetchRequest } from '../../src/sources/kafka-raw-fetch.ts'

/**
 * A client that answers metadata for one topic on one leader, and a sender that records the
 * partitions and offsets of each fetch request in the order they were listed; every fetch comes
 * back empty.
 */
function recordingFetcher(partitions: number) {
  const requests: [number, bigint][][] = []
  const client = {
    metadata: async () => ({
      topics: new Map([['incidents', { id: 'topic-id', partitions: Array.from({ length: partitions }, () => ({ leader: 1 })) }]]),
    }),
  }
  const send = async (_client: IngestConsumer, _node: number, request: RawFetchRequest) => {
    requests.push(request.topics[0].partitions.map((p) => [p.partition, p.fetchOffset]))
    return { responses: [] }
  }
  return { fetcher: new KafkaFetcher(client as unknown as IngestConsumer, 'incidents', DEFAULT_FETCH_LIMITS, { send, retryDelayMs: 1 }), requests }
}

test('each partition leads a fetch request in turn, so a batch past the limits reaches every partition', async () => {
  const { fetcher, requests } = recordingFetcher(3)
  const positions = new Map([[0, 10n], [1, 20n], [2, 30n]])
  for (let i = 0; i < 4; i++) await fetcher.fetch(positions)
  assert.deepEqual(requests.map((request) => request.map(([partition]) => partition)), [[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 1, 2]])
})

test('a fetch asks for every partition once, from the offset given, whatever the turn', async () => {
  const { fetcher, requests } = recordingFetcher(2)
  await fetcher.fetch(new Map([[0, 5n], [1, 7n]]))
  await fetcher.fetch(new Map([[0, 5n], [1, 7n]]))
  assert.deepEqual(requests, [[[0, 5n], [1, 7n]], [[1, 7n], [0, 5n]]])
})
