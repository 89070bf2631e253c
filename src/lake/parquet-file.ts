import { parquetReadObjects } from 'hyparquet'
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib'
import { ColumnBuilder } from './column-pack.ts'
import { LAKE_COLUMNS, type LakeColumn, type LakeRecord } from './lake-columns.ts'

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
export async function decodeParquet(bytes: Uint8Array): Promise<LakeRecord[]> {
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
  return rows as LakeRecord[]
}
