import type { ByteSink } from './byte-sink.ts'
import type { PackedColumn } from './column-pack.ts'
import { flatDefinitions, type Leaf, type PageContent } from './parquet-column.ts'
import { numberStatistics } from './parquet-statistics.ts'

/**
 * The values of number, boolean, date and bigint columns, PLAIN, from the packed column's typed
 * array: nulls (NaN in numbers, NULL_BIGINT in bigints) become definition levels and are left out
 * of the values, and the statistics are found on the way.
 */

const TWO_32 = 2 ** 32

// Orders the int64 values i and j of a little-endian Int32Array view of them.
function compareHalves(halves: Int32Array, i: number, j: number): number {
  return halves[2 * i + 1] - halves[2 * j + 1] || (halves[2 * i] >>> 0) - (halves[2 * j] >>> 0)
}

/** What a bigint column holds for null (column-values.ts): no Kafka offset or timestamp is -2^63. */
export const NULL_BIGINT = -(2n ** 63n)
// Its high half (its low half is 0).
const NULL_HIGH = Number(NULL_BIGINT >> 32n)

// Bigints (NULL_BIGINT for null), PLAIN little-endian. Compared and copied as 32-bit halves (signed
// high, unsigned low): reading a BigInt64Array element makes a BigInt.
function bigintLeaf(leaf: Leaf, values: BigInt64Array, body: ByteSink): PageContent {
  const rows = values.length
  const halves = new Int32Array(values.buffer, values.byteOffset, rows * 2)
  const present = (i: number) => halves[2 * i + 1] !== NULL_HIGH || halves[2 * i] !== 0
  let [min, max, nulls] = [-1, -1, 0]
  for (let i = 0; i < rows; i++) {
    if (!present(i)) nulls++
    else if (min < 0) min = max = i
    else if (compareHalves(halves, i, min) < 0) min = i
    else if (compareHalves(halves, i, max) > 0) max = i
  }
  if (!nulls) body.append(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
  else {
    body.ensure((rows - nulls) * 8)
    for (let i = 0; i < rows; i++) {
      if (!present(i)) continue
      body.view.setInt32(body.length, halves[2 * i], true)
      body.view.setInt32(body.length + 4, halves[2 * i + 1], true)
      body.length += 8
    }
  }
  const statistics = min < 0 ? { nullCount: nulls } : numberStatistics('INT64', values[min], values[max], nulls)
  return { values: rows, nulls, definitions: flatDefinitions(leaf, rows, present), statistics }
}

/**
 * Rows [from, to) of a number or bigint column into `body`: booleans bit-packed, int32 and int64
 * little-endian. An int64 held as a number is written as two 32-bit halves, without a BigInt per value.
 *
 * @example
 * numberLeaf(leaf, packed, 0, rows, body).statistics // { min, max, nullCount }
 */
export function numberLeaf(leaf: Leaf, packed: PackedColumn & { form: 'numbers' | 'bigints' }, from: number, to: number, body: ByteSink): PageContent {
  if (packed.form === 'bigints') return bigintLeaf(leaf, packed.values.subarray(from, to), body)
  const rows = to - from
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
