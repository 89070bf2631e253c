// The README's paragraph "Which readers are right while `compact` runs", claim by claim, against a
// lake folder: the hatecrimes reader is right at every moment; a plain read_parquet glob, as the
// README shows it, sees a merged partition twice during --settle-ms and after a killed compaction,
// until the next `compact` or `run` finishes the killed run's deletes (a minute after its settle, not ten).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DuckDBInstance } from '@duckdb/node-api'
import { compactPartition } from '../../src/lake/compaction.ts'
import { isManifest } from '../../src/lake/compaction-manifest.ts'
import { FsStore } from '../../src/lake/fs-store.ts'
import { MARCH, rowsOf, smallFiles } from './compaction-harness.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { writeFixtureCsv } from './kafka-harness.ts'

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')
const COUNT = 'SELECT count(*)::INT AS n FROM incidents'
const FOLDER = 'incidents/source=test/year=2017/month=03/'

/** Kills a compaction of MARCH just before its first delete, as kill -9 would. */
async function killedCompaction(store: FsStore): Promise<void> {
  const remove = store.delete.bind(store)
  store.delete = async () => {
    throw new Error('killed before the first delete')
  }
  await assert.rejects(compactPartition(store, MARCH, { graceMs: 0, settleMs: 0 }), /killed/)
  store.delete = remove
}

/** A lake folder of five small files, a plain DuckDB reader of it and our own reader. */
async function lake() {
  const root = mkdtempSync(join(tmpdir(), 'hc-compact-readers-'))
  const store = new FsStore(root)
  await smallFiles(store)
  const db = await DuckDBInstance.create(':memory:')
  const connection = await db.connect()
  const glob = /read_parquet\('lake\/incidents\/\*\*\/\*\.parquet'[^)]*\)/.exec(readme)![0].replace("'lake/", `'${root}/`)
  return {
    root,
    store,
    plain: async () => Number((await connection.runAndReadAll(`SELECT count(*)::INT AS n FROM ${glob}`)).getRowObjectsJson()[0].n),
    ours: async () => Number((await rowsOf(store, mkdtempSync(join(tmpdir(), 'hc-compact-readers-cache-')), COUNT))[0].n),
    close: () => connection.closeSync(),
  }
}

test('the README names the readers that are right while compact runs, and how others must read', () => {
  const paragraph = readme.slice(readme.indexOf('**Which readers are right while `compact` runs.**'))
  assert.match(paragraph, /^\*\*Which readers/, 'the paragraph is there')
  assert.match(paragraph, /`hatecrimes query` and the dashboard are right at\s+every moment/)
  assert.match(paragraph, /see its rows twice/)
  assert.match(paragraph, /until `hatecrimes compact`\s+or a `hatecrimes run` into the lake starts \(either finishes the killed run's deletes as soon as that\s+run's `--settle-ms` plus a minute has passed\)/)
})

test('during --settle-ms a plain glob sees the merged rows twice, our reader once; after it both see them once', async () => {
  const { store, plain, ours, close } = await lake()
  assert.deepEqual([await plain(), await ours()], [50, 50], 'before')
  let settled = false
  const compaction = compactPartition(store, MARCH, { graceMs: 0, settleMs: 3_000 }).finally(() => (settled = true))
  // Five small files, the manifest and the merged file; a compaction that ends first fails the test.
  while (!settled && (await store.list(FOLDER)).length < 7) await new Promise((resolve) => setTimeout(resolve, 20))
  assert.ok(!settled, 'the merged file was seen beside the small files while the compaction settled')
  assert.ok((await store.list(FOLDER)).some((info) => isManifest(info.key)))
  assert.deepEqual([await plain(), await ours()], [100, 50], 'merged file written, small files not yet deleted')
  await compaction
  assert.deepEqual([await plain(), await ours()], [50, 50], 'after')
  close()
})

test('after a compaction killed before its deletes, the next compact finishes them a minute after the settle, not ten', async () => {
  const { store, plain, ours, close } = await lake()
  await killedCompaction(store)
  assert.deepEqual([await plain(), await ours()], [100, 50], 'the killed run left the merged file beside the small ones')
  await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0, now: Date.now() + 30_000 })
  assert.equal(await plain(), 100, 'half a minute on, the dead run might still be a live one at its deletes: left alone')
  await compactPartition(store, MARCH, { graceMs: 0, settleMs: 0, now: Date.now() + 2 * 60_000 })
  assert.deepEqual([await plain(), await ours()], [50, 50], 'two minutes on, the next compact finished it')
  assert.deepEqual((await store.list(FOLDER)).map((info) => info.key), [`${FOLDER}stream-000000000000000-000000000000049.parquet`])
  close()
})

test('a run into the lake finishes a killed compaction too, once its settle and a minute have passed', async () => {
  const { root, store, plain, ours, close } = await lake()
  await killedCompaction(store)
  const input = writeFixtureCsv(join(root, 'other.csv'), 10)
  await runInProcess({ input, lake: root, source: 'other' })
  assert.deepEqual([await plain(), await ours()], [110, 60], 'a run right after the kill leaves a compaction that may be alive alone')
  const merged = `${FOLDER}stream-000000000000000-000000000000049.parquet`
  const past = new Date(Date.now() - 2 * 60_000)
  utimesSync(join(root, ...merged.split('/')), past, past)
  await runInProcess({ input, lake: root, source: 'other' })
  assert.deepEqual([await plain(), await ours()], [60, 60], 'two minutes after the merge, the next run finished its deletes')
  close()
})
