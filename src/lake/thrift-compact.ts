import type { ByteSink } from './byte-sink.ts'

/**
 * The Thrift compact protocol that Parquet's page headers and footer are written in, only the parts
 * Parquet needs: i32, i64, bool, binary, lists and structs.
 */

const encoder = new TextEncoder()
const TYPE = { true: 1, false: 2, i32: 5, i64: 6, binary: 8, list: 9, struct: 12 } as const
type ElementType = 'i32' | 'i64' | 'binary' | 'struct'

/**
 * Writes Thrift compact-protocol structs field by field. `begin` opens a struct field, `item` a
 * struct inside a list; `end` closes either. Fields must come in increasing id order within a struct.
 *
 * @example
 * const thrift = new ThriftWriter(sink)
 * thrift.i32(1, 3).begin(8).i32(1, 100).end().end() // a PageHeader with a data_page_header_v2
 */
export class ThriftWriter {
  readonly sink: ByteSink
  private last = 0
  private readonly outer: number[] = []

  constructor(sink: ByteSink) {
    this.sink = sink
  }

  private field(id: number, type: number): void {
    const delta = id - this.last
    if (delta > 0 && delta <= 15) this.sink.byte((delta << 4) | type)
    else {
      this.sink.byte(type)
      this.sink.zigzag(id)
    }
    this.last = id
  }

  i32(id: number, value: number | undefined): this {
    if (value === undefined) return this
    this.field(id, TYPE.i32)
    this.sink.zigzag(value)
    return this
  }

  i64(id: number, value: number | undefined): this {
    if (value === undefined) return this
    this.field(id, TYPE.i64)
    this.sink.zigzag(value)
    return this
  }

  bool(id: number, value: boolean | undefined): this {
    if (value !== undefined) this.field(id, value ? TYPE.true : TYPE.false)
    return this
  }

  binary(id: number, value: Uint8Array | string | undefined): this {
    if (value === undefined) return this
    this.field(id, TYPE.binary)
    this.binaryValue(value)
    return this
  }

  /** A list field's header; its `count` elements follow (`item`...`end` for structs). */
  list(id: number, type: ElementType, count: number): this {
    this.field(id, TYPE.list)
    if (count < 15) this.sink.byte((count << 4) | TYPE[type])
    else {
      this.sink.byte(0xf0 | TYPE[type])
      this.sink.varint(count)
    }
    return this
  }

  /** One element of an i32 or i64 list. */
  integer(value: number): this {
    this.sink.zigzag(value)
    return this
  }

  /** One element of a binary list, or a binary field's value. */
  binaryValue(value: Uint8Array | string): this {
    const bytes = typeof value === 'string' ? encoder.encode(value) : value
    this.sink.varint(bytes.length)
    this.sink.append(bytes)
    return this
  }

  begin(id: number): this {
    this.field(id, TYPE.struct)
    return this.item()
  }

  item(): this {
    this.outer.push(this.last)
    this.last = 0
    return this
  }

  end(): this {
    this.sink.byte(0)
    this.last = this.outer.pop() ?? 0
    return this
  }
}
