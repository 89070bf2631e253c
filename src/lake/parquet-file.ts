import { parquetReadObjects } from 'hyparquet'
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib'
import type { IncidentRecord } from '../core/record.ts'
import { ColumnBuilder } from './column-pack.ts'

type Kind = 'string' | 'int32' | 'int64' | 'boolean' | 'date' | 'timestamp' | 'strings'
/** A record as a lake file holds it: `year` and `month` are its partition folders. */
export type LakeRecord = Omit<IncidentRecord, 'year' | 'month'>
type Name = keyof LakeRecord
/** `get` reads the column's field with a plain property access, which V8 keeps fast per column. */
export type LakeColumn = { name: Name; kind: Kind; required?: boolean; get: (record: LakeRecord) => unknown }

/**
 * The columns of the lake's files, in order. Lists are Parquet LISTs; Spark, DuckDB and pandas read
 * them as arrays. `year` and `month` are not among them: they are the Hive partition folders
 * (`year=2017/month=03`), and Spark and pyarrow refuse a partition column that the files repeat.
 */
export const LAKE_COLUMNS: readonly LakeColumn[] = [
  { name: 'source', kind: 'string', required: true, get: (r) => r.source },
  { name: 'agency_ori', kind: 'string', get: (r) => r.agency_ori },
  { name: 'agency_name', kind: 'string', get: (r) => r.agency_name },
  { name: 'agency_type', kind: 'string', get: (r) => r.agency_type },
  { name: 'city', kind: 'string', get: (r) => r.city },
  { name: 'state', kind: 'string', get: (r) => r.state },
  { name: 'population_group', kind: 'string', get: (r) => r.population_group },
  { name: 'incident_id', kind: 'string', required: true, get: (r) => r.incident_id },
  { name: 'incident_date', kind: 'date', required: true, get: (r) => r.incident_date },
  { name: 'quarter', kind: 'int32', required: true, get: (r) => r.quarter },
  { name: 'day_of_week', kind: 'string', required: true, get: (r) => r.day_of_week },
  { name: 'dataset_year', kind: 'int32', get: (r) => r.dataset_year },
  { name: 'source_month', kind: 'string', get: (r) => r.source_month },
  { name: 'source_day_of_week', kind: 'string', get: (r) => r.source_day_of_week },
  { name: 'month_mismatch', kind: 'boolean', required: true, get: (r) => r.month_mismatch },
  { name: 'dow_mismatch', kind: 'boolean', required: true, get: (r) => r.dow_mismatch },
  { name: 'dataset_year_mismatch', kind: 'boolean', required: true, get: (r) => r.dataset_year_mismatch },
  { name: 'victims_juvenile', kind: 'int32', get: (r) => r.victims_juvenile },
  { name: 'victims_adult', kind: 'int32', get: (r) => r.victims_adult },
  { name: 'victims_total', kind: 'int32', get: (r) => r.victims_total },
  { name: 'offenders_juvenile', kind: 'int32', get: (r) => r.offenders_juvenile },
  { name: 'offenders_adult', kind: 'int32', get: (r) => r.offenders_adult },
  { name: 'offenders_total', kind: 'int32', get: (r) => r.offenders_total },
  { name: 'offender_count_known', kind: 'boolean', required: true, get: (r) => r.offender_count_known },
  { name: 'has_juvenile_offender', kind: 'boolean', get: (r) => r.has_juvenile_offender },
  { name: 'offender_race', kind: 'string', get: (r) => r.offender_race },
  { name: 'offender_ethnicity', kind: 'string', get: (r) => r.offender_ethnicity },
  { name: 'offenses', kind: 'strings', get: (r) => r.offenses },
  { name: 'offense_codes', kind: 'strings', get: (r) => r.offense_codes },
  { name: 'crimes_against', kind: 'strings', get: (r) => r.crimes_against },
  { name: 'offense_group', kind: 'string', required: true, get: (r) => r.offense_group },
  { name: 'location', kind: 'string', get: (r) => r.location },
  { name: 'biases', kind: 'strings', get: (r) => r.biases },
  { name: 'bias_codes', kind: 'strings', get: (r) => r.bias_codes },
  { name: 'bias_categories', kind: 'strings', get: (r) => r.bias_categories },
  { name: 'bias_category', kind: 'string', required: true, get: (r) => r.bias_category },
  { name: 'multiple_bias', kind: 'boolean', required: true, get: (r) => r.multiple_bias },
  { name: 'victim_types', kind: 'strings', get: (r) => r.victim_types },
  { name: 'zip_code', kind: 'string', get: (r) => r.zip_code },
  { name: 'zip_valid', kind: 'boolean', required: true, get: (r) => r.zip_valid },
  { name: 'sector', kind: 'string', get: (r) => r.sector },
  { name: 'council_district', kind: 'int32', get: (r) => r.council_district },
  { name: 'raw_offenses', kind: 'string', required: true, get: (r) => r.raw_offenses },
  { name: 'raw_location', kind: 'string', required: true, get: (r) => r.raw_location },
  { name: 'raw_bias', kind: 'string', required: true, get: (r) => r.raw_bias },
  { name: 'raw_race_ethnicity', kind: 'string', required: true, get: (r) => r.raw_race_ethnicity },
  { name: 'quality_flags', kind: 'strings', get: (r) => r.quality_flags },
  { name: 'source_file', kind: 'string', get: (r) => r.source_file },
  { name: 'source_row', kind: 'int64', get: (r) => r.source_row },
  { name: 'kafka_topic', kind: 'string', get: (r) => r.kafka_topic },
  { name: 'kafka_partition', kind: 'int32', get: (r) => r.kafka_partition },
  { name: 'kafka_offset', kind: 'int64', get: (r) => r.kafka_offset },
  { name: 'ingested_at', kind: 'timestamp', required: true, get: (r) => r.ingested_at },
]

