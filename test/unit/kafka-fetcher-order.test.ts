import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { IngestConsumer } from '../../src/sources/kafka-consumer.ts'
import { KafkaFetcher } from '../../src/sources/kafka-fetcher.ts'

/**
 * A client that answers metadata for one topic on one leader and records the partitions of each
 * fetch request in the order they were listed; every fetch comes back empty.
 */
function recordingClient(partitions: number) {
  const requests: number[][] = []
  const client = {
    metadata: async () => ({
      topics: new Map([['incidents', { id: 'topic-id', partitions: Array.from({ length: partitions }, () => ({ leader: 1 })) }]]),
    }),
    fetch: async (request: { topics: { partitions: { partition: number }[] }[] }) => {
      requests.push(request.topics[0].partitions.map((p) => p.partition))
      return { responses: [] }
    },
  }
  return { client: client as unknown as IngestConsumer, requests }
}

test('each partition leads a fetch request in turn, so a batch past the limits reaches every partition', async () => {
  const { client, requests } = recordingClient(3)
  const fetcher = new KafkaFetcher(client, 'incidents')
  const positions = new Map([[0, 10n], [1, 20n], [2, 30n]])
  for (let i = 0; i < 4; i++) await fetcher.fetch(positions)
  assert.deepEqual(requests, [[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 1, 2]])
})

test('a fetch asks for every partition once, from the offset given, whatever the turn', async () => {
  const { client } = recordingClient(2)
  const offsets: [number, bigint][][] = []
  const spy = client as unknown as { fetch: (request: { topics: { partitions: { partition: number; fetchOffset: bigint }[] }[] }) => Promise<unknown> }
  spy.fetch = async (request) => {
    offsets.push(request.topics[0].partitions.map((p) => [p.partition, p.fetchOffset]))
    return { responses: [] }
  }
  const fetcher = new KafkaFetcher(client, 'incidents')
  await fetcher.fetch(new Map([[0, 5n], [1, 7n]]))
  await fetcher.fetch(new Map([[0, 5n], [1, 7n]]))
  assert.deepEqual(offsets, [[[0, 5n], [1, 7n]], [[1, 7n], [0, 5n]]])
})
