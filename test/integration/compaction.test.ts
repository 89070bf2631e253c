import { describe, test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compactPartition, lakePartitions, liveDataFiles, readManifests } from '../../src/lake/compaction.ts'
import { FsStore } from '../../src/lake/fs-store.ts'
import type { ObjectStore } from '../../src/lake/object-store.ts'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { writeBatch } from '../../src/sinks/lake-files.ts'
import { makeRecord } from '../fixtures/incident-records.ts'
import { tempDir, writeFixtureCsv } from './kafka-harness.ts'
import { testStore } from './s3-harness.ts'

const MARCH = { year: 2017, month: 3 }

/** Five small files in March 2017 (ten rows each, positions from `from`), as a streaming ingest writes them. */
async function smallFiles(store: ObjectStore, from = 0) {
  const records = Array.from({ length: 50 }, (_, i) =>
    makeRecord({ incident_id: `T-${from + i}`, incident_date: `2017-03-${String((i % 28) + 1).padStart(2, '0')}`, source_row: from + i + 2 }),
  )
  for (let i = 0; i < 5; i++) {
    const batch = records.slice(i * 10, i * 10 + 10).map((record, j) => ({ record, position: BigInt(from + i * 10 + j) }))
    await writeBatch(store, 'stream', batch)
  }
}

async function rowsOf(store: ObjectStore, cacheDir: string, sql = 'SELECT incident_id, incident_date, source_row, ingested_at, biases FROM incidents ORDER BY incident_id') {
  const lake = await openLakeQuery(store.url, { cacheDir })
  try {
    return await lake.query(sql)
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
      assert.deepEqual(files, ['incidents/year=2017/month=03/stream-000000000000000-000000000000049.parquet'])
      assert.deepEqual(result.merged, files)
      assert.deepEqual(await rowsOf(store, cache), before)
    })

    test('two compactions of the same files at once: one merges, the other stands back', async () => {
      const results = await Promise.all([1, 2].map(() => compactPartition(store, MARCH, { graceMs: 0, settleMs: 200 })))
      assert.deepEqual(results.map((r) => r.replaced).sort(), [0, 0], 'one merged file alone is not compacted again')
      await smallFiles(store, 50)
      const racing = await Promise.all([1, 2].map(() => compactPartition(store, MARCH, { graceMs: 0, settleMs: 200 })))
      assert.deepEqual(racing.map((r) => r.rows).sort((a, b) => a - b), [0, 100])
      assert.equal((await store.list('incidents/')).length, 1)
    })

    test('files younger than the grace period are left alone', async () => {
      await smallFiles(store, 100)
      const result = await compactPartition(store, MARCH, { settleMs: 0, graceMs: 60_000 })
      assert.deepEqual(result.merged, [])
    })

    test('readers see every row once, in either shape, while a compaction runs', async () => {
      const lake = open()
      await smallFiles(lake)
      const reader = await openLakeQuery(lake.url, { cacheDir: mkdtempSync(join(tmpdir(), 'hc-compact-read-')) })
      const shapes = new Set<number>()
      let done = false
      const compaction = compactPartition(lake, MARCH, { graceMs: 0, settleMs: 300 }).finally(() => (done = true))
      try {
        while (!done) {
          await reader.refresh()
          const [row] = await reader.query('SELECT count(*) AS n, count(DISTINCT incident_id) AS ids FROM incidents')
          assert.deepEqual([Number(row.n), Number(row.ids)], [50, 50], `rows seen with ${reader.files().data.length} files`)
          shapes.add(reader.files().data.length)
        }
        assert.equal((await compaction).rows, 50)
        await reader.refresh()
        assert.deepEqual(reader.files().data.length, 1)
        assert.ok(shapes.has(5), `a reader read the small files before the merge (saw ${[...shapes]})`)
      } finally {
        await reader.close()
        await lake.close()
      }
    })

    test('a rerun of the same input after a compaction holds every row once', async () => {
      const lake = open()
      const input = writeFixtureCsv(join(tempDir('compact-rerun'), 'incidents.csv'), 240)
      const first = await runInProcess({ input, lake: lake.url, fileRows: 2 })
      let merged = 0
      for (const partition of await lakePartitions(lake)) merged += (await compactPartition(lake, partition, { graceMs: 0, settleMs: 0 })).merged.length
      assert.ok(merged > 0, 'the run wrote several files per partition, and they were merged')
      await runInProcess({ input, lake: lake.url, fileRows: 2 })
      const [row] = await rowsOf(lake, mkdtempSync(join(tmpdir(), 'hc-compact-rerun-')), 'SELECT count(*) AS n, count(DISTINCT source_row) AS sources FROM incidents')
      assert.deepEqual([Number(row.n), Number(row.sources)], [first.written, first.written])
      await lake.close()
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
