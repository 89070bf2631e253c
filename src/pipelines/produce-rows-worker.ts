/**
 * The worker thread of `produce`: reads the CSV and turns each row into the bytes of its message
 * (key, JSON value, row number), packed batch by batch into one transferable buffer, so parsing and
 * JSON building run on one core while the main thread partitions, encodes, compresses and sends on
 * the other. See produce-rows.ts for the main side and the layout of a batch.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { readCsv, type CsvItem } from '../sources/csv-source.ts'
import type { RowBatch, RowsRequest, RowsWorkerData, WorkerReport } from './produce-rows.ts'

const { input, batchSize, ahead } = workerData as RowsWorkerData
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

/** Packs the rows of `items` (problems are passed as they are) into a batch; see RowBatch. */
function pack(items: CsvItem[], progress: RowBatch['progress']): RowBatch {
  // Unpooled, so the ArrayBuffer holds this batch alone and can be transferred without a copy.
  let bytes = Buffer.allocUnsafeSlow(items.length * 512)
  const ends = new Uint32Array(items.length * 3)
  const problems: RowBatch['problems'] = []
  let at = 0
  let end = 0
  for (const item of items) {
    if (item.kind === 'problem') {
      problems.push(item)
      continue
    }
    const key = item.raw.incident_number.trim()
    const value = JSON.stringify(item.raw)
    const row = String(item.row)
    // A UTF-16 unit takes at most 3 bytes in UTF-8.
    const most = 3 * (key.length + value.length) + row.length
    if (at + most > bytes.length) bytes = grown(bytes, at + most)
    at += bytes.write(key, at, 'utf8')
    ends[end++] = at
    at += bytes.write(value, at, 'utf8')
    ends[end++] = at
    at += bytes.write(row, at, 'latin1')
    ends[end++] = at
  }
  return { bytes: bytes.buffer, length: at, ends: ends.subarray(0, end), problems, rows: items.length, progress }
}

async function whenTaken(): Promise<void> {
  while (unread >= ahead) await new Promise<void>((resolve) => (wake = resolve))
}

async function post(batch: RowBatch): Promise<void> {
  await whenTaken()
  unread++
  port.postMessage({ kind: 'batch', batch } satisfies WorkerReport, [batch.bytes, batch.ends.buffer as ArrayBuffer])
}

try {
  const csv = readCsv(input)
  let items: CsvItem[] = []
  for await (const item of csv) {
    items.push(item)
    if (items.length === batchSize) {
      await post(pack(items, csv.progress()))
      items = []
    }
  }
  if (items.length) await post(pack(items, csv.progress()))
  port.postMessage({ kind: 'end', progress: csv.progress() } satisfies WorkerReport)
} catch (error) {
  const { code, message } = error as { code?: unknown; message?: string }
  port.postMessage({ kind: 'failed', code: typeof code === 'string' ? code : undefined, message: message ?? String(error) } satisfies WorkerReport)
}
