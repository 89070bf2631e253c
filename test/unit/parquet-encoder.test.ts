import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { test } from 'node:test'
import { ColumnBuilder } from '../../src/lake/column-pack.ts'
import { encodeParquet } from '../../src/lake/parquet-file.ts'
import { encodeHere, encoderHeapLimits, ParquetEncoderThread } from '../../src/sinks/parquet-encoder.ts'
import { makeRecords } from '../fixtures/incident-records.ts'

const lakeRows = (count: number, day: string) => makeRecords(count, day).map(({ year: _year, month: _month, ...record }) => record)
const packed = (rows: ReturnType<typeof lakeRows>) => {
  const builder = new ColumnBuilder()
  for (const row of rows) builder.add(row)
  return builder.done()
}

test('the encoder thread gives the very bytes of encoding here, job by job in order', async () => {
  const encoder = new ParquetEncoderThread(1_000)
  try {
    const batches = [lakeRows(300, '2018-05-01'), lakeRows(5, '2019-01-31'), lakeRows(700, '2020-02-29')]
    const bytes = await Promise.all(batches.map((rows) => encoder.encode(packed(rows), rows.length)))
    for (const [index, rows] of batches.entries()) {
      const expected = Buffer.from(encodeParquet(rows))
      assert.ok(Buffer.from(bytes[index]).equals(expected), `file ${index} as encodeParquet writes it`)
      assert.ok(Buffer.from(await encodeHere(packed(rows), rows.length)).equals(expected), `file ${index} encoded here`)
    }
  } finally {
    await encoder.close()
  }
})

test('a thread that stops fails the jobs it held, and the next job starts a new thread', async () => {
  const encoder = new ParquetEncoderThread(1_000)
  try {
    const held = encoder.encode(packed(lakeRows(2_000, '2018-05-01')), 2_000)
    await encoder.close()
    await assert.rejects(held, /Parquet encoder thread to keep running/)
    const again = await encoder.encode(packed(lakeRows(3, '2018-05-01')), 3)
    assert.ok(Buffer.from(again).equals(Buffer.from(encodeParquet(lakeRows(3, '2018-05-01')))))
  } finally {
    await encoder.close()
  }
})

test('the thread heap grows with the rows a file can hold', () => {
  assert.equal(encoderHeapLimits(10_000).maxOldGenerationSizeMb, 84)
  assert.ok(encoderHeapLimits(100_000).maxOldGenerationSizeMb > encoderHeapLimits(10_000).maxOldGenerationSizeMb)
})
