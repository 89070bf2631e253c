import { describe, test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compactPartition } from '../../src/lake/compaction.ts'
import { isManifest, liveDataFiles, manifestBytes, readManifests, type Manifest } from '../../src/lake/compaction-manifest.ts'
import { FsStore } from '../../src/lake/fs-store.ts'
import type { ObjectStore } from '../../src/lake/object-store.ts'
import { writeBatch } from '../../src/sinks/lake-files.ts'
import { removeUncommitted } from '../../src/sinks/kafka-uncommitted.ts'
import { makeRecord } from '../fixtures/incident-records.ts'
import { MARCH, rowsOf, smallFiles } from './compaction-harness.ts'
import { testStore } from './s3-harness.ts'

const FOLDER = 'incidents/source=test/year=2017/month=03/'
const COUNT = 'SELECT count(*) AS n, count(DISTINCT incident_id) AS ids FROM incidents'
const cache = () => mkdtempSync(join(tmpdir(), 'hc-compact-crash-cache-'))
const keysOf = async (store: ObjectStore) => (await store.list(FOLDER)).map((info) => info.key)
const counted = async (store: ObjectStore) => (await rowsOf(store, cache(), COUNT)).map((row) => [Number(row.n), Number(row.ids)])[0]

/** The state a run leaves when it dies after writing the merged file (step 4), before any delete. */
async function diedAfterMerging(store: ObjectStore): Promise<Manifest> {
  await smallFiles(store)
  const replaced = await keysOf(store)
  const records = Array.from({ length: 50 }, (_, i) =>
    makeRecord({ incident_id: `T-${i}`, incident_date: `2017-03-${String((i % 28) + 1).padStart(2, '0')}`, source_row: i + 2 }),
  )
  const merged = (await writeBatch(store, 'stream', records.map((record, i) => ({ record, position: BigInt(i) })))).key
  const manifest = { merged, replaced }
  await store.put(`${FOLDER}_compaction-dead.json`, manifestBytes(manifest))
  return manifest
}

function suite(name: string, open: () => ObjectStore) {
  describe(`compaction crashes and races on the ${name} store`, () => {
    const stores: ObjectStore[] = []
    const fresh = () => stores[stores.push(open()) - 1]
    after(() => Promise.all(stores.map((store) => store.close())))

    test('files of a run that died are not merged again under another name while its manifest stands', async () => {
      const store = fresh()
      const dead = await diedAfterMerging(store)
      await smallFiles(store, 50)
      assert.deepEqual(await counted(store), [100, 100], 'before: the dead run\'s merged file hides its small files')
      const result = await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0 })
      assert.equal(result.replaced, 5, 'only the five new files were free to merge')
      const kept = await keysOf(store)
      assert.ok([dead.merged, ...dead.replaced].every((key) => kept.includes(key)), 'the dead run\'s files are left as they were')
      assert.deepEqual(await counted(store), [100, 100], 'after the second run')
      await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0, now: Date.now() + 11 * 60_000 })
      assert.deepEqual(await keysOf(store), [`${FOLDER}stream-000000000000000-000000000000099.parquet`], 'ten minutes on: finished, then merged whole')
      assert.deepEqual(await counted(store), [100, 100], 'at the end')
    })

    test('a manifest without its merged file is dropped after ten minutes, and its files merged', async () => {
      const store = fresh()
      await smallFiles(store)
      const replaced = await keysOf(store)
      await store.put(`${FOLDER}_compaction-feed.json`, manifestBytes({ merged: `${FOLDER}compacted-feed.parquet`, replaced }))
      assert.deepEqual((await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0 })).replaced, 0, 'held while it may be at work')
      const later = await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0, now: Date.now() + 11 * 60_000 })
      assert.equal(later.replaced, 5)
      assert.ok(!(await keysOf(store)).some(isManifest))
      assert.deepEqual(await counted(store), [50, 50])
    })

    test('a run that finds another run\'s manifest on its files after writing its own stands back', async () => {
      const store = fresh()
      await smallFiles(store)
      const small = await keysOf(store)
      const rival = { merged: `${FOLDER}compacted-beef.parquet`, replaced: small.slice(3) }
      const put = store.put.bind(store)
      // The other run listed before our manifest existed, and its manifest lands just before ours.
      store.put = async (key, body, options) => {
        if (isManifest(key) && !(await keysOf(store)).some(isManifest)) await put(`${FOLDER}_compaction-beef.json`, manifestBytes(rival))
        return put(key, body, options)
      }
      const result = await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0 })
      assert.deepEqual(result.merged, [])
      assert.deepEqual(await readManifests(store, await store.list(FOLDER)), [rival], 'our manifest is gone, the rival\'s stays')
      assert.deepEqual((await keysOf(store)).filter((key) => key.endsWith('.parquet')), small)
      assert.deepEqual(await counted(store), [50, 50])
    })

    test('the newest file of a Kafka stream is never merged, so the ingest can still remove it if uncommitted', async () => {
      const store = fresh()
      await smallFiles(store, 0, 'incidents-p0-g1')
      const result = await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0 })
      assert.deepEqual(result.merged, [`${FOLDER}incidents-p0-g1-000000000000000-000000000000039.parquet`])
      // The ingest comes back with offset 40 committed: the last flush (40-49) never was.
      const removed = await removeUncommitted(store, 'incidents', new Map([[0, 40n]]), 2)
      assert.deepEqual(removed, [`${FOLDER}incidents-p0-g1-000000000000040-000000000000049.parquet`])
      assert.deepEqual(await counted(store), [40, 40])
    })
  })
}

suite('folder', () => new FsStore(mkdtempSync(join(tmpdir(), 'hc-compact-crash-'))))
suite('S3', () => testStore('compact-crash'))

test('readers never see rows missing or doubled at any step of a compaction', async () => {
  const store = new FsStore(mkdtempSync(join(tmpdir(), 'hc-compact-steps-')))
  await smallFiles(store)
  const small = await store.list('incidents/')
  const merged = `${FOLDER}compacted-0000.parquet`
  const manifest = { merged, replaced: small.map((info) => info.key) }
  assert.equal(liveDataFiles(small, [manifest]).length, 5, 'manifest written, merged file not yet: read the small files')
  const withMerged = [...small, { key: merged, size: 1, etag: 'x', modified: new Date() }]
  assert.deepEqual(liveDataFiles(withMerged, [manifest]).map((info) => info.key), [merged], 'merged file written: only it')
  assert.deepEqual(liveDataFiles(withMerged.slice(3), [manifest]).map((info) => info.key), [merged], 'half the small files deleted')
  assert.deepEqual(liveDataFiles(withMerged, []).length, 6, 'without a manifest nothing is hidden')
  await store.put(`${FOLDER}_compaction-ab12.json`, manifestBytes(manifest))
  assert.deepEqual(await readManifests(store, await store.list('incidents/')), [manifest])
})
