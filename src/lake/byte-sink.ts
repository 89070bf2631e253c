/**
 * The bytes of a Parquet file or page as they are written. Integers are written from JS numbers:
 * every size, offset and count of a lake file is far below 2^53.
 */

const encoder = new TextEncoder()

/**
 * Writes the UTF-8 of `text` into `target` at `at` and returns where it ends; `target` must have
 * room for 3 bytes per UTF-16 unit. Most lake texts are short and ASCII: those are copied here, with
 * no view of the target per text.
 *
 * @example
 * utf8Into(buffer, 10, 'Ida') // 13
 */
export function utf8Into(target: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0x80) return at + encoder.encodeInto(text, target.subarray(at)).written
    target[at + i] = code
  }
  return at + text.length
}

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
    const start = this.length
    this.length = utf8Into(this.buffer, start, text)
    return this.length - start
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
