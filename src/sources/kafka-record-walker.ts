import { Buffer } from 'node:buffer'
import { HatecrimesError } from '../core/errors.ts'
import { SOURCE_HEADERS, type Tags } from './kafka-message.ts'

/**
 * A partition's records from one fetch, as places in the fetched bytes: the ingest's main thread
 * reads offsets and value sizes and copies keys and values to the take thread, and makes no object
 * per record.
 */
export interface FetchedRecords {
  count: number
  /** Per record, the buffer its key and value are in (a batch's records, decompressed). */
  chunks: Buffer[]
  /** Per record: key start, key length, value start, value length in its chunk; a length of -1 is null. */
  spans: Int32Array
  offsets: BigInt64Array
  /** Per record, its file, layout and source headers; neighbours with the same share one array. */
  tags: Tags[]
  /** Per record, its row header as Number() reads it (NaN without one). */
  rows: Float64Array
}

/** The headers the ingest reads, by the index a record's tags keep them at (the row last). */
const NAMES = [SOURCE_HEADERS.file, SOURCE_HEADERS.layout, SOURCE_HEADERS.source, SOURCE_HEADERS.row].map((name) => Buffer.from(name))
const ROW = 3

/**
 * Walks the records of batches (Kafka's record format v2: varint fields, headers as key-value byte
 * strings) into FetchedRecords. Header texts repeat from record to record, so each is compared with
 * the bytes it had last and decoded only when they differ.
 *
 * @example
 * const walker = new RecordWalker()
 * walker.start(100)
 * walker.add(chunk, 1200n, 100, 1200n)
 * const records = walker.done()
 */
export class RecordWalker {
  private bytes: Buffer = Buffer.alloc(0)
  private at = 0
  private records: FetchedRecords = emptyRecords(0)
  private last: Tags = [null, null, null]
  /** The tags of the record being walked. */
  private readonly scratch: Tags = [null, null, null]
  private readonly lastBytes: (Buffer | undefined)[] = [undefined, undefined, undefined]
  private readonly lastTexts: string[] = ['', '', '']

  /** Starts the records of a fetch: `most` is how many its batches hold at most. */
  start(most: number): void {
    this.records = emptyRecords(most)
  }

  /** Adds the `count` records of a batch (its records' bytes, decompressed) whose offsets are `from` or later. */
  add(chunk: Buffer, base: bigint, count: number, from: bigint): void {
    const records = this.records
    const below = from > base ? Number(from - base) : 0
    this.bytes = chunk
    this.at = 0
    for (let i = 0; i < count; i++) {
      const end = this.int() + this.at
      if (end > chunk.length) throw new HatecrimesError('KAFKA_FAILED', `Expected ${count} whole records in the batch at offset ${base} (record ${i} runs past its end)`)
      this.at++
      this.skip()
      const delta = this.int()
      if (delta < below) {
        this.at = end
        continue
      }
      const n = records.count++
      records.chunks[n] = chunk
      records.offsets[n] = base + BigInt(delta)
      this.span(records.spans, 4 * n)
      this.span(records.spans, 4 * n + 2)
      const tags = this.scratch
      tags[0] = tags[1] = tags[2] = null
      let row = Number.NaN
      for (let headers = this.int(); headers > 0; headers--) {
        const keyLength = this.int()
        const kind = this.kind(this.at, keyLength)
        this.at += keyLength
        const length = this.int()
        const at = this.at
        if (length > 0) this.at += length
        if (kind === ROW) row = length > 0 ? rowNumber(chunk, at, length) : 0
        else if (kind >= 0) tags[kind] = length > 0 ? this.text(kind, at, length) : ''
      }
      const last = this.last
      records.tags[n] = last[0] === tags[0] && last[1] === tags[1] && last[2] === tags[2] ? last : (this.last = [tags[0], tags[1], tags[2]])
      records.rows[n] = row
      this.at = end
    }
  }

  done(): FetchedRecords {
    const records = this.records
    this.records = emptyRecords(0)
    this.bytes = Buffer.alloc(0)
    return records
  }

  /** The key of the first record in `chunk` (a control batch's marker). */
  firstKey(chunk: Buffer): Buffer | null {
    this.bytes = chunk
    this.at = 0
    this.int()
    this.at++
    this.skip()
    this.int()
    const length = this.int()
    return length < 0 ? null : chunk.subarray(this.at, this.at + length)
  }

  /** Reads a length-prefixed field into `spans` at `place` (start, length; -1 for null). */
  private span(spans: Int32Array, place: number): void {
    const length = this.int()
    spans[place] = this.at
    spans[place + 1] = length
    if (length > 0) this.at += length
  }

  /** Which header the ingest reads a key names (an index in NAMES), or -1. */
  private kind(at: number, length: number): number {
    for (let kind = 0; kind < NAMES.length; kind++) {
      const name = NAMES[kind]
      if (same(this.bytes, at, name, length)) return kind
    }
    return -1
  }

  /** A header's text, decoded only when its bytes differ from the last ones of its kind. */
  private text(kind: number, at: number, length: number): string {
    const last = this.lastBytes[kind]
    if (last && same(this.bytes, at, last, length)) return this.lastTexts[kind]
    this.lastBytes[kind] = Buffer.from(this.bytes.subarray(at, at + length))
    return (this.lastTexts[kind] = this.bytes.toString('utf8', at, at + length))
  }

  /** A zigzag varint (Kafka's signed int32 encoding). */
  private int(): number {
    const bytes = this.bytes
    let at = this.at
    let raw = 0
    let shift = 0
    let byte: number
    do {
      byte = bytes[at++]
      raw |= (byte & 0x7f) << shift
      shift += 7
    } while (byte & 0x80 && shift < 35)
    this.at = at
    return (raw >>> 1) ^ -(raw & 1)
  }

  /** Steps over a varint whose value is not needed (a record's timestamp delta). */
  private skip(): void {
    while (this.bytes[this.at++] & 0x80);
  }
}

function emptyRecords(most: number): FetchedRecords {
  return { count: 0, chunks: new Array(most), spans: new Int32Array(4 * most), offsets: new BigInt64Array(most), tags: new Array(most), rows: new Float64Array(most) }
}

/**
 * Whether the `length` bytes at `at` are `other`'s. Header names and texts are short: a loop here
 * costs less than a call into Buffer.compare.
 */
function same(bytes: Buffer, at: number, other: Buffer, length: number): boolean {
  if (other.length !== length) return false
  for (let i = 0; i < length; i++) if (bytes[at + i] !== other[i]) return false
  return true
}

/** A row header's number as Number() reads its text: plain digits directly, anything else through Number. */
function rowNumber(bytes: Buffer, at: number, length: number): number {
  let value = 0
  for (let i = at; i < at + length; i++) {
    const digit = bytes[i] - 48
    if (digit < 0 || digit > 9 || length > 15) return Number(bytes.toString('utf8', at, at + length))
    value = value * 10 + digit
  }
  return value
}
