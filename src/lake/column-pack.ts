import { GrowingArray, type Numeric } from './column-arrays.ts'
import { encodePacked } from './parquet-encode.ts'
import { LAKE_COLUMNS, lakeValues, type LakeRecord } from './lake-columns.ts'
import { BigintColumn, NumberColumn, PlainColumn } from './column-values.ts'

/**
 * Records as lake columns, built a record at a time while a file fills. Records held until their
 * file is full outlive V8's young generation and become old-generation garbage, the main cost of
 * garbage collection on a long run; laid out as columns at once, each record dies young. Most cells
 * repeat (vocabulary texts, lists shared through the transform's memos), so each text or list column
 * keeps its distinct values and a typed array of indexes into them (-1 for null), and numbers go in
 * typed arrays, which the collector does not trace (drawn from a pool, column-arrays.ts). parquet-encode.ts
 * writes the packed columns as they are: the distinct values become dictionaries and statistics.
 */

/** One packed lake column, in the order of LAKE_COLUMNS. */
export type PackedColumn =
  | { form: 'texts'; distinct: string[]; indexes: Int32Array }
  | { form: 'lists'; distinct: (readonly string[])[]; indexes: Int32Array }
  | { form: 'numbers'; values: Float64Array }
  | { form: 'bigints'; values: BigInt64Array }
  | { form: 'plain'; bytes: Uint8Array; ends: Int32Array }

/**
 * Encodes a builder's packed columns as a Parquet file of `rows` rows somewhere else (EncodeThread),
 * and gives their arrays back to the pool (giveBack) once it no longer reads them.
 */
export type Encoder = (columns: PackedColumn[], rows: number) => Promise<Uint8Array>

/**
 * The typed arrays of packed columns, each once: what moves with them to another thread.
 *
 * @example
 * worker.postMessage(columns, columnArrays(columns).map((array) => array.buffer))
 */
export function columnArrays(columns: readonly PackedColumn[]): Numeric[] {
  return columns.flatMap((column): Numeric[] => {
    if (column.form === 'numbers' || column.form === 'bigints') return [column.values]
    return column.form === 'plain' ? [column.bytes, column.ends] : [column.indexes]
  })
}

// Lists are matched by identity first (the memos share them), then by content (`quality_flags` is
// built per row): a list of one (most flag lists) by its element, a longer one by its JSON, which
// keeps null and '' apart and any text whole; the length check keeps a list of one apart from a
// longer list whose JSON is its element. Only the first list of
// each content is remembered by identity: a list built per row would otherwise be kept until the
// file is written. Empty lists, the commonest, skip both lookups.
// A text column whose values are nearly all distinct (identifiers) stops looking them up once that
// is clear: the map would only hold every row's text, and the file stores such a column PLAIN.
const UNIQUE_AFTER = 4096

class DistinctColumn {
  /** Whether it holds lists of texts rather than texts. */
  private readonly lists: boolean
  private readonly indexes = new GrowingArray(Int32Array)
  private byValue: Map<unknown, number> | undefined = new Map()
  private readonly byText = new Map<string, number>()
  private readonly distinct: unknown[] = []
  private emptyIndex = -1
  /** The index of the list [null] (an unmapped code's), which has no element to be looked up by. */
  private nullIndex = -1
  // Neighbouring rows often share a value (the source, the file, a month's labels): checking the
  // previous one first spares most map lookups.
  private previous: unknown = null
  private previousIndex = -1

  constructor(lists: boolean) {
    this.lists = lists
  }

  add(value: unknown): void {
    // undefined too: hyparquet reads a null list back as undefined, and compaction writes what it read.
    let index = value == null ? -1 : value === this.previous ? this.previousIndex : this.byValue?.get(value)
    if (index === undefined) index = this.lists ? this.listIndex(value as readonly string[]) : this.textIndex(value)
    this.previous = value
    this.previousIndex = index
    const { indexes } = this
    const array = indexes.length < indexes.array.length ? indexes.array : indexes.grow()
    array[indexes.length++] = index
    if (indexes.length === UNIQUE_AFTER && !this.lists && this.distinct.length * 10 > UNIQUE_AFTER * 9) this.byValue = undefined
  }

