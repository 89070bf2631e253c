import type { PackedColumn } from './column-pack.ts'
import { LAKE_COLUMNS } from './lake-columns.ts'
import { LAKE_SCHEMA, type SchemaNode } from './parquet-file.ts'
import { writeColumnChunk, type ChunkMeta } from './parquet-column.ts'
import { ByteSink } from './byte-sink.ts'
import { ThriftWriter } from './thrift-compact.ts'

/**
 * A lake file from packed columns: `PAR1`, row groups of column chunks (parquet-column.ts), then
 * the footer (FileMetaData in Thrift compact form), its length and `PAR1` again. The schema, the
 * column order and every column's encoding come from LAKE_SCHEMA and LAKE_COLUMNS.
 */

const MAGIC = Uint8Array.of(0x50, 0x41, 0x52, 0x31)
const TYPE = { BOOLEAN: 0, INT32: 1, INT64: 2, BYTE_ARRAY: 6 } as const
const REPETITION = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const
const CONVERTED = { UTF8: 0, LIST: 3, DATE: 6, TIMESTAMP_MICROS: 10 } as const
const PAGE = { dictionary: 2, dataV2: 3 }

// Every file's footer names the same schema nodes, column paths and writer: each name is encoded once.
const nameBytes = new Map<string, Uint8Array>()
const encoded = (name: string) => nameBytes.get(name) ?? nameBytes.set(name, new TextEncoder().encode(name)).get(name)!

interface RowGroup {
  chunks: ChunkMeta[]
  rows: number
  offset: number
  compressed: number
}

/**
 * Encodes packed lake columns (in LAKE_COLUMNS order) of `rows` rows as one Parquet file (zstd, but
 * for its smallest column chunks: parquet-column.ts).
 *
 * @example
 * const bytes = encodePacked(builder.done(), builder.rows)
 */
export function encodePacked(columns: readonly PackedColumn[], rows: number, rowGroupSize = 100_000): Uint8Array {
  if (columns.length !== LAKE_COLUMNS.length) throw new Error(`Expected ${LAKE_COLUMNS.length} packed columns (one per lake column), found ${columns.length}`)
  const file = new ByteSink(Math.max(1 << 16, rows * 48))
  file.append(MAGIC)
  const groups: RowGroup[] = []
  for (let from = 0; from < rows; from += rowGroupSize) {
    const to = Math.min(rows, from + rowGroupSize)
    const offset = file.length
    const chunks = LAKE_COLUMNS.map((column, index) => writeColumnChunk(file, column, columns[index], from, to))
    groups.push({ chunks, rows: to - from, offset, compressed: file.length - offset })
  }
  const footerStart = file.length
  writeFooter(new ThriftWriter(file), groups, rows)
  const footerLength = file.length - footerStart
  file.ensure(4)
  file.view.setUint32(file.length, footerLength, true)
  file.length += 4
  file.append(MAGIC)
  return file.bytes().slice()
}

function writeSchemaNode(thrift: ThriftWriter, node: SchemaNode): void {
  thrift.item()
  thrift.i32(1, node.type && TYPE[node.type]).i32(3, node.repetition && REPETITION[node.repetition]).binary(4, encoded(node.name))
  thrift.i32(5, node.children).i32(6, node.converted && CONVERTED[node.converted])
  // LogicalType.TIMESTAMP (8) { isAdjustedToUTC (1), unit (2): TimeUnit.MICROS (2) }
  if (node.converted === 'TIMESTAMP_MICROS') thrift.begin(10).begin(8).bool(1, true).begin(2).begin(2).end().end().end().end()
  thrift.end()
}

function writeChunk(thrift: ThriftWriter, chunk: ChunkMeta): void {
  const { leaf, statistics } = chunk
  thrift.item().i64(2, chunk.fileOffset).begin(3).i32(1, TYPE[leaf.type])
  thrift.list(2, 'i32', chunk.encodings.length)
  for (const encoding of chunk.encodings) thrift.integer(encoding)
  thrift.list(3, 'binary', leaf.path.length)
  for (const name of leaf.path) thrift.binaryValue(encoded(name))
  thrift.i32(4, chunk.codec).i64(5, chunk.values).i64(6, chunk.uncompressed).i64(7, chunk.compressed)
  thrift.i64(9, chunk.dataPageOffset).i64(11, chunk.dictionaryPageOffset)
  thrift.begin(12).i64(3, statistics.nullCount).binary(5, statistics.max).binary(6, statistics.min)
  thrift.bool(7, statistics.maxExact).bool(8, statistics.minExact).end()
  const dictionary = chunk.dictionaryPageOffset !== undefined
  thrift.list(13, 'struct', dictionary ? 2 : 1)
  if (dictionary) thrift.item().i32(1, PAGE.dictionary).i32(2, chunk.encodings[0]).i32(3, 1).end()
  thrift.item().i32(1, PAGE.dataV2).i32(2, chunk.encodings.at(-1)!).i32(3, 1).end()
  thrift.end().end()
}

function writeFooter(thrift: ThriftWriter, groups: readonly RowGroup[], rows: number): void {
  thrift.i32(1, 2).list(2, 'struct', LAKE_SCHEMA.length)
  for (const node of LAKE_SCHEMA) writeSchemaNode(thrift, node)
  thrift.i64(3, rows).list(4, 'struct', groups.length)
  for (const group of groups) {
    thrift.item().list(1, 'struct', group.chunks.length)
    for (const chunk of group.chunks) writeChunk(thrift, chunk)
    const uncompressed = group.chunks.reduce((sum, chunk) => sum + chunk.uncompressed, 0)
    thrift.i64(2, uncompressed).i64(3, group.rows).i64(5, group.offset).i64(6, group.compressed).end()
  }
  thrift.binary(6, encoded('hatecrimes'))
  // ColumnOrder.TYPE_ORDER for every leaf: statistics follow each type's own order (UTF-8 bytes for text).
  const leaves = LAKE_SCHEMA.filter((node) => node.type).length
  thrift.list(7, 'struct', leaves)
  for (let i = 0; i < leaves; i++) thrift.item().begin(1).end().end()
  thrift.end()
}
