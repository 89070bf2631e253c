import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parquetMetadata } from 'hyparquet'
import type { HatecrimesError } from '../../src/core/errors.ts'
import { FsStore } from '../../src/lake/fs-store.ts'
import { footerRows } from '../../src/lake/parquet-footer.ts'
import { encodeParquet } from '../../src/lake/parquet-file.ts'
import { parquetRows } from '../../src/lake/written-rows.ts'
import { makeRecords } from '../fixtures/incident-records.ts'

const rows = (count: number) => makeRecords(count, '2019-07-04').map(({ year: _year, month: _month, ...record }) => record)
const broken = (pattern: RegExp) => (error: HatecrimesError) => error.code === 'BALANCE_BROKEN' && pattern.test(error.message)

test('the row count read from the start of a footer is the one hyparquet reads from the whole footer', () => {
  for (const [count, rowGroupSize] of [[0, 100], [1, 100], [240, 100], [240, 7]]) {
    const file = encodeParquet(rows(count), rowGroupSize)
    const whole = Number(parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer).num_rows)
    assert.deepEqual(footerRows(file, 'a.parquet'), { rows: whole }, `${count} rows in groups of ${rowGroupSize}`)
    assert.equal(whole, count)
  }
})

test('a footer longer than the bytes given asks for as many last bytes as it takes', () => {
  const file = encodeParquet(rows(240), 7)
  const found = footerRows(file.subarray(file.length - 100), 'a.parquet')
  assert.ok('needs' in found && found.needs > 100 && found.needs < file.length)
  assert.deepEqual(footerRows(file.subarray(file.length - found.needs), 'a.parquet'), { rows: 240 })
})

test('parquetRows reads a file of the lake back, a second read when its footer passes the first 16 KiB', async () => {
  const store = new FsStore(mkdtempSync(join(tmpdir(), 'hc-footer-')))
  const small = encodeParquet(rows(50))
  const manyGroups = encodeParquet(rows(900), 3)
  assert.ok(manyGroups.length > 40_000, 'a file whose footer alone passes 16 KiB')
  await store.put('incidents/small.parquet', small)
  await store.put('incidents/many.parquet', manyGroups)
  assert.equal(await parquetRows(store, 'incidents/small.parquet'), 50)
  assert.equal(await parquetRows(store, 'incidents/many.parquet'), 900)
})

test('bytes that are no Parquet footer are BALANCE_BROKEN, naming the file', async () => {
  const file = encodeParquet(rows(20))
  assert.throws(() => footerRows(file.subarray(0, file.length - 1), 'cut.parquet'), broken(/^Expected the file cut\.parquet to end with a Parquet footer and "PAR1"/))
  const garbled = file.slice()
  const footerStart = garbled.length - 8 - new DataView(garbled.buffer).getUint32(garbled.length - 8, true)
  garbled.fill(0xff, footerStart, footerStart + 40)
  assert.throws(() => footerRows(garbled, 'garbled.parquet'), broken(/^Expected a readable Parquet footer in garbled\.parquet \(unknown type 15 at byte 1\)/))
  const store = new FsStore(mkdtempSync(join(tmpdir(), 'hc-footer-')))
  const tooLong = file.slice(file.length - 8)
  new DataView(tooLong.buffer).setUint32(0, 1_000_000, true)
  await store.put('incidents/short.parquet', tooLong)
  await assert.rejects(parquetRows(store, 'incidents/short.parquet'), broken(/^Expected the Parquet footer of incidents\/short\.parquet to fit in its 8 bytes \(it says 1000008\)/))
})
