import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zstdCompressSync } from 'node:zlib'
import { DuckDBInstance } from '@duckdb/node-api'
import { parquetWriteBuffer } from 'hyparquet-writer'
import { LAKE_COLUMNS, lakeValues, type LakeRecord } from '../../src/lake/lake-columns.ts'
import { daysSinceEpoch, decodeParquet, encodeParquet, LAKE_SCHEMA } from '../../src/lake/parquet-file.ts'
import { textStatistics } from '../../src/lake/parquet-statistics.ts'
import { makeRecords } from '../fixtures/incident-records.ts'

// Every kind of cell the lake holds: nulls in each optional column, null and empty lists, texts
// past the 16-byte statistics bound, characters past U+FFFF (which sort differently in UTF-16 and
// UTF-8), int64 past 2^53, identifiers unique per row (PLAIN) and vocabulary (dictionary).
const LONG = ['Destruction/Damage/Vandalism of Property', 'Ωmega ünïcode 東京 text that is long', '\uffff\uffff\uffff\uffff\uffff\uffff', '\u{1F600}\u{1F600}\u{1F600}\u{1F600}\u{1F600}']
const records: LakeRecord[] = makeRecords(240, '2016-12-20').map(({ year: _year, month: _month, ...record }, i) => ({
  ...record,
  incident_id: `${i % 11 === 0 ? '\u{10400}' : ''}I-${i}-${'x'.repeat(i % 30)}`,
  victims_adult: i % 3 ? -i : null,
  offenders_total: i % 5 ? null : 2 ** 31 - 1 - i,
  has_juvenile_offender: i % 4 === 0 ? null : i % 2 === 0,
  location: i % 7 ? LONG[i % LONG.length] : null,
  raw_bias: LONG[(i + 1) % LONG.length],
  offenses: i % 6 === 0 ? (null as unknown as string[]) : i % 6 === 1 ? [] : LONG.slice(0, i % 4 + 1),
  quality_flags: i % 2 ? ['zip_outside_austin', `flag-${i % 3}`] : [],
  biases: [`bias ${i}`],
  crimes_against: i % 5 ? ['Persons', null, 'Property'] : ['Society'],
  source_row: i % 9 ? 2 ** 40 + i : null,
  kafka_topic: i % 2 ? 'incidents' : null,
  kafka_partition: i % 2 ? i % 6 : null,
  kafka_offset: i % 2 ? 2n ** 62n + BigInt(i) : null,
  ingested_at: 1_700_000_000_000_000n + BigInt(i),
}))

/** The same rows written by hyparquet-writer, the lake's writer before this encoder: the reference. */
function referenceFile(rows: readonly LakeRecord[], rowGroupSize: number): Uint8Array {
  const schema = LAKE_SCHEMA.map((node) => ({
    name: node.name,
    type: node.type,
    repetition_type: node.repetition,
    converted_type: node.converted,
    num_children: node.children,
    logical_type: node.converted === 'TIMESTAMP_MICROS' ? { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } : undefined,
  }))
  const columnData = LAKE_COLUMNS.map(({ name, kind }) => ({
    name,
    data: rows.map((row) => {
      const value = row[name]
      if (value === null) return null
      return kind === 'date' ? daysSinceEpoch(value as string) : kind === 'int64' ? BigInt(value as bigint | number) : value
    }) as never,
  }))
  const compressors = { ZSTD: (bytes: Uint8Array) => new Uint8Array(zstdCompressSync(bytes)) }
  return new Uint8Array(parquetWriteBuffer({ columnData, schema: schema as never, codec: 'ZSTD', compressors, rowGroupSize }))
}

test('hyparquet reads back every cell: nulls, empty lists, long and unicode texts, int64 past 2^53, across row groups', async () => {
  const decoded = await decodeParquet(encodeParquet(records, 70))
  assert.equal(decoded.length, records.length)
  for (const column of LAKE_COLUMNS) {
    // hyparquet reads a null list as undefined (so it does files of the reference writer).
    const got = decoded.map((row) => row[column.name] ?? null)
    assert.deepEqual(got, records.map((record) => record[column.name]), column.name)
  }
})

test('lakeValues lays a record out in the order of LAKE_COLUMNS, every column from its own field', () => {
  const record = Object.fromEntries(LAKE_COLUMNS.map(({ name }) => [name, `value of ${name}`])) as unknown as LakeRecord
  assert.deepEqual(lakeValues(record, []), LAKE_COLUMNS.map(({ name }) => `value of ${name}`))
})

