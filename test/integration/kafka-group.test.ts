import assert from 'node:assert/strict'
import { test } from 'node:test'
import { caughtUp, duplicates, exited, lakePositions, producedTopic, startCli, waitFor } from './kafka-harness.ts'

test('two ingest instances in one group split the partitions and together write everything once', async () => {
  const { kafka, lake, topic, group, ends, total } = await producedTopic('group', 12_000, 4)

  const args = ['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-rows', '200', '--flush-ms', '300']
  const first = startCli(args, { LOG_LEVEL: 'info' })
  // The second joins while the first is mid-way: a rebalance moves partitions from one to the other.
  await waitFor(() => first.output().includes('partitions assigned'), 30_000, 'the first instance to join')
  const second = startCli(args, { LOG_LEVEL: 'info' })
  await waitFor(() => caughtUp(kafka, group, topic, ends), 120_000, `group ${group} to commit ${topic} to its end`)
  first.kill('SIGTERM')
  second.kill('SIGTERM')
  assert.equal(await exited(first), 0, first.output())
  assert.equal(await exited(second), 0, second.output())

  const owned = (output: string) => {
    const assignments = output.split('\n').filter((line) => line.includes('partitions assigned')).map((line) => JSON.parse(line).partitions as number[])
    return assignments.at(-1) ?? []
  }
  const [a, b] = [owned(first.output()), owned(second.output())]
  assert.ok(a.length > 0 && b.length > 0, `both instances own partitions after the rebalance (${a} / ${b})`)
  assert.deepEqual([...a, ...b].sort(), [0, 1, 2, 3], 'the partitions are split, none shared')

  const { rows, deadLetters } = await lakePositions(lake)
  assert.deepEqual(duplicates([...rows, ...deadLetters]), [], 'no offset is in the lake twice')
  assert.equal(rows.length + deadLetters.length, total, 'every offset is in the lake')
  const written = (output: string) => Number(/ingested \d+ messages: (\d+) written/.exec(output)?.[1] ?? 0)
  assert.ok(written(first.output()) > 0 && written(second.output()) > 0, 'both instances wrote records')
})
