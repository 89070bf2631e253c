import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
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

test('the mirror copies only the files a reader should read while a compaction is under way', async () => {
  const lake = testStore('mirror-compacting')
  try {
    await smallFiles(lake)
    const small = (await lake.list(FOLDER)).map((info) => info.key)
    const merged = `${FOLDER}compacted-aa.parquet`
    await lake.put(merged, await lake.get(small[0]))
    await lake.put(`${FOLDER}_compaction-aa.json`, manifestBytes({ merged, replaced: small.slice(0, 2) }))
    const { files } = await new LakeMirror(lake, mkdtempSync(join(tmpdir(), 'hc-mirror-c-'))).sync()
    assert.deepEqual(files.map((info) => info.key), [merged, ...small.slice(2)].sort())
  } finally {
    await lake.close()
  }
})

test('an S3 lake\'s population table is mirrored and answers queries', async () => {
  const lake = testStore('mirror-population')
  try {
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
  } finally {
    await lake.close()
  }
})

test('the default cache folder is named by the bucket and a hash of the whole URL', () => {
  const a = defaultMirrorDir('s3://my-bucket/austin')
  assert.match(basename(a), /^my-bucket-[0-9a-f]{16}$/)
  assert.notEqual(a, defaultMirrorDir('s3://my-bucket/dallas'))
})
