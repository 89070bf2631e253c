import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { ColumnBuilder } from '../../src/lake/column-pack.ts'
import { encodePacked } from '../../src/lake/parquet-encode.ts'
import { LAKE_COLUMNS } from '../../src/lake/lake-columns.ts'
import { decodeParquet, encodeParquet } from '../../src/lake/parquet-file.ts'
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

test('packed columns give the very bytes of encodeParquet, and survive a copy to another thread', async () => {
  const records = lakeRows(200).map((record, i) => ({
    ...record,
    // nulls, a kafka offset past 2^53, lists equal in content but not shared (of one flag and of two),
    // and a list of one flag holding a NUL beside the list of the two flags it joins
    victims_adult: i % 3 ? record.victims_adult : null,
    has_juvenile_offender: i % 4 === 0 ? null : i % 2 === 0,
    kafka_offset: i % 5 ? 9007199254740993n : null,
    source_row: i % 7 ? i + 2 : null,
    quality_flags: i % 2 ? ['zip_outside_austin', 'non_apd_sector'] : i % 6 === 0 ? ['non_apd_sector'] : i % 10 === 2 ? ['a\u0000b'] : i % 10 === 4 ? ['a', 'b'] : [],
    // lists that joined texts would mix up: a null element and '', a NUL moved between elements,
    // and elements that read as another list's JSON
    offense_codes: [[null], [''], ['null'], ['[null]'], [null, 'x'], ['', 'x'], ['a\u0000b', 'c'], ['a', 'b\u0000c'], ['["a","b"]'], ['a', 'b'], []][i % 11],
  }))
  const bytes = Buffer.from(encodeParquet(records))
  const builder = new ColumnBuilder()
  for (const record of records) builder.add(record)
  const packed = builder.done()
  assert.ok(Buffer.from(encodePacked(packed, builder.rows)).equals(bytes), 'packed as it was built')
  assert.ok(Buffer.from(encodePacked(structuredClone(packed), builder.rows)).equals(bytes), 'copied as postMessage copies')
  const decoded = await decodeParquet(bytes)
  assert.deepEqual(decoded.map((row) => row.quality_flags), records.map((record) => record.quality_flags))
  assert.deepEqual(decoded.map((row) => row.offense_codes), records.map((record) => record.offense_codes))
})
