import { parquetWriteBuffer } from 'hyparquet-writer'
import { parquetReadObjects } from 'hyparquet'
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib'
import type { IncidentRecord } from '../core/record.ts'

type Kind = 'string' | 'int32' | 'int64' | 'boolean' | 'date' | 'timestamp' | 'strings'
type Column = { name: Exclude<keyof IncidentRecord, 'year' | 'month'>; kind: Kind; required?: boolean }

/**
 * The columns of the lake's files, in order. Lists are Parquet LISTs; Spark, DuckDB and pandas read
 * them as arrays. `year` and `month` are not among them: they are the Hive partition folders
 * (`year=2017/month=03`), and Spark and pyarrow refuse a partition column that the files repeat.
 */
export const LAKE_COLUMNS: readonly Column[] = [
  { name: 'source', kind: 'string', required: true },
  { name: 'incident_id', kind: 'string', required: true },
  { name: 'incident_date', kind: 'date', required: true },
  { name: 'quarter', kind: 'int32', required: true },
  { name: 'day_of_week', kind: 'string', required: true },
  { name: 'dataset_year', kind: 'int32' },
  { name: 'source_month', kind: 'string' },
  { name: 'source_day_of_week', kind: 'string' },
  { name: 'month_mismatch', kind: 'boolean', required: true },
  { name: 'dow_mismatch', kind: 'boolean', required: true },
  { name: 'dataset_year_mismatch', kind: 'boolean', required: true },
  { name: 'victims_juvenile', kind: 'int32' },
  { name: 'victims_adult', kind: 'int32' },
  { name: 'victims_total', kind: 'int32' },
  { name: 'offenders_juvenile', kind: 'int32' },
  { name: 'offenders_adult', kind: 'int32' },
  { name: 'offenders_total', kind: 'int32' },
  { name: 'offender_count_known', kind: 'boolean', required: true },
  { name: 'has_juvenile_offender', kind: 'boolean' },
  { name: 'offender_race', kind: 'string', required: true },
  { name: 'offender_ethnicity', kind: 'string', required: true },
  { name: 'offenses', kind: 'strings' },
  { name: 'offense_codes', kind: 'strings' },
  { name: 'crimes_against', kind: 'strings' },
  { name: 'offense_group', kind: 'string', required: true },
  { name: 'location', kind: 'string' },
  { name: 'biases', kind: 'strings' },
  { name: 'bias_codes', kind: 'strings' },
  { name: 'bias_categories', kind: 'strings' },
  { name: 'bias_category', kind: 'string', required: true },
  { name: 'multiple_bias', kind: 'boolean', required: true },
  { name: 'zip_code', kind: 'string' },
  { name: 'zip_valid', kind: 'boolean', required: true },
  { name: 'sector', kind: 'string' },
  { name: 'council_district', kind: 'int32' },
  { name: 'raw_offenses', kind: 'string', required: true },
  { name: 'raw_location', kind: 'string', required: true },
  { name: 'raw_bias', kind: 'string', required: true },
  { name: 'raw_race_ethnicity', kind: 'string', required: true },
  { name: 'quality_flags', kind: 'strings' },
  { name: 'source_file', kind: 'string' },
  { name: 'source_row', kind: 'int64' },
  { name: 'kafka_topic', kind: 'string' },
  { name: 'kafka_partition', kind: 'int32' },
  { name: 'kafka_offset', kind: 'int64' },
  { name: 'ingested_at', kind: 'timestamp', required: true },
]

const PRIMITIVE = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  int32: { type: 'INT32' },
  int64: { type: 'INT64' },
  boolean: { type: 'BOOLEAN' },
  date: { type: 'INT32', converted_type: 'DATE' },
  timestamp: {
    type: 'INT64',
    converted_type: 'TIMESTAMP_MICROS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
  },
} as const

function schemaOf(column: Column): object[] {
  const repetition_type = column.required ? 'REQUIRED' : 'OPTIONAL'
  if (column.kind !== 'strings') return [{ name: column.name, repetition_type, ...PRIMITIVE[column.kind] }]
  return [
    { name: column.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: 'OPTIONAL', ...PRIMITIVE.string },
  ]
}

const SCHEMA = [
  { name: 'root', num_children: LAKE_COLUMNS.length },
  ...LAKE_COLUMNS.flatMap(schemaOf),
]

const DAY_MS = 86_400_000

/** `YYYY-MM-DD` to the Parquet DATE value, without parsing the string as a Date. */
function daysSinceEpoch(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS
}

function valuesOf(column: Column, records: readonly Omit<IncidentRecord, 'year' | 'month'>[]): unknown[] {
  const values = records.map((record) => record[column.name])
  if (column.kind === 'date') return values.map((value) => daysSinceEpoch(value as string))
  if (column.kind === 'int64') return values.map((value) => (value === null ? null : BigInt(value as string | number)))
  return values
}

/**
 * Encodes records as one zstd-compressed Parquet file with DATE and TIMESTAMP(MICROS) columns.
 *
 * @example
 * await store.put(key, encodeParquet(records))
 */
export function encodeParquet(records: readonly Omit<IncidentRecord, 'year' | 'month'>[], rowGroupSize = 100_000): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: LAKE_COLUMNS.map((column) => ({ name: column.name, data: valuesOf(column, records) as never })),
    schema: SCHEMA as never,
    codec: 'ZSTD',
    compressors: { ZSTD: (bytes: Uint8Array) => new Uint8Array(zstdCompressSync(bytes)) },
    rowGroupSize,
    createdBy: 'hatecrimes',
  })
  return new Uint8Array(buffer)
}

/**
 * Decodes a lake file back into records as the pipeline makes them: dates as `YYYY-MM-DD`,
 * `ingested_at` as microseconds (bigint), `source_row` as a number and `kafka_offset` as a string.
 * `year` and `month` are not in the file: they come from its partition folder.
 *
 * @example
 * const rows = await decodeParquet(await store.get(key))
 */
export async function decodeParquet(bytes: Uint8Array): Promise<Omit<IncidentRecord, 'year' | 'month'>[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  const rows = await parquetReadObjects({
    file,
    compressors: { ZSTD: (input: Uint8Array) => new Uint8Array(zstdDecompressSync(input)) },
    parsers: {
      dateFromDays: (days: number) => new Date(days * DAY_MS).toISOString().slice(0, 10),
      timestampFromMicroseconds: (micros: bigint) => micros,
    },
  })
  for (const row of rows) {
    if (row.source_row !== null) row.source_row = Number(row.source_row)
    if (row.kafka_offset !== null) row.kafka_offset = String(row.kafka_offset)
  }
  return rows as Omit<IncidentRecord, 'year' | 'month'>[]
}