test('an empty file and a file of one row read back', async () => {
  assert.deepEqual(await decodeParquet(encodeParquet([])), [])
  assert.deepEqual(await decodeParquet(encodeParquet(records.slice(5, 6))), records.slice(5, 6))
})

test('DuckDB reads the same rows, types and statistics as from the reference writer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parquet-encode-'))
  try {
    for (const rowGroupSize of [100_000, 70]) {
      const ours = join(dir, `ours-${rowGroupSize}.parquet`)
      const reference = join(dir, `reference-${rowGroupSize}.parquet`)
      writeFileSync(ours, encodeParquet(records, rowGroupSize))
      writeFileSync(reference, referenceFile(records, rowGroupSize))
      const db = await DuckDBInstance.create(':memory:')
      const connection = await db.connect()
      const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson()
      assert.deepEqual(await rows(`DESCRIBE SELECT * FROM '${ours}'`), await rows(`DESCRIBE SELECT * FROM '${reference}'`), 'column types')
      const missing = await rows(`SELECT count(*) AS n FROM (SELECT * FROM '${reference}' EXCEPT ALL SELECT * FROM '${ours}')`)
      const extra = await rows(`SELECT count(*) AS n FROM (SELECT * FROM '${ours}' EXCEPT ALL SELECT * FROM '${reference}')`)
      assert.deepEqual([missing, extra], [[{ n: '0' }], [{ n: '0' }]], 'the same rows')
      const stats = (file: string) =>
        rows(`SELECT row_group_id, path_in_schema, num_values, stats_min_value, stats_max_value, stats_null_count
              FROM parquet_metadata('${file}') ORDER BY row_group_id, column_id`)
      const [got, expected] = [await stats(ours), await stats(reference)]
      assert.equal(got.length, LAKE_COLUMNS.length * Math.ceil(records.length / rowGroupSize))
      assert.deepEqual(got, expected, 'statistics per row group and column')
      const codecs = await rows(`SELECT compression, bool_and(total_compressed_size = total_uncompressed_size) AS same, min(total_uncompressed_size) >= 1024 AS large
        FROM parquet_metadata('${ours}') GROUP BY ALL ORDER BY ALL`)
      assert.deepEqual(codecs, [{ compression: 'UNCOMPRESSED', same: true, large: false }, { compression: 'ZSTD', same: false, large: true }], 'chunks under 1024 bytes are stored as they are')
      connection.closeSync()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a text column of distinct values keeps every value once the builder stops looking them up', async () => {
  // Past 4096 rows of distinct texts the builder stores them without a lookup; later repeats must
  // still read back. Identifiers, kept as bytes, read back whether they repeat or not.
  const many = makeRecords(6000, '2018-01-01').map(({ year: _year, month: _month, ...record }, i) => ({
    ...record,
    incident_id: i < 5000 ? `ID-${i}` : `ID-${i % 3}`,
    raw_location: i < 5000 ? `place ${i}` : `place ${i % 3}`,
    quality_flags: i % 3 ? [] : ['zip_outside_austin'],
  }))
  const decoded = await decodeParquet(encodeParquet(many))
  assert.deepEqual(decoded.map((row) => row.raw_location), many.map((record) => record.raw_location))
  assert.deepEqual(decoded.map((row) => row.incident_id), many.map((record) => record.incident_id))
  assert.deepEqual(decoded.map((row) => row.quality_flags), many.map((record) => record.quality_flags))
})

test('rows read back from a file encode again to the same file, as compaction does', async () => {
  // hyparquet gives null lists back as undefined; written again they must stay null lists.
  const bytes = encodeParquet(records)
  const again = encodeParquet(await decodeParquet(bytes))
  assert.ok(Buffer.from(again).equals(Buffer.from(bytes)))
})

test('text bounds are cut at whole characters within 16 bytes of UTF-8, whatever their width', () => {
  const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)
  // The value, then its min and max bounds with their exactness (undefined: exact).
  for (const [value, ...expected] of [
    ['1234567890123\u{1F600}', '1234567890123', false, '1234567890124', false],
    ['12345678901234é', '12345678901234é', undefined, '12345678901234é', undefined],
    ['123456789012345é', '123456789012345', false, '123456789012346', false],
    ['東京東京東京!', '東京東京東', false, '東京東京杲', false],
  ] as const) {
    const stats = textStatistics([value], 0)
    assert.deepEqual([text(stats.min), stats.minExact, text(stats.max), stats.maxExact], expected, value)
  }
})
