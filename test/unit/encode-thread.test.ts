import assert from 'node:assert/strict'
import { test } from 'node:test'
import { GrowingArray, giveBack } from '../../src/lake/column-arrays.ts'
import { ColumnBuilder, columnArrays } from '../../src/lake/column-pack.ts'
import { decodeParquet } from '../../src/lake/parquet-file.ts'
import { EncodeThread } from '../../src/sinks/encode-thread.ts'
import { makeRecords } from '../fixtures/incident-records.ts'

const builderOf = (rows: number) => {
  const builder = new ColumnBuilder()
  for (const record of makeRecords(rows, '2019-04-02')) builder.add(record)
  return builder
}

test('the encode thread makes the very file the calling thread makes, and takes the columns arrays with it', async () => {
  const thread = new EncodeThread()
  try {
    const here = builderOf(1_500).encode()
    const columns = builderOf(1_500).done()
    const arrays = columnArrays(columns)
    assert.equal(arrays.length, 54, 'one array per column, two for the identifiers')
    const there = await thread.encode(columns, 1_500)
    assert.deepEqual(Buffer.from(there), Buffer.from(here))
    assert.ok(arrays.every((array) => array.byteLength === 0), 'the arrays moved to the thread, not copied')
    const rows = await decodeParquet(there)
    assert.equal(rows.length, 1_500)
    assert.deepEqual(
      rows.map((row) => row.incident_id),
      makeRecords(1_500, '2019-04-02').map((record) => record.incident_id),
    )
  } finally {
    await thread.close()
  }
})

test('a file the thread cannot encode fails alone, named, and the thread encodes the next', async () => {
  const thread = new EncodeThread()
  try {
    const columns = builderOf(3).done()
    await assert.rejects(thread.encode(columns.slice(1), 3), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'LAKE_WRITE_FAILED')
      assert.match(error.message, /encode a Parquet file \(it failed: Expected 53 packed columns \(one per lake column\), found 52\)/)
      return true
    })
    assert.equal((await decodeParquet(await thread.encode(builderOf(4).done(), 4))).length, 4)
  } finally {
    await thread.close()
  }
  await assert.rejects(thread.encode(builderOf(2).done(), 2), /the run closed it/)
})

test('arrays that come back from another thread go back to the pool, whole', () => {
  const array = new Float64Array(1024)
  giveBack([array.subarray(0, 10)])
  assert.equal(new GrowingArray(Float64Array).array.buffer, array.buffer, 'the next column of that size takes it')
})
