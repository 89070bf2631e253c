import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FsStore } from '../../src/lake/fs-store.ts'
import { decodeParquet } from '../../src/lake/parquet-file.ts'
import { dataFileRange, partitionOf } from '../../src/lake/partitions.ts'
import { PartitionBatcher } from '../../src/sinks/partition-batcher.ts'
import { makeRecords } from '../fixtures/incident-records.ts'

const store = () => new FsStore(mkdtempSync(join(tmpdir(), 'hc-batcher-')))

const rowsOf = async (fs: FsStore, key: string) => decodeParquet(await fs.get(key))

test('records land in the partition of their incident date, each file one partition', async () => {
  const fs = store()
  const batcher = new PartitionBatcher({ store: fs, stream: 'file-t.csv' })
  const records = makeRecords(70, '2017-01-15')
  for (const record of records) await batcher.add(record, BigInt(record.source_row!))
  const { files } = await batcher.finish()
  assert.deepEqual(files.map((f) => partitionOf(f.key)), [
    { source: 'test', year: 2017, month: 1 },
    { source: 'test', year: 2017, month: 2 },
    { source: 'test', year: 2017, month: 3 },
  ])
  assert.equal(files.reduce((sum, f) => sum + f.rows, 0), 70)
  for (const file of files) {
    for (const row of await rowsOf(fs, file.key)) assert.equal(Number(row.incident_date.slice(5, 7)), partitionOf(file.key)!.month)
  }
})

test('a partition is written when it reaches fileRows, with its row range in the name', async () => {
  const fs = store()
  const batcher = new PartitionBatcher({ store: fs, stream: 's', fileRows: 4 })
  const records = makeRecords(25, '2018-05-01')
  for (const record of records) await batcher.add(record, BigInt(record.source_row!))
  // Three writes may be under way while rows come: the last three full files are still being stored.
  assert.equal(batcher.files.length, 3, 'the first three full files written before finish, three more under way')
  const { files } = await batcher.finish()
  assert.deepEqual(files.map((f) => [f.rows, f.first, f.last]), [
    [4, 2n, 5n],
    [4, 6n, 9n],
    [4, 10n, 13n],
    [4, 14n, 17n],
    [4, 18n, 21n],
    [4, 22n, 25n],
    [1, 26n, 26n],
  ])
  assert.deepEqual(dataFileRange(files[1].key), { stream: 's', first: 6n, last: 9n })
})

test('memory stays bounded: past bufferedRows the stalest partition is written early', async () => {
  const fs = store()
  const batcher = new PartitionBatcher({ store: fs, stream: 's', fileRows: 1000, bufferedRows: 30 })
  const records = makeRecords(360, '2019-01-01')
  for (let i = 0; i < records.length; i++) {
    await batcher.add(records[(i * 37) % records.length], BigInt(i))
  }
  const early = batcher.files.length
  const { files } = await batcher.finish()
  assert.ok(early > 0, 'files were written before finish')
  assert.equal(files.reduce((sum, f) => sum + f.rows, 0), 360)
})

test('dead letters are written as JSON lines named by their row range', async () => {
  const fs = store()
  const batcher = new PartitionBatcher({ store: fs, stream: 'file-t.csv', deadLetterRows: 2 })
  for (const row of [5n, 9n, 12n]) {
    await batcher.reject(
      { stage: 'parse', code: 'bad_date', message: 'm', origin: { kind: 'file', file: 't.csv', row: Number(row) }, source: 'austin_apd', layout: 'austin_apd', raw: {}, at: 'now' },
      row,
    )
  }
  const { deadLetterFiles } = await batcher.finish()
  assert.equal(deadLetterFiles.length, 2)
  const lines = new TextDecoder().decode(await fs.get(deadLetterFiles[0])).trim().split('\n')
  assert.deepEqual(lines.map((line) => JSON.parse(line).origin.row), [5, 9])
})

test('input sorted by date still gets one file per month under a small buffer', async () => {
  const fs = store()
  const batcher = new PartitionBatcher({ store: fs, stream: 's', bufferedRows: 40 })
  const records = makeRecords(90, '2020-01-01')
  for (const record of records) await batcher.add(record, BigInt(record.source_row!))
  const { files } = await batcher.finish()
  assert.deepEqual(files.map((f) => [partitionOf(f.key)!.month, f.rows]), [
    [1, 31],
    [2, 29],
    [3, 30],
  ])
})

test('a failed write is thrown to the caller, not lost while later rows come', async () => {
  const fs = store()
  const failing = Object.assign(Object.create(fs), { put: async () => Promise.reject(new Error('disk full')) }) as FsStore
  const batcher = new PartitionBatcher({ store: failing, stream: 's', fileRows: 10 })
  const records = makeRecords(40, '2018-05-01')
  await assert.rejects(async () => {
    for (const record of records) await batcher.add(record, BigInt(record.source_row!))
    await batcher.finish()
  }, /disk full/)
})