/** A node of the file schema, as the footer lists them (depth first). */
export interface SchemaNode {
  name: string
  type?: 'BYTE_ARRAY' | 'INT32' | 'INT64' | 'BOOLEAN'
  repetition?: 'REQUIRED' | 'OPTIONAL' | 'REPEATED'
  converted?: 'UTF8' | 'LIST' | 'DATE' | 'TIMESTAMP_MICROS'
  children?: number
}

const PRIMITIVE = {
  string: { type: 'BYTE_ARRAY', converted: 'UTF8' },
  int32: { type: 'INT32' },
  int64: { type: 'INT64' },
  boolean: { type: 'BOOLEAN' },
  date: { type: 'INT32', converted: 'DATE' },
  // TIMESTAMP_MICROS also gets the logical type TIMESTAMP(isAdjustedToUTC, MICROS) in the footer.
  timestamp: { type: 'INT64', converted: 'TIMESTAMP_MICROS' },
} as const

function schemaOf(column: LakeColumn): SchemaNode[] {
  const repetition = column.required ? 'REQUIRED' : 'OPTIONAL'
  if (column.kind !== 'strings') return [{ name: column.name, repetition, ...PRIMITIVE[column.kind] }]
  return [
    { name: column.name, repetition: 'OPTIONAL', converted: 'LIST', children: 1 },
    { name: 'list', repetition: 'REPEATED', children: 1 },
    { name: 'element', repetition: 'OPTIONAL', ...PRIMITIVE.string },
  ]
}

/**
 * The lake files' schema, derived from LAKE_COLUMNS: the root, then each column (a list as three nodes).
 *
 * @example
 * LAKE_SCHEMA.filter((node) => node.type).length // the number of leaf columns a file holds
 */
export const LAKE_SCHEMA: readonly SchemaNode[] = [{ name: 'root', children: LAKE_COLUMNS.length }, ...LAKE_COLUMNS.flatMap(schemaOf)]

const DAY_MS = 86_400_000

/** The zstd codec every Parquet file of the lake is written with (hyparquet-writer's `compressors`). */
export const ZSTD_COMPRESSORS = { ZSTD: (bytes: Uint8Array) => new Uint8Array(zstdCompressSync(bytes)) }

/**
 * `YYYY-MM-DD` to the Parquet DATE value, without parsing the string as a Date.
 *
 * @example
 * daysSinceEpoch('1970-01-02') // 1
 */
export function daysSinceEpoch(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS
}

/**
 * Encodes records as one zstd-compressed Parquet file with DATE and TIMESTAMP(MICROS) columns, in
 * row groups of `rowGroupSize` rows. The sinks make the same bytes from a ColumnBuilder filled as
 * records come (`builder.encode()`).
 *
 * @example
 * await store.put(key, encodeParquet(records))
 */
export function encodeParquet(records: readonly LakeRecord[], rowGroupSize = 100_000): Uint8Array {
  const builder = new ColumnBuilder()
  for (const record of records) builder.add(record)
  return builder.encode(rowGroupSize)
}

/**
 * Decodes a lake file back into records as the pipeline makes them: dates as `YYYY-MM-DD`,
 * `ingested_at` and `kafka_offset` as bigints, `source_row` as a number.
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
  for (const row of rows) if (row.source_row !== null) row.source_row = Number(row.source_row)
  return rows as Omit<IncidentRecord, 'year' | 'month'>[]
}
