import { Buffer } from 'node:buffer'
import type { IngestMessage, Tags } from './kafka-message.ts'
import type { FetchedRecords } from './kafka-record-walker.ts'

/**
 * A run of one partition's messages packed to cross to the take thread (sinks/take-thread.ts) in a
 * single postMessage whose arrays move without a copy: the keys and values one after another in
 * one ArrayBuffer, with their places, the offsets, and the headers the ingest reads. Most messages
 * share their file, layout and source headers, so those are kept once each (`tags`) and each message
 * holds an index into them; the row header, different on every message, is kept as its number.
 */
export interface PackedMessages {
  topic: string
  partition: number
  /** Every key and value, one after another. */
  bytes: ArrayBuffer
  /** Per message: key start, key length, value start, value length; a length of -1 is a null key or value. */
  spans: Int32Array
  offsets: BigInt64Array
  /** Per message, its index in `tags`. */
  tagIndexes: Int32Array
  /** The distinct file, layout and source headers ([file, layout, source], null where absent). */
  tags: Tags[]
  /** Per message, its row header as Number() reads it (NaN without one). */
  rows: Float64Array
}

/**
 * Packs a partition's fetched records as they are taken; `done` copies their keys and values into
 * the pack and hands it with the buffers to transfer, and the packer starts empty again.
 *
 * @example
 * const packer = new MessagePacker('incidents', 0)
 * for (let index = 0; index < part.records.count; index++) packer.add(part.records, index)
 * const { packed, transfer } = packer.done()
 * worker.postMessage(packed, transfer)
 */
export class MessagePacker {
  private readonly topic: string
  private readonly partition: number
  /** Per record taken, the buffer its key and value are in, and their places there (as FetchedRecords.spans). */
  private chunks: Buffer[] = []
  private places: number[] = []
  private length = 0
  private offsets: bigint[] = []
  private tagIndexes: number[] = []
  private rows: number[] = []
  private tags: Tags[] = []
  private readonly tagIndex = new Map<string, number>()
  private last: Tags | undefined
  private lastIndex = -1

  constructor(topic: string, partition: number) {
    this.topic = topic
    this.partition = partition
  }

  /** Messages packed since the last `done`. */
  get count(): number {
    return this.offsets.length
  }

  add(records: FetchedRecords, index: number): void {
    const { spans } = records
    const at = 4 * index
    this.chunks.push(records.chunks[index])
    this.places.push(spans[at], spans[at + 1], spans[at + 2], spans[at + 3])
    this.length += Math.max(spans[at + 1], 0) + Math.max(spans[at + 3], 0)
    this.offsets.push(records.offsets[index])
    this.rows.push(records.rows[index])
    this.tagIndexes.push(this.indexOf(records.tags[index]))
  }

  done(): { packed: PackedMessages; transfer: ArrayBuffer[] } {
    const bytes = Buffer.alloc(this.length)
    const spans = new Int32Array(this.places.length)
    let at = 0
    for (let i = 0; i < this.places.length; i += 2) {
      const start = this.places[i]
      const length = this.places[i + 1]
      spans[i] = at
      spans[i + 1] = length
      if (length > 0) at += this.chunks[i >> 2].copy(bytes, at, start, start + length)
    }
    const packed: PackedMessages = {
      topic: this.topic,
      partition: this.partition,
      bytes: bytes.buffer as ArrayBuffer,
      spans,
      offsets: BigInt64Array.from(this.offsets),
      tagIndexes: Int32Array.from(this.tagIndexes),
      tags: this.tags,
      rows: Float64Array.from(this.rows),
    }
    this.chunks = []
    this.places = []
    this.length = 0
    this.offsets = []
    this.tagIndexes = []
    this.rows = []
    this.tags = []
    this.tagIndex.clear()
    this.last = undefined
    const transfer = [packed.bytes, packed.spans.buffer, packed.offsets.buffer, packed.tagIndexes.buffer, packed.rows.buffer] as ArrayBuffer[]
    return { packed, transfer }
  }

  /** The index of a record's tags; neighbours mostly share theirs (one array), so the last is checked first. */
  private indexOf(tags: Tags): number {
    if (tags === this.last) return this.lastIndex
    const id = JSON.stringify(tags)
    let index = this.tagIndex.get(id)
    if (index === undefined) this.tagIndex.set(id, (index = this.tags.push(tags) - 1))
    this.last = tags
    this.lastIndex = index
    return index
  }
}

/**
 * The messages of a pack, as the ingest reads them: key and value are views of the pack's bytes, with
 * the file, layout and source headers and the row the producer set.
 *
 * @example
 * for (const message of unpackMessages(packed)) takeMessage(buffer, message, 'austin_apd', ingestedAt)
 */
export function* unpackMessages(packed: PackedMessages): Generator<IngestMessage> {
  const bytes = Buffer.from(packed.bytes)
  for (let i = 0; i < packed.offsets.length; i++) yield new PackedMessage(packed, bytes, i)
}

/** A message of a pack; its key is cut from the pack only when read (a dead letter's), its value at once. */
class PackedMessage implements IngestMessage {
  readonly topic: string
  readonly partition: number
  readonly offset: bigint
  readonly value: Buffer | null
  readonly tags: Tags
  readonly row: number
  private readonly bytes: Buffer
  private readonly spans: Int32Array
  private readonly at: number

  constructor(packed: PackedMessages, bytes: Buffer, index: number) {
    this.topic = packed.topic
    this.partition = packed.partition
    this.offset = packed.offsets[index]
    this.bytes = bytes
    this.spans = packed.spans
    this.at = 4 * index
    this.value = this.view(this.at + 2)
    this.tags = packed.tags[packed.tagIndexes[index]]
    this.row = packed.rows[index]
  }

  get key(): Buffer | null {
    return this.view(this.at)
  }

  private view(at: number): Buffer | null {
    const { spans } = this
    return spans[at + 1] < 0 ? null : this.bytes.subarray(spans[at], spans[at] + spans[at + 1])
  }
}
