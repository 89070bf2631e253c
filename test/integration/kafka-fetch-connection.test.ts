// The ingest fetches on a client of its own (createFetchClient) because a broker answers one request
// per connection at a time: a fetch it holds open at the end of a partition holds back whatever was
// sent after it on that connection, the commit of a flush included. Both halves are shown on a real
// broker: behind a held fetch on the same client a commit waits for the fetch; from the member's own
// client it lands while the fetch is still held.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { FetchIsolationLevels } from '@platformatic/kafka'
import type { KafkaConfig } from '../../src/core/kafka-config.ts'
import { committedStates, createConsumer, createFetchClient, fencedCommit, type IngestConsumer } from '../../src/sources/kafka-consumer.ts'
import { fetchRaw } from '../../src/sources/kafka-raw-fetch.ts'
import { producedTopic } from './kafka-harness.ts'

/** How long the broker holds the fetch at the end of the partition, where nothing new comes. */
const HELD_MS = 6_000

/**
 * Sends a fetch for the end of partition 0, as the ingest sends it, which the broker holds; `done`
 * turns true when it is answered. The topic's metadata is read first, so once this resolves the
 * fetch is the only request on its way.
 */
async function heldFetch(client: IngestConsumer, topic: string, end: bigint) {
  const { id, partitions } = (await client.metadata({ topics: [topic] })).topics.get(topic)!
  const state = { done: false }
  const request = {
    maxWaitMs: HELD_MS,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    topics: [{ topicId: id, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: end, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 18 }] }],
  }
  const answered = fetchRaw(client, partitions[0].leader, request).finally(() => (state.done = true))
  return { state, answered }
}

/** Commits `offset` for partition 0 as a group without members takes it, and says whether the held fetch was answered by then. */
async function commitDuring(client: IngestConsumer, kafka: KafkaConfig, topic: string, offset: bigint, state: { done: boolean }) {
  const outcome = await fencedCommit(client, kafka, { topic, partition: 0, offset, tag: { member: '', generation: -1, from: 0n } })
  return { outcome, fetchAnswered: state.done }
}

test('a commit is not held behind the fetch the broker keeps open at the end of a partition', async () => {
  const { kafka, topic, group, ends } = await producedTopic('fetch-connection', 50, 1)
  const end = ends.get(0)!
  const member = createConsumer(kafka, group)
  const fetching = createFetchClient(kafka, group)
  try {
    // Both clients know the cluster before the fetches, so nothing but the fetch is on the wire.
    await member.metadata({ topics: [topic] })
    await fetching.metadata({ topics: [topic] })

    const apart = await heldFetch(fetching, topic, end)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const fromMember = await commitDuring(member, kafka, topic, end - 10n, apart.state)
    assert.equal(fromMember.outcome, 'committed')
    assert.equal(fromMember.fetchAnswered, false, "the member's commit landed while the fetch client's fetch was held")
    await apart.answered

    const shared = await heldFetch(member, topic, end)
    // Long enough for the fetch to be on the wire first even on a loaded machine (1 s was not, once
    // in a full run beside other tests), and short of the time the broker holds it.
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    const behind = await commitDuring(member, kafka, topic, end, shared.state)
    assert.equal(behind.outcome, 'committed')
    assert.equal(behind.fetchAnswered, true, 'on the connection of a held fetch, the commit waited for the fetch')
    await shared.answered
    assert.equal((await committedStates(member, topic, [0])).get(0)?.offset, end)
  } finally {
    await member.close(true)
    await fetching.close(true)
  }
})
