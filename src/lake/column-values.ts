import type { PackedColumn } from './column-pack.ts'
import { utf8Into } from './byte-sink.ts'
import { GrowingArray } from './column-arrays.ts'
import { daysSinceEpoch } from './parquet-file.ts'
import { NULL_BIGINT } from './parquet-number-leaf.ts'

/**
 * The lake columns whose values go straight into typed arrays as records come (column-pack.ts
 * builds the rest, texts and lists, as distinct values): numbers, booleans and dates; int64s that may
 * pass 2^53 as bigints; and identifiers as UTF-8 bytes. Typed arrays are drawn from a pool and not
 * traced by the garbage collector, and no value outlives its record as a JS object.
 */

/** Numbers, booleans and dates (as days since the epoch), NaN for null: no such value is NaN. */
export class NumberColumn {
  /** Whether its values are `YYYY-MM-DD` dates, held as days since the epoch. */
  private readonly dates: boolean
  private readonly values = new GrowingArray(Float64Array)

  constructor(dates: boolean) {
    this.dates = dates
  }

  add(value: number | boolean | string | null): void {
    const { values } = this
    const array = values.length < values.array.length ? values.array : values.grow()
    array[values.length++] = value === null ? NaN : this.dates ? this.days(value as string) : Number(value)
  }

  // Rows come mostly in date order: the previous row's date is usually this one's too.
  private lastDate = ''
  private lastDays = NaN
  private days(iso: string): number {
    if (iso !== this.lastDate) [this.lastDate, this.lastDays] = [iso, daysSinceEpoch(iso)]
    return this.lastDays
  }

  done(): PackedColumn {
    return { form: 'numbers', values: this.values.view() }
  }

  release(): void {
    this.values.release()
  }
}

/** Int64s that may pass 2^53 (`kafka_offset`, `ingested_at`), NULL_BIGINT for null. */
export class BigintColumn {
  private readonly values = new GrowingArray(BigInt64Array)

  add(value: bigint | null): void {
    const { values } = this
    const array = values.length < values.array.length ? values.array : values.grow()
    array[values.length++] = value ?? NULL_BIGINT
  }

  done(): PackedColumn {
    return { form: 'bigints', values: this.values.view() }
  }

  release(): void {
    this.values.release()
  }
}

/**
 * A text column of identifiers (`incident_id`): the values' UTF-8 bytes one after another, and
 * where each row's bytes end (-1 for null). Nearly every value differs, so a dictionary would only hold every row's
 * text until the file is written, each looked up in a map; here no string outlives its record. The
 * file stores such a column PLAIN, as it stored identifiers before.
 */
export class PlainColumn {
  private readonly bytes = new GrowingArray(Uint8Array)
  private readonly ends = new GrowingArray(Int32Array)

  add(value: string | null | undefined): void {
    const { ends, bytes } = this
    const endsArray = ends.length < ends.array.length ? ends.array : ends.grow()
    if (value == null) {
      endsArray[ends.length++] = -1
      return
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    while (bytes.length + 3 * value.length > bytes.array.length) bytes.grow()
    bytes.length = utf8Into(bytes.array, bytes.length, value)
    endsArray[ends.length++] = bytes.length
  }

  done(): PackedColumn {
    return { form: 'plain', bytes: this.bytes.view(), ends: this.ends.view() }
  }

  release(): void {
    this.bytes.release()
    this.ends.release()
  }
}
