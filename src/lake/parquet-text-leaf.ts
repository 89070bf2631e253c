import type { PackedColumn } from './column-pack.ts'
import { flatDefinitions, type Leaf, type PageContent } from './parquet-column.ts'
import { bitWidth, writeHybrid } from './rle-hybrid.ts'
import { textStatistics } from './parquet-statistics.ts'
import type { ByteSink } from './byte-sink.ts'

/**
 * The values of text and list columns, laid out from the packed column's distinct values: the
 * builder has already interned them, so the dictionary and the statistics come from the distinct
 * values and each row costs an index, never a string comparison or a hash lookup. A column keeps its
 * dictionary when at most half as many distinct values as values, PLAIN otherwise (identifiers).
 */

const worthDictionary = (distinct: number, values: number) => distinct > 0 && distinct * 2 <= values

// A dictionary page body's indexes: their bit width in one byte, then the hybrid encoding.
function writeIndexes(body: ByteSink, ids: Int32Array, count: number): void {
  let max = 0
  for (let i = 0; i < count; i++) if (ids[i] > max) max = ids[i]
  const width = bitWidth(max)
  body.byte(width)
  writeHybrid(body, ids, count, width)
}

/**
 * Rows [from, to) of a text column.
 *
 * @example
 * textLeaf(leaf, packed, 0, rows, body, dictionary).dictionary // distinct values, when a dictionary page was laid out
 */
export function textLeaf(leaf: Leaf, packed: PackedColumn & { form: 'texts' }, from: number, to: number, body: ByteSink, dictionary: ByteSink): PageContent {
  const { distinct } = packed
  const indexes = packed.indexes.subarray(from, to)
  const rows = indexes.length
  const used = new Uint8Array(distinct.length)
  let nulls = 0
  let usedCount = 0
  // Indexed loops: for...of over a typed array allocates an iterator result per element here.
  for (let i = 0; i < rows; i++) {
    if (indexes[i] < 0) nulls++
    else if (!used[indexes[i]]) [used[indexes[i]], usedCount] = [1, usedCount + 1]
  }
  const present = rows - nulls
  const definitions = flatDefinitions(leaf, rows, (i) => indexes[i] >= 0)
  const statistics = textStatistics(usedCount === distinct.length ? distinct : distinct.filter((_, i) => used[i] === 1), nulls)
  const worth = worthDictionary(distinct.length, present)
  if (worth) for (const text of distinct) dictionary.lengthPrefixed(text)
  writeTextValues(body, distinct, indexes, present, worth)
  return { values: rows, nulls, definitions, statistics, dictionary: worth ? distinct.length : undefined }
}

/**
 * A text page's values: indexes into the dictionary, or the texts themselves (PLAIN); null rows
 * (index -1) have none. Kept out of textLeaf, with its branches on what only some columns have
 * (nulls, no dictionary): in a V8 trace of an ingest, textLeaf's optimised code was thrown away and
 * rebuilt about 50 times as a column with nulls came after columns without.
 */
function writeTextValues(body: ByteSink, distinct: readonly string[], indexes: Int32Array, present: number, dictionary: boolean): void {
  const rows = indexes.length
  if (!dictionary) {
    for (let i = 0; i < rows; i++) if (indexes[i] >= 0) body.lengthPrefixed(distinct[indexes[i]])
    return
  }
  let ids = indexes
  if (present < rows) {
    ids = new Int32Array(present)
    for (let i = 0, k = 0; i < rows; i++) if (indexes[i] >= 0) ids[k++] = indexes[i]
  }
  writeIndexes(body, ids, present)
}

/**
 * Rows [from, to) of a list column as its leaf `element`: one entry per element, one for an empty
 * list (definition 1) and one for a null list (definition 0); repetition 1 marks an element that
 * continues its row's list.
 *
 * @example
 * listLeaf(packed, 0, rows, body, dictionary).repetitions
 */
