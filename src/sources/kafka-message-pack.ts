import { Buffer } from 'node:buffer'
import { SOURCE_HEADERS, type IngestMessage } from './kafka-message.ts'

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

type Tags = [file: string | null, layout: string | null, source: string | null]

/**
 * Packs a partition's messages as they are taken; `done` hands the pack and the buffers to
 * transfer, and the packer starts empty again.
 *
 * @example
 * const packer = new MessagePacker('incidents', 0)
 * for (const message of part.messages) packer.add(message)
 * const { packed, transfer } = packer.done()
 * worker.postMessage(packed, transfer)
 */
export class MessagePacker {
  private readonly topic: string
  private readonly partition: number
  private parts: (Buffer | null)[] = []
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

  add(message: IngestMessage): void {
    const { key, value, headers } = message
    this.parts.push(key, value)
    this.length += (key?.length ?? 0) + (value?.length ?? 0)
    this.offsets.push(message.offset)
    const row = headers.get(SOURCE_HEADERS.row)
    this.rows.push(row === undefined ? Number.NaN : Number(row))
    this.tagIndexes.push(this.indexOf(headers.get(SOURCE_HEADERS.file) ?? null, headers.get(SOURCE_HEADERS.layout) ?? null, headers.get(SOURCE_HEADERS.source) ?? null))
  }

  done(): { packed: PackedMessages; transfer: ArrayBuffer[] } {
    const bytes = new Uint8Array(this.length)
    const spans = new Int32Array(this.parts.length * 2)
    let at = 0
    for (let i = 0; i < this.parts.length; i++) {
      const part = this.parts[i]
      spans[2 * i] = at
      spans[2 * i + 1] = part ? part.length : -1
      if (part) bytes.set(part, at)
      at += part?.length ?? 0
    }
    const packed: PackedMessages = {
      topic: this.topic,
      partition: this.partition,
      bytes: bytes.buffer,
      spans,
      offsets: BigInt64Array.from(this.offsets),
      tagIndexes: Int32Array.from(this.tagIndexes),
      tags: this.tags,
      rows: Float64Array.from(this.rows),
    }
    this.parts = []
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

  /** The index of a message's tags; the previous message's are checked first, as neighbours mostly share them. */
  private indexOf(file: string | null, layout: string | null, source: string | null): number {
    const last = this.last
    if (last && last[0] === file && last[1] === layout && last[2] === source) return this.lastIndex
    const id = JSON.stringify([file, layout, source])
    let index = this.tagIndex.get(id)
    if (index === undefined) this.tagIndex.set(id, (index = this.tags.push([file, layout, source]) - 1))
    this.last = this.tags[index]
    this.lastIndex = index
    return index
  }
}

/**
 * The messages of a pack, as the ingest reads them: key and value are views of the pack's bytes, and
 * the headers hold the file, layout, source and row the producer set.
 *
 * @example
 * for (const message of unpackMessages(packed)) takeMessage(buffer, message, 'austin_apd', ingestedAt)
 */
export function* unpackMessages(packed: PackedMessages): Generator<IngestMessage> {
  const bytes = Buffer.from(packed.bytes)
  const { spans, topic, partition } = packed
  const view = (at: number) => (spans[at + 1] < 0 ? null : bytes.subarray(spans[at], spans[at] + spans[at + 1]))
  for (let i = 0; i < packed.offsets.length; i++) {
    const [file, layout, source] = packed.tags[packed.tagIndexes[i]]
    const headers = new Map<string, string>()
    if (file !== null) headers.set(SOURCE_HEADERS.file, file)
    if (layout !== null) headers.set(SOURCE_HEADERS.layout, layout)
    if (source !== null) headers.set(SOURCE_HEADERS.source, source)
    if (!Number.isNaN(packed.rows[i])) headers.set(SOURCE_HEADERS.row, String(packed.rows[i]))
    yield { topic, partition, offset: packed.offsets[i], key: view(4 * i), value: view(4 * i + 2), headers }
  }
}
