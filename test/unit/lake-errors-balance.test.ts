import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HatecrimesError } from '../../src/core/errors.ts'
import { describeFsError } from '../../src/lake/fs-errors.ts'
import { FsStore } from '../../src/lake/fs-store.ts'
import { ObjectExistsError } from '../../src/lake/object-store.ts'
import { checkBalance } from '../../src/lake/written-rows.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-balance-'))
const where = { action: 'write', path: '/lake/incidents/a.parquet', root: '/lake' } as const
const fsError = (code: string, syscall = 'write') => Object.assign(new Error(`${code}: failed, ${syscall}`), { code, syscall })

test('file-system failures get stable LAKE_* codes that say what to do', () => {
  const cases: [string, string, RegExp][] = [
    ['ENOSPC', 'LAKE_NO_SPACE', /^No space left to write \/lake\/incidents\/a\.parquet \(ENOSPC\): free space on the disk that holds \/lake/],
    ['EDQUOT', 'LAKE_NO_SPACE', /\(EDQUOT\)/],
    ['EACCES', 'LAKE_DENIED', /^Not allowed to write \/lake\/incidents\/a\.parquet \(EACCES\): check the permissions of \/lake/],
    ['EROFS', 'LAKE_DENIED', /\(EROFS\)/],
    ['EIO', 'LAKE_WRITE_FAILED', /^Could not write \/lake\/incidents\/a\.parquet in the lake \/lake \(EIO: /],
  ]
  for (const [errno, code, message] of cases) {
    const error = describeFsError(fsError(errno), where) as HatecrimesError
    assert.ok(error instanceof HatecrimesError, errno)
    assert.equal(error.code, code, errno)
    assert.match(error.message, message)
  }
  assert.equal((describeFsError(fsError('EIO', 'read'), { ...where, action: 'list' }) as HatecrimesError).code, 'LAKE_READ_FAILED')
  const exists = new ObjectExistsError('a')
  assert.equal(describeFsError(exists, where), exists, 'the store\'s own errors pass unchanged')
})

test('a folder lake whose path is a file is LAKE_WRITE_FAILED, and no temporary file stays', async () => {
  const store = new FsStore(join(dir, 'a-file'))
  await new FsStore(dir).put('a-file', new Uint8Array([1]))
  await assert.rejects(store.put('incidents/x.parquet', new Uint8Array([1])), (error: HatecrimesError) => error.code === 'LAKE_WRITE_FAILED' && /ENOTDIR|EEXIST/.test(error.message))
  assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('.tmp-')), [])
})

test('the balance is the files read back: a summary counts what they hold, and a gap is BALANCE_BROKEN', async () => {
  const lake = join(dir, 'lake')
  const summary = await runInProcess({ input: 'data/austin_hate_crimes_2017_2025.csv', lake, fileRows: 40 })
  assert.equal(summary.rows, 266)
  assert.equal(summary.written + summary.deadLettered, 266)
  const store = new FsStore(lake)
  const keys = (await store.list('incidents/')).map((info) => info.key)
  assert.deepEqual(await checkBalance(store, { rows: 266, input: 'austin.csv' }, keys, []), { written: summary.written, deadLettered: 0 })
  await assert.rejects(checkBalance(store, { rows: 267, input: 'austin.csv' }, keys, []), (error: HatecrimesError) => {
    assert.equal(error.code, 'BALANCE_BROKEN')
    assert.match(error.message, new RegExp(`^Expected each of the 267 rows read from austin\\.csv in the lake or the dead letters, found ${summary.written} rows in the ${keys.length} files written and 0 dead letters in 0 files of file://`))
    return true
  })
  rmSync(join(lake, ...keys[0].split('/')))
  await assert.rejects(checkBalance(store, { rows: 266, input: 'austin.csv' }, keys, []), (error: HatecrimesError) => error.code === 'BALANCE_BROKEN' && /it is not there/.test(error.message))
})

test('a run removes temporary files a killed writer left over ten minutes ago, and keeps fresh ones', async () => {
  const lake = join(dir, 'leftovers')
  const folder = join(lake, 'incidents', 'year=2019', 'month=04')
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, '.tmp-killed'), 'half a file')
  writeFileSync(join(folder, '.tmp-live'), 'a write under way')
  const hourAgo = new Date(Date.now() - 3_600_000)
  utimesSync(join(folder, '.tmp-killed'), hourAgo, hourAgo)
  await runInProcess({ input: 'data/austin_hate_crimes_2017_2025.csv', lake })
  assert.deepEqual(readdirSync(folder).filter((name) => name.startsWith('.tmp-')), ['.tmp-live'])
})
