// A run into a folder lake on a disk that fills up: a 1 MiB tmpfs mounted for the test (root only,
// as on the project's machines and CI). The run must stop with LAKE_NO_SPACE and say how many rows
// are safely in complete files, leave no temporary file, and a rerun elsewhere must still work.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FsStore } from '../../src/lake/fs-store.ts'
import { parquetRows } from '../../src/lake/written-rows.ts'
import { writeSyntheticCsv } from '../../src/sources/synthetic.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'hc-full-'))
const disk = join(dir, 'disk')
const input = join(dir, 'synthetic.csv')
const asRoot = process.getuid?.() === 0

before(async () => {
  if (!asRoot) return
  mkdirSync(disk)
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk])
  await writeSyntheticCsv(input, { rows: 60_000, seed: 11 })
})

after(() => {
  if (asRoot) execFileSync('umount', [disk])
})

const files = (folder: string, match: (name: string) => boolean) =>
  readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((path) => match(path.split('/').pop()!))

test('a full disk stops the run with LAKE_NO_SPACE, the rows already safe, and no temporary file left', { skip: !asRoot && 'mounting a tmpfs needs root' }, async () => {
  const lake = join(disk, 'lake')
  const run = spawnSync(process.execPath, ['bin/hatecrimes.js', 'run', '--input', input, '--lake', lake, '--no-kafka', '--source', 'synthetic', '--file-rows', '1000'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  })
  assert.equal(run.status, 3, run.stderr)
  const match = /^error: No space left to write \S+\.parquet \(ENOSPC\): free space on the disk that holds \S+, or give --lake another place\. The run stopped part-way: (\d+) rows of \S+ are in (\d+) complete files of the lake, and a rerun of the same input replaces them$/m.exec(run.stderr)
  assert.ok(match, run.stderr)
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace')
  assert.deepEqual(files(lake, (name) => name.startsWith('.tmp-')), [], 'the failed write removed its temporary file')
  const parquet = files(lake, (name) => name.endsWith('.parquet'))
  assert.equal(parquet.length, Number(match[2]), 'the files the message counts are the complete files in the lake')
  const store = new FsStore(lake)
  let rows = 0
  for (const key of parquet) rows += await parquetRows(store, key)
  assert.equal(rows, Number(match[1]), 'the rows the message counts are the rows in those files')
  assert.ok(rows > 0 && rows < 60_000)
})
