import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { decodeParquet, encodeParquet, LAKE_COLUMNS } from '../../src/lake/parquet-file.ts'
import { makeRecords } from '../fixtures/incident-records.ts'

const lakeRows = (count: number) =>
  makeRecords(count, '2018-05-01').map(({ year: _year, month: _month, ...record }) => ({ ...record, kafka_offset: null }))

test('every lake column is read from its own field, whatever order the record was built in', async () => {
  const records = lakeRows(300)
  // The same records with their keys in reverse order: a reader by position would mix the columns up.
  const reversed = records.map((record) => Object.fromEntries(Object.entries(record).reverse()) as typeof record)
  const bytes = encodeParquet(records)
  assert.ok(Buffer.from(encodeParquet(reversed)).equals(Buffer.from(bytes)), 'the same file either way')
  const decoded = await decodeParquet(bytes)
  assert.equal(decoded.length, 300)
  for (const column of LAKE_COLUMNS) {
    assert.deepEqual(decoded.map((row) => row[column.name]), records.map((record) => record[column.name]), column.name)
  }
})
