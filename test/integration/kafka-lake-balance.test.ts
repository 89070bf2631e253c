import assert from 'node:assert/strict'
import { mkdirSync, utimesSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { pino } from 'pino'
import { HatecrimesError } from '../../src/core/errors.ts'
import { FsStore } from '../../src/lake/fs-store.ts'
import type { ObjectInfo, PutOptions } from '../../src/lake/object-store.ts'
import { ingest } from '../../src/pipelines/ingest.ts'
import { topicEnds } from '../../src/pipelines/ingest-streaming.ts'
import { committedOffsets, duplicates, lakePositions, messageCount, producedTopic, runCli, writeFixtureCsv } from './kafka-harness.ts'

/** A folder store that notes every listing, and can lose the Parquet writes after the first `keep`. */
class WatchedStore extends FsStore {
  readonly listed: string[] = []
  keep = Infinity

  override async put(key: string, body: Uint8Array, options?: PutOptions): Promise<void> {
    if (key.endsWith('.parquet') && this.keep-- <= 0) return
    await super.put(key, body, options)
  }

  override async list(prefix: string): Promise<ObjectInfo[]> {
    this.listed.push(prefix)
    return super.list(prefix)
  }
}

const quiet = pino({ level: 'warn' })

test('the Kafka ingest removes temporary files of killed writes on start, and only old ones', async () => {
  const { kafka, lake, topic, group, ends, total } = await producedTopic('leftovers', 300, 2)
  const folder = join(lake, 'incidents', 'source=austin_apd', 'year=2019', 'month=01')
  mkdirSync(folder, { recursive: true })
  const [old, live] = [join(folder, '.tmp-0a1b2c3d4e5f'), join(folder, '.tmp-live00000000')]
  writeFileSync(old, 'half a Parquet file')
  writeFileSync(live, 'a write under way')
  const hourAgo = new Date(Date.now() - 3_600_000)
  utimesSync(old, hourAgo, hourAgo)
  await ingest({ kafka, topic, group, lake, flushMs: 300, endOffsets: ends, log: quiet })
  assert.equal(existsSync(old), false, 'the leftover of a killed write is gone')
  assert.equal(existsSync(live), true, 'a temporary file seconds old may be a live write of another member')
  const { rows, deadLetters } = await lakePositions(lake)
  assert.equal(rows.length + deadLetters.length, total)
})

test('a flush whose files do not hold its records stops the ingest with BALANCE_BROKEN and is not committed', async () => {
  const { kafka, lake, topic, group, ends } = await producedTopic('balance', 2_000, 1)
  const store = new WatchedStore(lake)
  store.keep = 3
  const stopped = await ingest({ kafka, topic, group, lake: store, flushRows: 500, flushMs: 60_000, endOffsets: ends, log: quiet }).then(
    () => undefined,
    (error: unknown) => error,
  )
  assert.ok(stopped instanceof HatecrimesError && stopped.code === 'BALANCE_BROKEN', `BALANCE_BROKEN (got ${String(stopped)})`)
  const committed = (await committedOffsets(kafka, group, topic, [0])).get(0)!
  assert.ok(committed < ends.get(0)!, `the broken flush is not committed (committed ${committed} of ${ends.get(0)})`)
  // What was committed is whole: the next member resumes there and writes the rest once.
  await ingest({ kafka, topic, group, lake, flushMs: 300, endOffsets: ends, log: quiet })
  const { rows, deadLetters } = await lakePositions(lake)
  assert.deepEqual(duplicates([...rows, ...deadLetters]), [])
  assert.equal(rows.length + deadLetters.length, Number(ends.get(0)))
})

test('the ingest cleans up after earlier generations only: the whole lake once at its assignment, then its partitions\' files in the folders it wrote', async () => {
  const { kafka, dir, lake, topic, group, ends: half } = await producedTopic('listing', 1_500, 3)
  const cleanUp = (prefixes: string[]) => prefixes.filter((prefix) => prefix === 'incidents/' || prefix === 'dead_letters/' || prefix.endsWith('-g'))
  // The group's first generation: no earlier one can have left files, so nothing is listed for them.
  const first = new WatchedStore(lake)
  const before = await ingest({ kafka, topic, group, lake: first, flushRows: 200, flushMs: 300, endOffsets: half, log: quiet })
  assert.deepEqual(cleanUp(first.listed), [], 'nothing listed in generation 1')
  // The rest of the topic comes after, for the next generation.
  const more = await runCli(['produce', '--input', writeFixtureCsv(join(dir, 'more.csv'), 1_500), '--topic', topic, '--no-progress'])
  assert.equal(more.code, 0, more.output)
  const ends = await topicEnds(kafka, topic)
  const total = messageCount(ends)
  const store = new WatchedStore(lake)
  const summary = await ingest({ kafka, topic, group, lake: store, flushRows: 200, flushMs: 300, endOffsets: ends, log: quiet })
  assert.equal(before.written + before.deadLettered + summary.written + summary.deadLettered, total)
  assert.ok(summary.written > 0, 'the second generation had records of its own to flush')
  const whole = store.listed.filter((prefix) => prefix === 'incidents/' || prefix === 'dead_letters/')
  assert.deepEqual(whole, ['incidents/', 'dead_letters/'], 'the lake is listed once, at the assignment')
  const bounded = store.listed.filter((prefix) => /^incidents\/source=[^/]+\/year=\d+\/month=\d+\/.+-p\d-g$/.test(prefix))
  assert.ok(bounded.length > 0, `the clean-up before commits looked in the folders written (${store.listed.slice(0, 5).join(' ')})`)
})