export function listLeaf(packed: PackedColumn & { form: 'lists' }, from: number, to: number, body: ByteSink, dictionary: ByteSink): PageContent {
  const indexes = packed.indexes.subarray(from, to)
  // Each distinct list used becomes its elements' ids in a dictionary of element texts.
  const elementIds = new Map<string, number>()
  const texts: string[] = []
  const listIds: (Int32Array | undefined)[] = new Array(packed.distinct.length)
  let entries = 0
  let elements = 0
  for (let i = 0; i < indexes.length; i++) {
    const index = indexes[i]
    if (index < 0) {
      entries++
      continue
    }
    let ids = listIds[index]
    if (ids === undefined) {
      const list = packed.distinct[index]
      ids = listIds[index] = new Int32Array(list.length)
      for (let k = 0; k < list.length; k++) {
        const text = list[k]
        let id = text === null ? -1 : elementIds.get(text)
        if (id === undefined) elementIds.set(text, (id = texts.push(text) - 1))
        ids[k] = id
      }
    }
    entries += ids.length || 1
    elements += ids.length
  }
  const repetitions = new Uint8Array(entries)
  const definitions = new Uint8Array(entries)
  const present = new Int32Array(elements)
  let entry = 0
  let count = 0
  for (let i = 0; i < indexes.length; i++) {
    const index = indexes[i]
    const ids = index < 0 ? undefined : listIds[index]!
    if (!ids?.length) {
      definitions[entry++] = ids ? 1 : 0
      continue
    }
    for (let k = 0; k < ids.length; k++) {
      repetitions[entry] = k === 0 ? 0 : 1
      definitions[entry++] = ids[k] < 0 ? 2 : 3
      if (ids[k] >= 0) present[count++] = ids[k]
    }
  }
  const nulls = entries - count
  const content = { values: entries, nulls, definitions, repetitions, statistics: textStatistics(texts, nulls) }
  if (!worthDictionary(texts.length, count)) {
    for (let i = 0; i < count; i++) body.lengthPrefixed(texts[present[i]])
    return content
  }
  for (const text of texts) dictionary.lengthPrefixed(text)
  writeIndexes(body, present, count)
  return { ...content, dictionary: texts.length }
}

const decoder = new TextDecoder()

// Orders the byte ranges [a, aEnd) and [b, bEnd) of `bytes` as Parquet orders texts (unsigned bytes).
function compareBytes(bytes: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): number {
  for (; a < aEnd && b < bEnd; a++, b++) if (bytes[a] !== bytes[b]) return bytes[a] - bytes[b]
  return aEnd - a - (bEnd - b)
}

// Where row `row`'s bytes start: the end of the last row before it that is not null.
function startOf(ends: Int32Array, row: number): number {
  for (let i = row - 1; i >= 0; i--) if (ends[i] >= 0) return ends[i]
  return 0
}

/**
 * Rows [from, to) of a column of identifiers held as UTF-8 bytes (column-values.ts), PLAIN: each
 * value's length, then its bytes, copied as they are. The bounds are found by comparing bytes, and
 * cut as every text column's are.
 *
 * @example
 * plainLeaf(leaf, packed, 0, rows, body).statistics // min and max incident_id
 */
export function plainLeaf(leaf: Leaf, packed: PackedColumn & { form: 'plain' }, from: number, to: number, body: ByteSink): PageContent {
  const { bytes, ends } = packed
  let start = startOf(ends, from)
  body.ensure(4 * (to - from) + startOf(ends, to) - start)
  const { buffer: out, view } = body
  let [nulls, min, minEnd, max, maxEnd] = [0, -1, -1, -1, -1]
  for (let i = from; i < to; i++) {
    const end = ends[i]
    if (end < 0) {
      nulls++
      continue
    }
    view.setInt32(body.length, end - start, true)
    body.length += 4
    for (let k = start; k < end; k++) out[body.length++] = bytes[k]
    if (min < 0 || compareBytes(bytes, start, end, min, minEnd) < 0) {
      min = start
      minEnd = end
    }
    if (max < 0 || compareBytes(bytes, start, end, max, maxEnd) > 0) {
      max = start
      maxEnd = end
    }
    start = end
  }
  const bounds = min < 0 ? [] : [decoder.decode(bytes.subarray(min, minEnd)), decoder.decode(bytes.subarray(max, maxEnd))]
  const rows = to - from
  return { values: rows, nulls, definitions: flatDefinitions(leaf, rows, (i) => ends[from + i] >= 0), statistics: textStatistics(bounds, nulls) }
}
