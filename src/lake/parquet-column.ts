import { zstdCompressSync } from 'node:zlib'
import type { PackedColumn } from './column-pack.ts'
import type { LakeColumn } from './parquet-file.ts'
import { bitWidth, writeHybrid } from './rle-hybrid.ts'
import { numberStatistics, type Statistics } from './parquet-statistics.ts'
import { ByteSink } from './byte-sink.ts'
import { ThriftWriter } from './thrift-compact.ts'
import { listLeaf, textLeaf } from './parquet-text-leaf.ts'

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
const SMALL_CHUNK = 512
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
  const content = packed.form === 'lists' ? listLeaf(packed, from, to, body, dictionary) : packed.form === 'texts' ? textLeaf(leaf, packed, from, to, body, dictionary) : numberLeaf(leaf, packed, from, to)
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

const TWO_32 = 2 ** 32

// Orders the int64 values i and j of a little-endian Int32Array view of them.
function compareHalves(halves: Int32Array, i: number, j: number): number {
  return halves[2 * i + 1] - halves[2 * j + 1] || (halves[2 * i] >>> 0) - (halves[2 * j] >>> 0)
}

// Numbers (NaN for null) and bigints, PLAIN: booleans bit-packed, int32 and int64 little-endian.
// An int64 held as a number is written as two 32-bit halves, without a BigInt per value.
function numberLeaf(leaf: Leaf, packed: PackedColumn & { form: 'numbers' | 'bigints' }, from: number, to: number): PageContent {
  const rows = to - from
  if (packed.form === 'bigints') {
    // Compared as 32-bit halves (signed high, unsigned low): reading a BigInt64Array element makes a BigInt.
    const values = packed.values.subarray(from, to)
    const halves = new Int32Array(values.buffer, values.byteOffset, rows * 2)
    let [min, max] = [0, 0]
    for (let i = 1; i < rows; i++) {
      if (compareHalves(halves, i, min) < 0) min = i
      else if (compareHalves(halves, i, max) > 0) max = i
    }
    body.append(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    return { values: rows, nulls: 0, definitions: flatDefinitions(leaf, rows, () => true), statistics: rows ? numberStatistics('INT64', values[min], values[max], 0) : { nullCount: 0 } }
  }
  const values = packed.values.subarray(from, to)
  let [min, max, nulls] = [Infinity, -Infinity, 0]
  const size = leaf.type === 'INT32' ? 4 : leaf.type === 'INT64' ? 8 : 0
  body.ensure(size ? rows * size : (rows + 7) >> 3)
  const { view, buffer } = body
  let at = body.length
  let bit = 0
  for (let i = 0; i < rows; i++) {
    const value = values[i]
    if (Number.isNaN(value)) {
      nulls++
      continue
    }
    if (value < min) min = value
    if (value > max) max = value
    if (size === 4) view.setInt32(at, value, true)
    else if (size === 8) {
      const high = Math.floor(value / TWO_32)
      view.setUint32(at, value - high * TWO_32, true)
      view.setInt32(at + 4, high, true)
    } else {
      if (bit === 0) buffer[at] = 0
      buffer[at] |= value << bit
      if (++bit === 8) [bit, at] = [0, at + 1]
      continue
    }
    at += size
  }
  body.length = at + (bit ? 1 : 0)
  const statistics = nulls === rows ? { nullCount: nulls } : numberStatistics(leaf.type as 'INT32', min, max, nulls)
  return { values: rows, nulls, definitions: flatDefinitions(leaf, rows, (i) => !Number.isNaN(values[i])), statistics }
}
