import assert from 'node:assert/strict'
import { test } from 'node:test'
import { caughtUp, committedOffsets, duplicates, exited, lakePositions, producedTopic, runIngestUntil, startCli, waitFor } from './kafka-harness.ts'

test('kill -9 of the ingest in mid-run, three times: every record ends in the lake exactly once', async () => {
  const { kafka, lake, topic, group, ends, total } = await producedTopic('kill', 20_000, 3)

  const progress: number[] = []
  for (let kill = 1; kill <= 3; kill++) {
    const before = sum(await committedOffsets(kafka, group, topic, [...ends.keys()]))
    // Small flushes, so a kill lands between a file write and its commit now and then.
    const child = startCli(['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-rows', '150', '--flush-ms', '200'])
    await waitFor(async () => sum(await committedOffsets(kafka, group, topic, [...ends.keys()])) > before, 60_000, `run ${kill} to commit`)
    await new Promise((resolve) => setTimeout(resolve, 150 * kill))
    child.kill('SIGKILL')
    assert.equal(await exited(child), 'SIGKILL')
    progress.push(sum(await committedOffsets(kafka, group, topic, [...ends.keys()])))
  }
  assert.ok(progress[0] < total, `the first run was killed before the end (${progress[0]} of ${total} committed)`)
  assert.equal(await caughtUp(kafka, group, topic, ends), progress[2] >= total)

  const last = await runIngestUntil(kafka, topic, group, lake, ends)
  assert.equal(last.code, 0, last.output)
  const { rows, deadLetters } = await lakePositions(lake)
  assert.deepEqual(duplicates([...rows, ...deadLetters]), [], 'no offset is in the lake twice')
  assert.equal(rows.length + deadLetters.length, total, 'every offset is in the lake')
})

function sum(offsets: Map<number, bigint>): number {
  return [...offsets.values()].reduce((total, offset) => total + Math.max(0, Number(offset)), 0)
}
