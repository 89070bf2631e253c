import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { ObjectStore } from '../../src/lake/object-store.ts'
import { manifestBytes } from '../../src/lake/compaction-manifest.ts'
import { LakeMirror, defaultMirrorDir } from '../../src/lake/lake-mirror.ts'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { readCensusTable } from '../../src/population/census-tables.ts'
import { buildPopulation, writePopulation } from '../../src/population/population-table.ts'
import { deadLetterKey } from '../../src/sinks/lake-files.ts'
import { smallFiles } from './compaction-harness.ts'
import { testStore } from './s3-harness.ts'

const store = testStore('mirror')
after(() => store.close())
const FOLDER = 'incidents/source=test/year=2017/month=03/'

/** Every file under a folder, relative to it, sorted. */
function localFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort()
}

test('the mirror downloads what is new or changed by ETag, deletes what the lake dropped, and keeps its index', async () => {
  await smallFiles(store)
  const letters = deadLetterKey('austin_apd', 'file-a.csv', 2n, 2n)
  await store.put(letters, new TextEncoder().encode('{"stage":"parse"}\n'))
  const dir = mkdtempSync(join(tmpdir(), 'hc-mirror-'))
  const first = await new LakeMirror(store, dir).sync()
  assert.equal(first.changed, 6)
  const remote = (await store.list('')).map((info) => info.key)
  assert.deepEqual(localFiles(dir).filter((file) => !file.startsWith('.')), remote, 'the copy holds the lake, no temporary files')
  for (const key of remote) assert.deepEqual(new Uint8Array(readFileSync(join(dir, key))), await store.get(key), `${key} copied byte for byte`)

  const again = new LakeMirror(store, dir)
  assert.equal((await again.sync()).changed, 0, 'a new mirror on the same folder finds its index and downloads nothing')

  await store.put(letters, new TextEncoder().encode('{"stage":"clean"}\n'))
  await store.delete(remote[1])
  assert.equal((await again.sync()).changed, 2, 'one changed, one removed')
  assert.equal(readFileSync(join(dir, letters), 'utf8'), '{"stage":"clean"}\n')
  assert.ok(!existsSync(join(dir, remote[1])), 'the removed file is gone from the copy')
})

/** A lake of its own for one test, closed after it. */
async function onLake(name: string, body: (lake: ObjectStore) => Promise<void>): Promise<void> {
  const lake = testStore(name)
  try {
    await body(lake)
  } finally {
    await lake.close()
  }
}

/** Five small files, the first two merged under a manifest: a compaction before its deletes. */
async function twoMerged(lake: ObjectStore): Promise<{ small: string[]; merged: string }> {
  await smallFiles(lake)
  const small = (await lake.list(FOLDER)).map((info) => info.key)
  const merged = `${FOLDER}compacted-aa.parquet`
  await lake.put(merged, await lake.get(small[0]))
  await lake.put(`${FOLDER}_compaction-aa.json`, manifestBytes({ merged, replaced: small.slice(0, 2) }))
  return { small, merged }
}

test('the mirror copies only the files a reader should read while a compaction is under way', () =>
  onLake('mirror-compacting', async (lake) => {
    const { small, merged } = await twoMerged(lake)
    const { files } = await new LakeMirror(lake, mkdtempSync(join(tmpdir(), 'hc-mirror-c-'))).sync()
    assert.deepEqual(files.map((info) => info.key), [merged, ...small.slice(2)].sort())
  }))

/** The lake seen through a server whose first `times` listings of incidents/ leave out the keys `drop` names. */
function tearing(lake: ObjectStore, times: number, drop: (key: string) => boolean): ObjectStore {
  let left = times
  const view = Object.create(lake) as ObjectStore
  view.list = async (prefix) => {
    const infos = await lake.list(prefix)
    return prefix === 'incidents/' && left-- > 0 ? infos.filter((info) => !drop(info.key)) : infos
  }
  return view
}

test('a listing that leaves out part of a folder, as S3Proxy 4.0.0 gives during a delete, is not copied', () =>
  onLake('mirror-torn', async (lake) => {
    const { small, merged } = await twoMerged(lake)
    const torn = tearing(lake, 1, (key) => key === merged || key === small[0])
    const { files } = await new LakeMirror(torn, mkdtempSync(join(tmpdir(), 'hc-mirror-t-'))).sync()
    assert.deepEqual(files.map((info) => info.key), [merged, ...small.slice(2)].sort(), 'the merged file, and not the two it replaces')
  }))

test('a lake that changes at every listing still gets a copy, of its last listing', () =>
  onLake('mirror-busy', async (lake) => {
    await smallFiles(lake)
    const busy = Object.create(lake) as ObjectStore
    let written = 0
    busy.list = async (prefix) => {
      if (prefix === 'incidents/') await smallFiles(lake, 100 * ++written, `writer${written}`)
      return lake.list(prefix)
    }
    const { files } = await new LakeMirror(busy, mkdtempSync(join(tmpdir(), 'hc-mirror-b-'))).sync()
    assert.ok(written > 1, 'it listed again')
    assert.equal(files.length, 5 + 5 * written, 'every file of the last listing')
  }))

test('an S3 lake\'s population table is mirrored and answers queries', () =>
  onLake('mirror-population', async (lake) => {
    await smallFiles(lake)
    const key = await writePopulation(lake, buildPopulation([await readCensusTable('data/population/census_states_2010_2019.csv')]))
    const { files } = await new LakeMirror(lake, mkdtempSync(join(tmpdir(), 'hc-mirror-p-'))).sync()
    assert.ok(files.some((info) => info.key === key), 'the population table is among the files a reader reads')
    const query = await openLakeQuery(lake.url, { cacheDir: mkdtempSync(join(tmpdir(), 'hc-mirror-q-')) })
    try {
      assert.deepEqual(await query.query("SELECT population FROM population WHERE state = 'TX' AND year = 2019"), [{ population: '28995881' }])
    } finally {
      await query.close()
    }
  }))

test('the default cache folder is named by the bucket and a hash of the whole URL', () => {
  const a = defaultMirrorDir('s3://my-bucket/austin')
  assert.match(basename(a), /^my-bucket-[0-9a-f]{16}$/)
  assert.notEqual(a, defaultMirrorDir('s3://my-bucket/dallas'))
})
