import { describe, test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compactPartition, lakePartitions } from '../../src/lake/compaction.ts'
import { FsStore } from '../../src/lake/fs-store.ts'
import type { ObjectStore } from '../../src/lake/object-store.ts'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { MARCH, rowsOf, smallFiles } from './compaction-harness.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { tempDir, writeFixtureCsv } from './kafka-harness.ts'
import { testStore } from './s3-harness.ts'

function suite(name: string, open: () => ObjectStore) {
  describe(`compaction on the ${name} store`, () => {
    // Each test has a lake of its own, so that each runs alone (--test-name-pattern) as in the suite.
    const stores: ObjectStore[] = []
    const fresh = () => stores[stores.push(open()) - 1]
    after(() => Promise.all(stores.map((store) => store.close())))

    test('merges a partition into one file with the same rows and content', async () => {
      const store = fresh()
      await smallFiles(store)
      const cache = mkdtempSync(join(tmpdir(), 'hc-compact-cache-'))
      const before = await rowsOf(store, cache)
      const result = await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0 })
      assert.equal(result.replaced, 5)
      assert.equal(result.rows, 50)
      const files = (await store.list('incidents/')).map((info) => info.key)
      assert.deepEqual(files, ['incidents/source=test/year=2017/month=03/stream-000000000000000-000000000000049.parquet'])
      assert.deepEqual(result.merged, files)
      assert.deepEqual(await rowsOf(store, cache), before)
    })

    test('two compactions of the same files at once: one merges, the other stands back', async () => {
      const store = fresh()
      await smallFiles(store)
      await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0 })
      const results = await Promise.all([1, 2].map(() => compactPartition(store, MARCH, { graceMs: 0, settleMs: 200 })))
      assert.deepEqual(results.map((r) => r.replaced).sort(), [0, 0], 'one merged file alone is not compacted again')
      await smallFiles(store, 50)
      const racing = await Promise.all([1, 2].map(() => compactPartition(store, MARCH, { graceMs: 0, settleMs: 200 })))
      assert.deepEqual(racing.map((r) => r.rows).sort((a, b) => a - b), [0, 100])
      assert.equal((await store.list('incidents/')).length, 1)
    })

    test('files younger than the grace period are left alone', async () => {
      const store = fresh()
      await smallFiles(store, 100)
      const result = await compactPartition(store, MARCH, { settleMs: 0, graceMs: 60_000 })
      assert.deepEqual(result.merged, [])
    })

    test('readers see every row once, in either shape, while a compaction runs', async () => {
      const lake = fresh()
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
      }
    })

    test('a rerun of the same input after a compaction holds every row once', async () => {
      const lake = fresh()
      const input = writeFixtureCsv(join(tempDir('compact-rerun'), 'incidents.csv'), 240)
      const first = await runInProcess({ input, lake: lake.url, fileRows: 2 })
      let merged = 0
      for (const partition of await lakePartitions(lake)) merged += (await compactPartition(lake, partition, { graceMs: 0, settleMs: 0 })).merged.length
      assert.ok(merged > 0, 'the run wrote several files per partition, and they were merged')
      await runInProcess({ input, lake: lake.url, fileRows: 2 })
      const [row] = await rowsOf(lake, mkdtempSync(join(tmpdir(), 'hc-compact-rerun-')), 'SELECT count(*) AS n, count(DISTINCT source_row) AS sources FROM incidents')
      assert.deepEqual([Number(row.n), Number(row.sources)], [first.written, first.written])
    })
  })
}

suite('folder', () => new FsStore(mkdtempSync(join(tmpdir(), 'hc-compact-'))))
suite('S3', () => testStore('compact'))
