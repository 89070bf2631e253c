/**
 * The bytes of a Parquet file as it is written: a growing buffer, and the Thrift compact protocol
 * that Parquet's page headers and footer are written in (only the parts Parquet needs: i32, i64,
 * bool, binary, lists, structs). Integers are written from JS numbers: every size, offset and count
 * of a lake file is far below 2^53.
 */

const encoder = new TextEncoder()

/**
 * A byte buffer that doubles when full. One sink is reused for many pages, so encoding a file
 * allocates a few buffers instead of one per page.
 *
 * @example
 * const sink = new ByteSink()
 * sink.varint(300)
 * sink.bytes() // Uint8Array [172, 2]
 */
export class ByteSink {
  buffer: Uint8Array
  view: DataView
  length = 0

  constructor(capacity = 1 << 16) {
    this.buffer = new Uint8Array(capacity)
    this.view = new DataView(this.buffer.buffer)
  }

  /** Makes room for `more` bytes past the end. */
  ensure(more: number): void {
    if (this.length + more <= this.buffer.length) return
    let capacity = this.buffer.length * 2
    while (capacity < this.length + more) capacity *= 2
    const bigger = new Uint8Array(capacity)
    bigger.set(this.buffer.subarray(0, this.length))
    this.buffer = bigger
    this.view = new DataView(bigger.buffer)
  }

  byte(value: number): void {
    this.ensure(1)
    this.buffer[this.length++] = value
  }

  /** Unsigned LEB128; `value` is a non-negative integer below 2^53. */
  varint(value: number): void {
    this.ensure(8)
    while (value > 0x7f) {
      this.buffer[this.length++] = (value % 128) | 0x80
      value = Math.floor(value / 128)
    }
    this.buffer[this.length++] = value
  }

  /** Zigzag then varint, as Thrift writes signed integers. */
  zigzag(value: number): void {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1)
  }

  append(bytes: Uint8Array): void {
    this.ensure(bytes.length)
    this.buffer.set(bytes, this.length)
    this.length += bytes.length
  }

  /** UTF-8 of `text` with no length before it; returns its byte length. */
  utf8(text: string): number {
    this.ensure(text.length * 3)
    // Most lake texts are short and ASCII: copied here, they need no view of the buffer per text.
    const { buffer } = this
    const start = this.length
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i)
      if (code >= 0x80) {
        const { written } = encoder.encodeInto(text, buffer.subarray(start))
        this.length = start + written
        return written
      }
      buffer[start + i] = code
    }
    this.length = start + text.length
    return text.length
  }

  /** A 4-byte little-endian length, then the UTF-8 of `text`: Parquet's PLAIN BYTE_ARRAY. */
  lengthPrefixed(text: string): void {
    this.ensure(4 + text.length * 3)
    const at = this.length
    this.length += 4
    this.view.setUint32(at, this.utf8(text), true)
  }

  /** The bytes written so far (a view: valid until the next write or reset). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length)
  }

  reset(): void {
    this.length = 0
  }
}

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
