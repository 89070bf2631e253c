// The ingest's flush triggers besides rows and age, each alone: --flush-bytes (a partition's
// buffered message bytes), the memory cap (all partitions' bytes past 4 x --flush-bytes flush the
// largest), --idle-ms (no new record for that long) and the end of a backlog. The others are set far
// off, so every flush before the stop signal is the one under test.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { caughtUp, duplicates, exited, lakePositions, producedTopic, readMessages, startCli, waitFor } from './kafka-harness.ts'

const NEVER = ['--flush-rows', '1000000', '--flush-ms', '600000', '--idle-ms', '600000']

/** The 'flushed and committed' lines of a member's debug log. */
function flushes(output: string): { partition: number; rows: number; letters: number; next: string }[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"flushed and committed"'))
    .map((line) => JSON.parse(line))
}

/** Checks that a stopped member exited cleanly and that the lake holds each of the topic's `total` offsets once (the stop flushed the rest). */
async function exitedWithEveryOffsetOnce(child: ReturnType<typeof startCli>, lake: string, total: number): Promise<void> {
  assert.equal(await exited(child), 0, child.output())
  const { rows, deadLetters } = await lakePositions(lake)
  assert.deepEqual(duplicates([...rows, ...deadLetters]), [])
  assert.equal(rows.length + deadLetters.length, total, 'every offset is in the lake')
}

/** Each partition's message sizes, in offset order. */
async function sizesByPartition(...[kafka, topic, total]: Parameters<typeof readMessages>) {
  const sizes = new Map<number, number[]>()
  const messages = (await readMessages(kafka, topic, total!)).sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset))
  for (const message of messages) sizes.set(message.partition, [...(sizes.get(message.partition) ?? []), message.value?.length ?? 0])
  return sizes
}

test('--flush-bytes flushes a partition exactly when its buffered message bytes reach the limit', async () => {
  const { kafka, lake, topic, group, total } = await producedTopic('flush-bytes', 2_000, 1)
  const sizes = (await sizesByPartition(kafka, topic, total)).get(0)!
  const flushBytes = 32 * 1024
  // Where the flushes must fall: after the message that brings the buffer to flushBytes or more.
  const expected: string[] = []
  let buffered = 0
  sizes.forEach((size, offset) => {
    buffered += size
    if (buffered >= flushBytes) (expected.push(String(offset + 1)), (buffered = 0))
  })
  assert.ok(expected.length >= 5, `the topic holds several flushes' worth (${expected.length})`)
  const child = startCli(['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-bytes', String(flushBytes), ...NEVER], { LOG_LEVEL: 'debug' })
  try {
    await waitFor(() => flushes(child.output()).length >= expected.length, 60_000, `${expected.length} flushes by bytes`)
    assert.deepEqual(flushes(child.output()).map((flush) => flush.next), expected, 'each flush ends where the bytes reached the limit')
  } finally {
    child.kill('SIGTERM')
  }
  await exitedWithEveryOffsetOnce(child, lake, total)
})

test('the memory cap flushes when the partitions together pass 4 x --flush-bytes, though none reaches it alone', async () => {
  const { kafka, lake, topic, group, total } = await producedTopic('flush-cap', 4_000, 8)
  const bytes = [...(await sizesByPartition(kafka, topic, total)).values()].map((sizes) => sizes.reduce((a, b) => a + b, 0))
  const all = bytes.reduce((a, b) => a + b, 0)
  // No partition alone reaches flushBytes, but together they pass the cap of 4 x flushBytes.
  const flushBytes = Math.floor(all / 5)
  assert.ok(Math.max(...bytes) < flushBytes, `no partition reaches --flush-bytes by itself (${bytes} against ${flushBytes})`)
  const child = startCli(['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-bytes', String(flushBytes), ...NEVER], { LOG_LEVEL: 'debug' })
  try {
    await waitFor(() => flushes(child.output()).length > 0, 60_000, 'a flush by the memory cap')
    const [first] = flushes(child.output())
    assert.ok(first.rows + first.letters > 0)
  } finally {
    child.kill('SIGTERM')
  }
  await exitedWithEveryOffsetOnce(child, lake, total)
})

test('--idle-ms flushes the partitions that got no new record for that long: the end of a burst lands without waiting for --flush-ms', async () => {
  const { kafka, lake, topic, group, ends, total } = await producedTopic('flush-idle', 600, 3)
  const never = ['--flush-rows', '1000000', '--flush-ms', '600000']
  const child = startCli(['ingest', '--topic', topic, '--group', group, '--lake', lake, ...never, '--idle-ms', '500'], { LOG_LEVEL: 'debug' })
  try {
    await waitFor(() => caughtUp(kafka, group, topic, ends), 60_000, `group ${group} to commit ${topic} to its end before any stop`)
    const flushed = flushes(child.output())
    assert.deepEqual([...new Set(flushed.map((flush) => flush.partition))].sort(), [0, 1, 2], 'every partition was flushed')
    assert.equal(flushed.reduce((sum, flush) => sum + flush.rows + flush.letters, 0), total, 'the idle flushes hold the whole topic')
  } finally {
    child.kill('SIGTERM')
  }
  await exitedWithEveryOffsetOnce(child, lake, total)
})

test('a backlog read to its end is flushed at once: it waits for no idleness', async () => {
  const { kafka, lake, topic, group, ends, total } = await producedTopic('flush-drain', 20_000, 1)
  // One record batch per fetch (the produce sends 1,000 rows a batch): the backlog takes 20 fetches,
  // longer than --idle-ms, which is what makes it a backlog.
  const args = ['--flush-rows', '1000000', '--flush-ms', '600000', '--idle-ms', '50', '--fetch-max-bytes', '1024']
  const child = startCli(['ingest', '--topic', topic, '--group', group, '--lake', lake, ...args], { LOG_LEVEL: 'debug' })
  try {
    await waitFor(() => caughtUp(kafka, group, topic, ends), 60_000, `group ${group} to commit ${topic} to its end`)
    const drained = child.output().split('\n').filter((line) => line.includes('"backlog read to its end: flushing at once"'))
    assert.deepEqual(drained.map((line) => JSON.parse(line).next), [String(ends.get(0))], 'the fetch that reached the end sealed the flush')
    assert.equal(flushes(child.output()).reduce((sum, flush) => sum + flush.rows + flush.letters, 0), total)
  } finally {
    child.kill('SIGTERM')
  }
  await exitedWithEveryOffsetOnce(child, lake, total)
})
