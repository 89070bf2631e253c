/**
 * The worker thread of `produce`: reads the CSV and turns each row into the bytes of its message
 * (key, JSON value, row number) and the hash its key is partitioned by, packed batch by batch into
 * one transferable buffer, so parsing, JSON building and key hashing run on one core while the main
 * thread encodes, compresses and sends on the other. See produce-rows.ts for the main side and the
 * layout of a batch.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { Layout } from '../layouts/layout.ts'
import { layoutById } from '../layouts/registry.ts'
import { readCsv, type CsvItem } from '../sources/csv-source.ts'
import type { RowBatch, RowsRequest, RowsWorkerData, WorkerReport } from './produce-rows.ts'

const { input, csv: csvOptions, batchSize, ahead, layout: layoutId } = workerData as RowsWorkerData
const port = parentPort!
/** Batches posted and not yet taken by the main thread; the reader waits while `ahead` are. */
let unread = 0
let wake: (() => void) | undefined
port.on('message', (request: RowsRequest) => {
  if (request !== 'taken') return
  unread--
  wake?.()
})

/** Grows a batch buffer by doubling; the old bytes are copied once. */
function grown(buffer: Buffer<ArrayBuffer>, needed: number): Buffer<ArrayBuffer> {
  let size = buffer.length * 2
  while (size < needed) size *= 2
  const bigger = Buffer.allocUnsafeSlow(size)
  buffer.copy(bigger)
  return bigger
}

/**
 * Packs rows into a batch as they come (see RowBatch), so a row's strings and object die young
 * instead of waiting, a thousand at a time, for the batch to fill.
 */
class BatchPacker {
  rows = 0
  // Unpooled, so the ArrayBuffer holds this batch alone and can be transferred without a copy.
  private bytes = Buffer.allocUnsafeSlow(batchSize * 512)
  private readonly ends = new Uint32Array(batchSize * 3)
  private readonly hashes = new Uint32Array(batchSize)
  private readonly problems: RowBatch['problems'] = []
  private at = 0
  private end = 0
  private readonly layout: Layout

  constructor(layout: Layout) {
    this.layout = layout
  }

  add(item: CsvItem): void {
    this.rows++
    if (item.kind === 'problem') {
      this.problems.push(item)
      return
    }
    const key = this.layout.keyOf(item.raw)
    const value = JSON.stringify(item.raw)
    const row = String(item.row)
    // A UTF-16 unit takes at most 3 bytes in UTF-8.
    const most = 3 * (key.length + value.length) + row.length
    if (this.at + most > this.bytes.length) this.bytes = grown(this.bytes, this.at + most)
    const keyStart = this.at
    this.at += this.bytes.write(key, this.at, 'utf8')
    this.hashes[this.end / 3] = this.at > keyStart ? murmur2(this.bytes, keyStart, this.at) : 0
    this.ends[this.end++] = this.at
    this.at += this.bytes.write(value, this.at, 'utf8')
    this.ends[this.end++] = this.at
    this.at += this.bytes.write(row, this.at, 'latin1')
    this.ends[this.end++] = this.at
  }

  batch(progress: RowBatch['progress']): RowBatch {
    const { bytes, at, ends, end, hashes, problems, rows } = this
    return { bytes: bytes.buffer, length: at, ends: ends.subarray(0, end), hashes: hashes.subarray(0, end / 3), problems, rows, progress, layout: this.layout.id }
  }
}

/**
 * Kafka's murmur2 hash of bytes `from` to `to`, unsigned, as the Kafka client's default partitioner
 * takes it: in 32-bit integer arithmetic (some 40 ns a key), where the client's own runs on BigInts
 * (0.7 µs a key, 6% of the sending thread's time).
 */
function murmur2(bytes: Uint8Array, from: number, to: number): number {
  const m = 0x5bd1e995
  let h = 0x9747b28c ^ (to - from)
  const whole = to - ((to - from) & 3)
  for (let i = from; i < whole; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)
    k = Math.imul(k, m)
    k ^= k >>> 24
    h = Math.imul(h, m) ^ Math.imul(k, m)
  }
  const tail = to - whole
  if (tail === 3) h ^= bytes[whole + 2] << 16
  if (tail >= 2) h ^= bytes[whole + 1] << 8
  if (tail >= 1) h = Math.imul(h ^ bytes[whole], m)
  h ^= h >>> 13
  h = Math.imul(h, m)
  return (h ^ (h >>> 15)) >>> 0
}

async function whenTaken(): Promise<void> {
  while (unread >= ahead) await new Promise<void>((resolve) => (wake = resolve))
}

async function post(batch: RowBatch): Promise<void> {
  await whenTaken()
  unread++
  port.postMessage({ kind: 'batch', batch } satisfies WorkerReport, [batch.bytes, batch.ends.buffer as ArrayBuffer, batch.hashes.buffer as ArrayBuffer])
}

try {
  const csv = readCsv(input, { ...csvOptions, layout: layoutId === undefined ? undefined : layoutById(layoutId) })
  let packer: BatchPacker | undefined
  for await (const item of csv) {
    // The header is read before the first record comes, so the layout is known here.
    packer ??= new BatchPacker(csv.header!.layout)
    packer.add(item)
    if (packer.rows === batchSize) {
      await post(packer.batch(csv.progress()))
      packer = undefined
    }
  }
  if (packer?.rows) await post(packer.batch(csv.progress()))
  port.postMessage({ kind: 'end', progress: csv.progress() } satisfies WorkerReport)
} catch (error) {
  const { code, message } = error as { code?: unknown; message?: string }
  port.postMessage({ kind: 'failed', code: typeof code === 'string' ? code : undefined, message: message ?? String(error) } satisfies WorkerReport)
}