  private textIndex(value: unknown): number {
    const index = this.distinct.push(value) - 1
    if (!this.byValue) return index
    this.byValue.set(value, index)
    return index
  }

  private listIndex(list: readonly (string | null)[]): number {
    if (!list.length && this.emptyIndex >= 0) return this.emptyIndex
    if (list.length === 1 && list[0] == null) return this.nullIndex >= 0 ? this.nullIndex : (this.nullIndex = this.added(list))
    const text = list.length === 1 ? (list[0] as string) : JSON.stringify(list)
    let index = this.byText.get(text)
    if (index === undefined || (this.distinct[index] as readonly string[]).length !== list.length) {
      this.byText.set(text, (index = this.added(list)))
      if (!list.length) this.emptyIndex = index
    }
    return index
  }

  /** A list's index as a new distinct value, remembered by identity. */
  private added(list: readonly (string | null)[]): number {
    const index = this.distinct.push(list) - 1
    this.byValue!.set(list, index)
    return index
  }

  done(): PackedColumn {
    const column = { distinct: this.distinct, indexes: this.indexes.view() }
    return this.lists ? { form: 'lists', ...(column as { distinct: string[][]; indexes: Int32Array }) } : { form: 'texts', ...(column as { distinct: string[]; indexes: Int32Array }) }
  }

  release(): void {
    this.indexes.release()
  }
}

/**
 * Lake columns built a record at a time; `encode` writes them as a Parquet file and returns their
 * arrays to the pool, `done` gives them packed (views of arrays the builder keeps). The
 * `kafka_offset` column (an int64 that may pass 2^53) goes as bigints, as `ingested_at` does; a
 * column of identifiers (`incident_id`) as UTF-8 bytes.
 *
 * @example
 * const builder = new ColumnBuilder()
 * for (const record of records) builder.add(record)
 * const bytes = builder.encode()
 */
export class ColumnBuilder {
  rows = 0
  private readonly columns = LAKE_COLUMNS.map(({ name, kind, unique }) => {
    if (unique) return new PlainColumn()
    if (kind === 'string' || kind === 'strings') return new DistinctColumn(kind === 'strings')
    if (kind === 'timestamp' || name === 'kafka_offset') return new BigintColumn()
    return new NumberColumn(kind === 'date')
  })
  // The columns of each class, and where their values stand in LAKE_COLUMNS: a loop per class keeps
  // each `add` call to one class, which V8 inlines; one loop over all four classes could not.
  private readonly distinct = ofClass(this.columns, DistinctColumn)
  private readonly numbers = ofClass(this.columns, NumberColumn)
  private readonly bigints = ofClass(this.columns, BigintColumn)
  private readonly plain = ofClass(this.columns, PlainColumn)
  /** The record being added, as lakeValues lays it out (one array for every record). */
  private readonly values: unknown[] = new Array(LAKE_COLUMNS.length).fill(null)

  add(record: LakeRecord): void {
    const values = lakeValues(record, this.values)
    const { distinct, numbers, bigints, plain } = this
    for (let i = 0; i < distinct.columns.length; i++) distinct.columns[i].add(values[distinct.at[i]])
    for (let i = 0; i < numbers.columns.length; i++) numbers.columns[i].add(values[numbers.at[i]] as number | null)
    for (let i = 0; i < bigints.columns.length; i++) bigints.columns[i].add(values[bigints.at[i]] as bigint | null)
    for (let i = 0; i < plain.columns.length; i++) plain.columns[i].add(values[plain.at[i]] as string | null)
    this.rows++
  }

  done(): PackedColumn[] {
    return this.columns.map((column) => column.done())
  }

  /** The file of the rows added, in row groups of `rowGroupSize`; the builder takes no more rows after it. */
  encode(rowGroupSize?: number): Uint8Array {
    const bytes = encodePacked(this.done(), this.rows, rowGroupSize)
    for (const column of this.columns) column.release()
    return bytes
  }
}

/** The columns of one class among `columns`, with their places in it. */
function ofClass<T>(columns: readonly unknown[], kind: new (...args: never[]) => T): { columns: T[]; at: Int32Array } {
  const at = columns.flatMap((column, index) => (column instanceof kind ? [index] : []))
  return { columns: at.map((index) => columns[index] as T), at: Int32Array.from(at) }
}
