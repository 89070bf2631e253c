import { zstdCompressSync } from 'node:zlib'
import type { PackedColumn } from './column-pack.ts'
import type { LakeColumn } from './lake-columns.ts'
import { bitWidth, writeHybrid } from './rle-hybrid.ts'
import type { Statistics } from './parquet-statistics.ts'
import { ByteSink } from './byte-sink.ts'
import { ThriftWriter } from './thrift-compact.ts'
import { numberLeaf } from './parquet-number-leaf.ts'
import { listLeaf, plainLeaf, textLeaf } from './parquet-text-leaf.ts'

/**
 * One column chunk of a lake file, written straight from a packed column (column-pack.ts): a
 * dictionary page when the column's distinct values pay for one, then one data page (v2) with its
 * definition and repetition levels, zstd-compressed but in a chunk under SMALL_CHUNK bytes (zstd
 * saves little there at 13 µs a call, and half of an ingest's pages are that small). What is written
 * follows from the column's kind in LAKE_COLUMNS; no column has an encoder of its own.
 */

export type Physical = 'BYTE_ARRAY' | 'INT32' | 'INT64' | 'BOOLEAN'

/** The leaf a column is stored as: its path in the schema, type, and maximum levels. */
export interface Leaf {
  path: string[]
  type: Physical
  maxDefinition: number
  maxRepetition: number
}

/**
 * A column's leaf: a list is `name.list.element` (optional list, repeated group, optional element).
 *
 * @example
 * leafOf({ name: 'offenses', kind: 'strings', get }) // path offenses.list.element, levels 3 and 1
 */
export function leafOf(column: LakeColumn): Leaf {
  if (column.kind === 'strings') return { path: [column.name, 'list', 'element'], type: 'BYTE_ARRAY', maxDefinition: 3, maxRepetition: 1 }
  const type = ({ string: 'BYTE_ARRAY', int32: 'INT32', date: 'INT32', boolean: 'BOOLEAN', int64: 'INT64', timestamp: 'INT64' } as const)[column.kind]
  return { path: [column.name], type, maxDefinition: column.required ? 0 : 1, maxRepetition: 0 }
}

/** What a chunk's page holds once its values are laid out: levels in `levels`, values in `body`. */
export interface PageContent {
  values: number
  nulls: number
  definitions?: Uint8Array
  repetitions?: Uint8Array
  /** The dictionary's size when `body` holds indexes into the values `dictionary` holds. */
  dictionary?: number
  statistics: Statistics
}

/** Column chunk metadata for the footer. */
export interface ChunkMeta {
  leaf: Leaf
  codec: number
  encodings: number[]
  values: number
  uncompressed: number
  compressed: number
  fileOffset: number
  dataPageOffset: number
  dictionaryPageOffset?: number
  statistics: Statistics
}

// Scratch sinks reused for every page: encoding is synchronous, so one set per thread is enough.
const body = new ByteSink()
const dictionary = new ByteSink()
const levels = new ByteSink()
const ENCODING = { plain: 0, rle: 3, rleDictionary: 8 }
const CODEC = { uncompressed: 0, zstd: 6 }
// A column chunk of less than this (dictionary and values) is stored uncompressed: zstd gains 1.0 -
// 1.4x on such pages, and each call costs some 20 - 30 µs however small the page. An ingest's files
// are small (a flush spread over its months): at 512, zstd took a third of the time spent encoding
// them, more than half its calls on pages under 1 KiB. At 1024 the lake is 3% larger and the ingest
// 3 - 6% faster (BENCHMARKS.md).
const SMALL_CHUNK = 1024
const PAGE = { dictionary: 2, dataV2: 3 }

/**
 * Appends rows [from, to) of a packed column to `file` as one column chunk; returns its metadata.
 *
 * @example
 * const meta = writeColumnChunk(file, LAKE_COLUMNS[0], packed[0], 0, rows)
 */
export function writeColumnChunk(file: ByteSink, column: LakeColumn, packed: PackedColumn, from: number, to: number): ChunkMeta {
  const leaf = leafOf(column)
  body.reset()
  dictionary.reset()
  levels.reset()
  const content =
    packed.form === 'lists'
      ? listLeaf(packed, from, to, body, dictionary)
      : packed.form === 'texts'
        ? textLeaf(leaf, packed, from, to, body, dictionary)
        : packed.form === 'plain'
          ? plainLeaf(leaf, packed, from, to, body)
          : numberLeaf(leaf, packed, from, to, body)
  const fileOffset = file.length
  const codec = dictionary.length + body.length < SMALL_CHUNK ? CODEC.uncompressed : CODEC.zstd
  const pack = (bytes: Uint8Array) => (codec === CODEC.zstd ? zstdCompressSync(bytes) : bytes)
  let uncompressed = 0
  let dictionaryPageOffset: number | undefined
  if (content.dictionary !== undefined) {
    dictionaryPageOffset = file.length
    const packedDictionary = pack(dictionary.bytes())
    const header = file.length
    new ThriftWriter(file).i32(1, PAGE.dictionary).i32(2, dictionary.length).i32(3, packedDictionary.length).begin(7).i32(1, content.dictionary).i32(2, ENCODING.plain).end().end()
    uncompressed += file.length - header + dictionary.length
    file.append(packedDictionary)
  }
  const repetitionBytes = content.repetitions ? writeHybrid(levels, content.repetitions, content.values, bitWidth(leaf.maxRepetition)) : 0
  const definitionBytes = content.definitions ? writeHybrid(levels, content.definitions, content.values, bitWidth(leaf.maxDefinition)) : 0
  const packedBody = pack(body.bytes())
  const dataPageOffset = file.length
  new ThriftWriter(file)
    .i32(1, PAGE.dataV2)
    .i32(2, levels.length + body.length)
    .i32(3, levels.length + packedBody.length)
    .begin(8)
    .i32(1, content.values)
    .i32(2, content.nulls)
    .i32(3, to - from)
    .i32(4, content.dictionary !== undefined ? ENCODING.rleDictionary : ENCODING.plain)
    .i32(5, definitionBytes)
    .i32(6, repetitionBytes)
    .end()
    .end()
  uncompressed += file.length - dataPageOffset + levels.length + body.length
  file.append(levels.bytes())
  file.append(packedBody)
  return {
    leaf,
    codec,
    encodings: content.dictionary !== undefined ? [ENCODING.plain, ENCODING.rleDictionary] : [ENCODING.plain],
    values: content.values,
    uncompressed,
    compressed: file.length - fileOffset,
    fileOffset,
    dataPageOffset,
    dictionaryPageOffset,
    statistics: content.statistics,
  }
}

/**
 * Definition levels of a flat optional column (1 present, 0 null), or none for a required one.
 *
 * @example
 * flatDefinitions(leaf, rows, (i) => values[i] !== null)
 */
export function flatDefinitions(leaf: Leaf, rows: number, present: (row: number) => boolean): Uint8Array | undefined {
  if (!leaf.maxDefinition) return undefined
  const definitions = new Uint8Array(rows)
  for (let i = 0; i < rows; i++) definitions[i] = present(i) ? 1 : 0
  return definitions
}
