import assert from 'node:assert/strict'
import { test } from 'node:test'
import { pino } from 'pino'
import { FsStore } from '../../src/lake/fs-store.ts'
import type { ObjectStore, PutOptions } from '../../src/lake/object-store.ts'
import { ingest } from '../../src/pipelines/ingest.ts'
import { caughtUp, committedOffsets, duplicates, lakePositions, producedTopic, waitFor } from './kafka-harness.ts'

/**
 * A folder store whose writes can be held: once `hold()` is called, the next write lands on disk
 * and then does not return until `release()`, like a member frozen half-way through a flush.
 */
class HeldStore extends FsStore implements ObjectStore {
  blocked = false
  private gate: Promise<void> | undefined
  private open: (() => void) | undefined

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve))
  }

  release(): void {
    this.open?.()
    this.gate = undefined
  }

  override async put(key: string, body: Uint8Array, options?: PutOptions): Promise<void> {
    await super.put(key, body, options)
    if (this.gate && key.endsWith('.parquet')) {
      this.blocked = true
      await this.gate
    }
  }
}

test('a member frozen mid-flush loses its partitions; its commit is fenced, its files undone, and every offset lands once', async () => {
  const { kafka, lake, topic, group, ends, total } = await producedTopic('fence', 6_000, 3)
  const quiet = pino({ level: 'warn' })
  const held = new HeldStore(lake)
  const stopA = new AbortController()
  const stopB = new AbortController()
  // The shortest rebalance timeout (it may not be below the session timeout): a member that cannot
  // rejoin in time, because its flush hangs, is removed from the group.
  const common = { kafka, topic, group, flushRows: 100, flushMs: 300, rebalanceTimeoutMs: 10_000, log: quiet }
  const a = ingest({ ...common, lake: held, signal: stopA.signal })
  let failed: unknown
  a.catch((error) => (failed = error))
  const committedByA = async () => {
    if (failed) throw failed
    return [...(await committedOffsets(kafka, group, topic, [0, 1, 2])).values()].some((o) => o > 0n)
  }
  await waitFor(committedByA, 60_000, 'A to commit')

  held.hold()
  await waitFor(() => held.blocked, 30_000, 'a write of A to hang')
  const before = await committedOffsets(kafka, group, topic, [0, 1, 2])
  const b = ingest({ ...common, lake, signal: stopB.signal })
  b.catch(() => undefined)
  // B takes every partition once A is out, cleans up after A and commits past where A stood.
  await waitFor(async () => {
    const now = await committedOffsets(kafka, group, topic, [0, 1, 2])
    return [...now].some(([p, offset]) => offset > (before.get(p) ?? -1n))
  }, 60_000, 'B to commit past A')
  assert.equal(failed, undefined)
  held.release()
  await waitFor(() => caughtUp(kafka, group, topic, ends), 120_000, `group ${group} to commit ${topic} to its end`)
  stopA.abort()
  stopB.abort()
  const [summaryA, summaryB] = await Promise.all([a, b])

  assert.ok(summaryA.fencedFlushes >= 1, `A's frozen flush was fenced (${summaryA.fencedFlushes})`)
  assert.ok(summaryB.written > 0, 'B wrote records')
  const { rows, deadLetters } = await lakePositions(lake)
  assert.deepEqual(duplicates([...rows, ...deadLetters]), [], 'no offset is in the lake twice')
  assert.equal(new Set([...rows, ...deadLetters]).size, total, 'every offset is in the lake')
})
