import assert from 'node:assert/strict'
import { existsSync, readdirSync } from 'node:fs'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { pino } from 'pino'
import { ingest } from '../../src/pipelines/ingest.ts'
import { dataFileRange } from '../../src/lake/partitions.ts'
import { kafkaStreamOf } from '../../src/lake/partitions.ts'
import { caughtUp, committedOffsets, duplicates, exited, lakePositions, producedTopic, runIngestUntil, startCli, waitFor } from './kafka-harness.ts'

/** Files in the lake past their partition's committed offset: written by a flush whose commit has not happened. */
function uncommittedFiles(lake: string, committed: Map<number, bigint>): string[] {
  const files = existsSync(lake) ? readdirSync(lake, { recursive: true, encoding: 'utf8' }) : []
  return files.filter((file) => {
    const range = dataFileRange(file)
    const stream = range && kafkaStreamOf(range.stream)
    return stream !== undefined && range!.first >= (committed.get(stream.partition) ?? -1n)
  })
}

test('kill -9 of the ingest in mid-run, until a kill lands between a file write and its commit: every record ends in the lake exactly once', async () => {
  const { kafka, lake, topic, group, ends, total } = await producedTopic('kill', 40_000, 3)
  const partitions = [...ends.keys()]
  const progress: number[] = []
  let betweenWriteAndCommit = 0
  for (let kill = 1; kill <= 12 && (kill <= 3 || betweenWriteAndCommit === 0); kill++) {
    const before = sum(await committedOffsets(kafka, group, topic, partitions))
    // Small flushes, so writes and commits follow each other closely all through the run.
    const child = startCli(['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-rows', '150', '--flush-ms', '200'])
    await waitFor(async () => sum(await committedOffsets(kafka, group, topic, partitions)) > before, 60_000, `run ${kill} to commit`)
    // Kill as soon as a file past the commit just read appears: its flush is most likely still
    // between writing and committing. Whether it was is checked below, after the kill.
    const seen = await committedOffsets(kafka, group, topic, partitions)
    const until = Date.now() + 2_000
    while (Date.now() < until && !uncommittedFiles(lake, seen).length) await new Promise((resolve) => setTimeout(resolve, 5))
    child.kill('SIGKILL')
    assert.equal(await exited(child), 'SIGKILL')
    const committed = await committedOffsets(kafka, group, topic, partitions)
    if (uncommittedFiles(lake, committed).length) betweenWriteAndCommit++
    progress.push(sum(committed))
  }
  assert.ok(betweenWriteAndCommit > 0, 'at least one kill left files written but not committed')
  assert.ok(progress[0] < total, `the first run was killed before the end (${progress[0]} of ${total} committed)`)
  assert.equal(await caughtUp(kafka, group, topic, ends), progress.at(-1)! >= total)

  const last = await runIngestUntil(kafka, topic, group, lake, ends)
  assert.equal(last.code, 0, last.output)
  assert.deepEqual(uncommittedFiles(lake, await committedOffsets(kafka, group, topic, partitions)), [], 'the restart removed every uncommitted file')
  const { rows, deadLetters } = await lakePositions(lake)
  assert.deepEqual(duplicates([...rows, ...deadLetters]), [], 'no offset is in the lake twice')
  assert.equal(rows.length + deadLetters.length, total, 'every offset is in the lake')
})

test('a partition that has lag and makes no progress is logged, counted and resumed from its commit; every record still lands once', async () => {
  const { kafka, lake, topic, group, ends, total } = await producedTopic('stall', 30_000, 3)
  const warnings: string[] = []
  const log = pino({ level: 'warn' }, new Writable({ write: (line, _encoding, done) => (warnings.push(String(line)), done()) }))
  // Every look at the lag (each 100 ms) finds the partitions still being read "stalled" (no progress for 1 ms):
  // each is resumed from its commit, what it had taken and not committed dropped, many times over.
  const summary = await ingest({ kafka, topic, group, lake, flushRows: 500, flushMs: 100, stallMs: 1, lagEveryMs: 100, fetch: { maxBytes: 8192, partitionMaxBytes: 2048 }, endOffsets: ends, log })
  assert.ok(summary.stalls > 0, 'stalls were found')
  assert.ok(warnings.some((line) => line.includes('no progress')), `the stalls were logged (${warnings.slice(0, 2).join(' ')})`)
  const { rows, deadLetters } = await lakePositions(lake)
  assert.deepEqual(duplicates([...rows, ...deadLetters]), [], 'no offset is in the lake twice')
  assert.equal(rows.length + deadLetters.length, total, 'every offset is in the lake')
  assert.equal(summary.written + summary.deadLettered, total)
})

function sum(offsets: Map<number, bigint>): number {
  return [...offsets.values()].reduce((total, offset) => total + Math.max(0, Number(offset)), 0)
}
