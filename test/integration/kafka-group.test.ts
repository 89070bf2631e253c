import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { topicEnds } from '../../src/pipelines/ingest-streaming.ts'
import { caughtUp, duplicates, exited, lakePositions, messageCount, producedTopic, runCli, startCli, waitFor, writeFixtureCsv } from './kafka-harness.ts'

/** The partitions of the last 'partitions assigned' line in a member's log. */
function owned(output: string): number[] {
  const assignments = output.split('\n').filter((line) => line.includes('partitions assigned')).map((line) => JSON.parse(line).partitions as number[])
  return assignments.at(-1) ?? []
}

test('two ingest instances in one group split the partitions and together write everything once', async () => {
  const { kafka, dir, lake, topic, group } = await producedTopic('group', 6_000, 4)
  const args = ['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-rows', '200', '--flush-ms', '300']
  const first = startCli(args, { LOG_LEVEL: 'info' })
  await waitFor(() => owned(first.output()).length === 4, 30_000, 'the first instance to own every partition')
  // The second joins after the first has started: a rebalance moves partitions from one to the other.
  const second = startCli(args, { LOG_LEVEL: 'info' })
  await waitFor(() => owned(second.output()).length > 0 && owned(first.output()).length < 4, 60_000, 'the rebalance to split the partitions')
  // Rows produced after the split land on both.
  const more = writeFixtureCsv(join(dir, 'more.csv'), 6_000)
  const produced = await runCli(['produce', '--input', more, '--topic', topic, '--no-progress'])
  assert.equal(produced.code, 0, produced.output)
  const ends = await topicEnds(kafka, topic)
  const total = messageCount(ends)
  await waitFor(() => caughtUp(kafka, group, topic, ends), 120_000, `group ${group} to commit ${topic} to its end`)
  // Taken while both run: the one stopped last may get every partition back before it stops.
  const [a, b] = [owned(first.output()), owned(second.output())]
  first.kill('SIGTERM')
  second.kill('SIGTERM')
  assert.equal(await exited(first), 0, first.output())
  assert.equal(await exited(second), 0, second.output())

  assert.deepEqual([...a, ...b].sort(), [0, 1, 2, 3], `the partitions are split, none shared (${a} / ${b})`)
  const { rows, deadLetters } = await lakePositions(lake)
  assert.deepEqual(duplicates([...rows, ...deadLetters]), [], 'no offset is in the lake twice')
  assert.equal(rows.length + deadLetters.length, total, 'every offset is in the lake')
  const written = (output: string) => Number(/ingested \d+ messages: (\d+) written/.exec(output)?.[1] ?? 0)
  assert.ok(written(first.output()) > 0 && written(second.output()) > 0, 'both instances wrote records')
})
