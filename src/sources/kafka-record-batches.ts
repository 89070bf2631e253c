import { Buffer } from 'node:buffer'
import { compressionsAlgorithmsByBitmask } from '@platformatic/kafka'
import { HatecrimesError } from '../core/errors.ts'
import { RecordWalker, type FetchedRecords } from './kafka-record-walker.ts'

export type { FetchedRecords } from './kafka-record-walker.ts'

/** A transaction the broker says was aborted: its producer, and the offset it began at. */
export interface AbortedTransaction {
  producerId: bigint
  firstOffset: bigint
}

/** The record batch header (v2): where its fields sit, and how long it is before its records. */
const LENGTH_AT = 8
const MAGIC_AT = 16
const ATTRIBUTES_AT = 21
const LAST_OFFSET_DELTA_AT = 23
const PRODUCER_ID_AT = 43
const COUNT_AT = 57
const HEADER_BYTES = 61
/** The bytes before a batch's length field counts: its base offset and the length itself. */
const LOG_OVERHEAD = 12
const COMPRESSION = 0x07
/** Control batches (transaction commit/abort markers) carry no records for the application. */
const IS_CONTROL = 1 << 5
const IS_TRANSACTIONAL = 1 << 4
/** The type in a control record's key: 0 ends an aborted transaction, 1 a committed one. */
const ABORT_MARKER = 0

/** The whole batch at `at` in a fetch's records, its bounds and header fields; undefined for the part of a batch. */
function batchAt(bytes: Buffer, at: number) {
  if (at + HEADER_BYTES > bytes.length) return undefined
  const end = at + LOG_OVERHEAD + bytes.readInt32BE(at + LENGTH_AT)
  if (end > bytes.length) return undefined
  const base = bytes.readBigInt64BE(at)
  return {
    base,
    end,
    magic: bytes.readInt8(at + MAGIC_AT),
    attributes: bytes.readInt16BE(at + ATTRIBUTES_AT),
    next: base + BigInt(bytes.readInt32BE(at + LAST_OFFSET_DELTA_AT)) + 1n,
    producerId: bytes.readBigInt64BE(at + PRODUCER_ID_AT),
    count: bytes.readInt32BE(at + COUNT_AT),
  }
}

type Batch = NonNullable<ReturnType<typeof batchAt>>

/**
 * A partition's records, read from the bytes a fetch brought (Kafka's record batches, v2) from
 * offset `from` on: batches are decompressed (gzip, snappy, lz4, zstd) and walked once, and each
 * record is kept as places in them (see FetchedRecords), with no object made per record. Records
 * of aborted transactions are left out as Kafka's own consumer does: a producer is inside an
 * aborted transaction from the transaction's first offset (the broker lists them) until its abort
 * marker. A fetch starts at the batch holding `from`, whose records before it were taken already.
 * `next` is the offset after the last whole batch, transaction markers included: where the next
 * fetch starts (a broker may end a fetch with part of a batch, which the next fetch brings whole;
 * `from` when there is no whole batch).
 *
 * @example
 * const { records, next } = readRecordBatches(walker, bytes, 1200n, [])
 * records.offsets[0] // 1200n
 */
export function readRecordBatches(walker: RecordWalker, bytes: Buffer, from: bigint, abortedTransactions: readonly AbortedTransaction[]): { records: FetchedRecords; next: bigint } {
  const aborted = [...abortedTransactions].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1))
  const inAborted = new Set<bigint>()
  let nextAborted = 0
  const kept: { batch: Batch; at: number }[] = []
  let most = 0
  let next = from
  for (let at = 0, batch = batchAt(bytes, at); batch; at = batch.end, batch = batchAt(bytes, at)) {
    if (batch.next > next) next = batch.next
    if (batch.magic !== 2) {
      throw new HatecrimesError('KAFKA_FAILED', `Expected record batches of format v2 (magic 2, Kafka 0.11 and later) at offset ${batch.base} (got magic ${batch.magic})`)
    }
    while (nextAborted < aborted.length && aborted[nextAborted].firstOffset < batch.next) inAborted.add(aborted[nextAborted++].producerId)
    if (batch.attributes & IS_CONTROL) {
      if (batch.count && walker.firstKey(recordsOf(bytes, at, batch))?.readInt16BE(2) === ABORT_MARKER) inAborted.delete(batch.producerId)
    } else if (!(batch.attributes & IS_TRANSACTIONAL && inAborted.has(batch.producerId))) {
      kept.push({ batch, at })
      most += batch.count
    }
  }
  walker.start(most)
  for (const { batch, at } of kept) walker.add(recordsOf(bytes, at, batch), batch.base, batch.count, from)
  return { records: walker.done(), next }
}

/** A batch's records, decompressed when the batch is compressed. */
function recordsOf(bytes: Buffer, at: number, batch: Batch): Buffer {
  const records = bytes.subarray(at + HEADER_BYTES, batch.end)
  const compression = batch.attributes & COMPRESSION
  if (!compression) return records
  const algorithm = compressionsAlgorithmsByBitmask[compression]
  if (!algorithm) throw new HatecrimesError('KAFKA_FAILED', `Expected a known compression (gzip, snappy, lz4 or zstd) for the batch at offset ${batch.base} (got codec ${compression})`)
  const plain: Uint8Array = algorithm.decompressSync(records)
  return Buffer.isBuffer(plain) ? plain : Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength)
}
