import { HatecrimesError } from '../core/errors.ts'

/**
 * The row count of a Parquet file, read from the start of its footer: the footer's FileMetaData (in
 * Thrift's compact protocol) holds the version, then the schema, then the number of rows, so only
 * the schema is stepped over and the row groups that follow (every column chunk's metadata and
 * statistics) are never read. A balance check reads back every file a flush wrote, so this is on
 * the ingest's path.
 */

const MAGIC = [0x50, 0x41, 0x52, 0x31] // PAR1
/** The length of the footer and the magic that close a file. */
const TAIL = 8
const NUM_ROWS = 3
const TYPE = { true: 1, false: 2, byte: 3, i16: 4, i32: 5, i64: 6, double: 7, binary: 8, list: 9, set: 10, map: 11, struct: 12 } as const

/** Steps through compact-protocol bytes; a read past the end throws, as the caller's file is cut short. */
class CompactReader {
  private readonly bytes: Uint8Array
  at = 0

  constructor(bytes: Uint8Array) {
    this.bytes = bytes
  }

  byte(): number {
    if (this.at >= this.bytes.length) throw new RangeError('the footer ends early')
    return this.bytes[this.at++]
  }

  /** An unsigned varint, as a number (the counts and lengths of a lake file are far below 2^53). */
  varint(): number {
    let value = 0
    let scale = 1
    for (let byte = this.byte(); ; byte = this.byte(), scale *= 128) {
      value += (byte & 0x7f) * scale
      if (!(byte & 0x80)) return value
    }
  }

  zigzag(): number {
    const raw = this.varint()
    return raw % 2 ? -(raw + 1) / 2 : raw / 2
  }

  /** The next field of a struct after field `last`: its id and type, or undefined at the struct's end. */
  field(last: number): { id: number; type: number } | undefined {
    const header = this.byte()
    if (header === 0) return undefined
    const delta = header >> 4
    return { id: delta ? last + delta : this.zigzag(), type: header & 0x0f }
  }

  /** Steps over a value of `type`; `inList`: a boolean in a list takes a byte of its own. */
  skip(type: number, inList = false): void {
    if (type === TYPE.true || type === TYPE.false) this.at += inList ? 1 : 0
    else if (type === TYPE.byte) this.at += 1
    else if (type === TYPE.double) this.at += 8
    else if (type === TYPE.i16 || type === TYPE.i32 || type === TYPE.i64) this.varint()
    else if (type === TYPE.binary) {
      const length = this.varint()
      this.at += length
    } else if (type === TYPE.list || type === TYPE.set) {
      const header = this.byte()
      const size = header >> 4 === 15 ? this.varint() : header >> 4
      for (let i = 0; i < size; i++) this.skip(header & 0x0f, true)
    } else if (type === TYPE.map) {
      const size = this.varint()
      const types = size ? this.byte() : 0
      for (let i = 0; i < size; i++) {
        this.skip(types >> 4, true)
        this.skip(types & 0x0f, true)
      }
    } else if (type === TYPE.struct) {
      for (let field = this.field(0); field; field = this.field(field.id)) this.skip(field.type)
    } else throw new RangeError(`unknown type ${type} at byte ${this.at}`)
  }
}

/**
 * The rows of the Parquet file whose last bytes are `tail`, or `needs`: how many last bytes the
 * footer takes when `tail` holds less of it. Throws BALANCE_BROKEN, naming `key`, for bytes that
 * are no Parquet footer.
 *
 * @example
 * footerRows(lastBytes, 'incidents/year=2017/month=03/a.parquet') // { rows: 87 }
 */
export function footerRows(tail: Uint8Array, key: string): { rows: number } | { needs: number } {
  const length = tail.length >= TAIL ? new DataView(tail.buffer, tail.byteOffset + tail.length - TAIL, 4).getUint32(0, true) : 0
  if (tail.length < TAIL || MAGIC.some((byte, i) => tail[tail.length - 4 + i] !== byte)) {
    throw new HatecrimesError('BALANCE_BROKEN', `Expected the file ${key} to end with a Parquet footer and "PAR1" (it does not)`)
  }
  if (length + TAIL > tail.length) return { needs: length + TAIL }
  const reader = new CompactReader(tail.subarray(tail.length - TAIL - length, tail.length - TAIL))
  try {
    for (let field = reader.field(0); field; field = reader.field(field.id)) {
      if (field.id === NUM_ROWS) return { rows: reader.zigzag() }
      reader.skip(field.type)
    }
  } catch (error) {
    throw new HatecrimesError('BALANCE_BROKEN', `Expected a readable Parquet footer in ${key} (${(error as Error).message})`)
  }
  throw new HatecrimesError('BALANCE_BROKEN', `Expected the Parquet footer of ${key} to give its number of rows (it does not)`)
}
