import { describe, test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compactPartition, liveDataFiles, readManifests } from '../../src/lake/compaction.ts'
import { FsStore } from '../../src/lake/fs-store.ts'
import type { ObjectStore } from '../../src/lake/object-store.ts'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { writeBatch } from '../../src/sinks/lake-files.ts'
import { makeRecord } from '../fixtures/incident-records.ts'
import { testStore } from './s3-harness.ts'

const MARCH = { year: 2017, month: 3 }

/** Five small files in March 2017 (ten rows each), as a streaming ingest writes them. */
async function smallFiles(store: ObjectStore) {
  const records = Array.from({ length: 50 }, (_, i) =>
    makeRecord({ incident_id: `T-${i}`, incident_date: `2017-03-${String((i % 28) + 1).padStart(2, '0')}`, source_row: i + 2 }),
  )
  for (let i = 0; i < 5; i++) {
    const batch = records.slice(i * 10, i * 10 + 10).map((record, j) => ({ record, position: BigInt(i * 10 + j) }))
    await writeBatch(store, 'stream', batch)
  }
}

async function rowsOf(store: ObjectStore, cacheDir: string) {
  const lake = await openLakeQuery(store.url, { cacheDir })
  try {
    return await lake.query('SELECT incident_id, incident_date, source_row, ingested_at, biases FROM incidents ORDER BY incident_id')
  } finally {
    await lake.close()
  }
}

function suite(name: string, open: () => ObjectStore) {
  describe(`compaction on the ${name} store`, () => {
    const store = open()
    after(() => store.close())

    test('merges a partition into one file with the same rows and content', async () => {
      await smallFiles(store)
      const cache = mkdtempSync(join(tmpdir(), 'hc-compact-cache-'))
      const before = await rowsOf(store, cache)
      const result = await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0 })
      assert.equal(result.replaced, 5)
      assert.equal(result.rows, 50)
      const files = (await store.list('incidents/')).map((info) => info.key)
      assert.deepEqual(files, [result.merged])
      assert.deepEqual(await rowsOf(store, cache), before)
    })

    test('two compactions of the same files at once: one merges, the other stands back', async () => {
      const results = await Promise.all([1, 2].map(() => compactPartition(store, MARCH, { graceMs: 0, settleMs: 200 })))
      assert.deepEqual(results.map((r) => r.replaced).sort(), [0, 0], 'one merged file alone is not compacted again')
      await smallFiles(store)
      const racing = await Promise.all([1, 2].map(() => compactPartition(store, MARCH, { graceMs: 0, settleMs: 200 })))
      assert.deepEqual(racing.map((r) => r.rows).sort((a, b) => a - b), [0, 100])
      assert.equal((await store.list('incidents/')).length, 1)
    })

    test('files younger than the grace period are left alone', async () => {
      await smallFiles(store)
      const result = await compactPartition(store, MARCH, { settleMs: 0, graceMs: 60_000 })
      assert.equal(result.merged, undefined)
    })
  })
}

suite('folder', () => new FsStore(mkdtempSync(join(tmpdir(), 'hc-compact-'))))
suite('S3', () => testStore('compact'))

test('a manifest left by a crashed run is finished by the next run', async () => {
  const store = new FsStore(mkdtempSync(join(tmpdir(), 'hc-compact-crash-')))
  await smallFiles(store)
  const small = (await store.list('incidents/')).map((info) => info.key)
  const merged = 'incidents/year=2017/month=03/compacted-feed.parquet'
  await store.put(merged, await store.get(small[0]))
  await store.put('incidents/year=2017/month=03/_compaction-feed.json', new TextEncoder().encode(JSON.stringify({ merged, replaced: small.slice(0, 1) })))
  const later = Date.now() + 11 * 60_000
  await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0, now: later, minFiles: 99 })
  const keys = (await store.list('incidents/')).map((info) => info.key)
  assert.ok(!keys.includes(small[0]), 'the replaced file is deleted')
  assert.ok(!keys.some((key) => key.endsWith('.json')), 'the manifest is gone')
  assert.equal(keys.length, 5)
})

test('readers never see rows missing or doubled at any step of a compaction', async () => {
  const store = new FsStore(mkdtempSync(join(tmpdir(), 'hc-compact-steps-')))
  await smallFiles(store)
  const small = await store.list('incidents/')
  const merged = 'incidents/year=2017/month=03/compacted-0000.parquet'
  const manifest = { merged, replaced: small.map((info) => info.key) }
  assert.equal(liveDataFiles(small, [manifest]).length, 5, 'manifest written, merged file not yet: read the small files')
  const withMerged = [...small, { key: merged, size: 1, etag: 'x', modified: new Date() }]
  assert.deepEqual(liveDataFiles(withMerged, [manifest]).map((info) => info.key), [merged], 'merged file written: only it')
  assert.deepEqual(liveDataFiles(withMerged.slice(3), [manifest]).map((info) => info.key), [merged], 'half the small files deleted')
  assert.deepEqual(liveDataFiles(withMerged, []).length, 6, 'without a manifest nothing is hidden')
  await store.put('incidents/year=2017/month=03/_compaction-ab12.json', new TextEncoder().encode(JSON.stringify(manifest)))
  assert.deepEqual(await readManifests(store, await store.list('incidents/')), [manifest])
})
