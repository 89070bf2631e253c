import { Worker } from 'node:worker_threads'
import { HatecrimesError, ERROR_CODES, type ErrorCode } from '../core/errors.ts'
import type { CsvProgress, CsvItem, CsvReadOptions } from '../sources/csv-source.ts'

/** How the main thread starts the worker of produce-rows-worker.ts. */
export interface RowsWorkerData {
  input: string
  csv?: CsvReadOptions
  /** The layout id to read the input with; detected from the header when absent. */
  layout?: string
  /** CSV records per batch. */
  batchSize: number
  /** Batches the worker may have posted before the main thread takes the first of them. */
  ahead: number
}

/** What the main thread says to the worker: it took one batch, so one more may come. */
export type RowsRequest = 'taken'

/**
 * The CSV records of one batch, in file order. The rows are packed in `bytes`: row i's key, JSON
 * value and row number (as text) end at `ends[3i]`, `ends[3i + 1]` and `ends[3i + 2]`, each
 * starting where the one before ended. Records the reader turned away are in `problems`.
 */
export interface RowBatch {
  bytes: ArrayBuffer
  /** Bytes of `bytes` in use. */
  length: number
  ends: Uint32Array
  /**
   * Per row, the murmur2 hash of its key, which the Kafka client's default partitioner would compute
   * on the thread that sends (the client takes it modulo the topic's partitions); 0 for a row without
   * a key, which the client spreads round-robin.
   */
  hashes: Uint32Array
  problems: Extract<CsvItem, { kind: 'problem' }>[]
  /** CSV records in the batch: rows and problems. */
  rows: number
  progress: CsvProgress
  /** The id of the layout the rows were read with. */
  layout: string
}

export type WorkerReport =
  | { kind: 'batch'; batch: RowBatch }
  | { kind: 'end'; progress: CsvProgress }
  | { kind: 'failed'; code?: string; message: string }

/** One good row of a batch as views on the batch's bytes: no copy. */
export interface PackedRow {
  key: Buffer | undefined
  value: Buffer
  row: Buffer
  /** The partition as the client's default partitioner picks it (before the modulo), for a row with a key. */
  partition: number | undefined
}

/**
 * Reads a CSV in a worker thread and yields its records batch by batch, each row already turned
 * into the bytes of its message. At most `ahead` batches wait in memory; a failure of the reader
 * (a missing file, a bad header) is thrown here as the HatecrimesError the reader threw. Leaving
 * the loop early stops the worker.
 *
 * @example
 * const reader = new RowBatchReader('austin.csv', { batchSize: 1000 })
 * for await (const batch of reader) for (const row of packedRows(batch)) send(row)
 * console.log(reader.progress().fraction) // 1
 */
export class RowBatchReader implements AsyncIterable<RowBatch> {
  private readonly workerData: RowsWorkerData
  private last: CsvProgress = { bytesRead: 0, totalBytes: 0, fraction: 0 }

  constructor(input: string, options: { batchSize: number; ahead?: number; csv?: CsvReadOptions; layout?: string }) {
    this.workerData = { input, ahead: 4, ...options }
  }

  /** Bytes of the file read so far, as of the latest batch (the whole file once the loop ends). */
  progress(): CsvProgress {
    return this.last
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RowBatch> {
    const worker = new Worker(new URL('./produce-rows-worker.ts', import.meta.url), { workerData: this.workerData })
    const reports: WorkerReport[] = []
    let wake: (() => void) | undefined
    let crash: unknown
    worker.on('message', (report: WorkerReport) => (reports.push(report), wake?.()))
    worker.on('error', (error) => ((crash = error), wake?.()))
    try {
      for (;;) {
        while (!reports.length && !crash) await new Promise<void>((resolve) => (wake = resolve))
        if (crash) throw crash
        const report = reports.shift()!
        if (report.kind === 'failed') throw workerFailure(report)
        if (report.kind === 'end') {
          this.last = report.progress
          return
        }
        worker.postMessage('taken' satisfies RowsRequest)
        this.last = report.batch.progress
        yield report.batch
      }
    } finally {
      await worker.terminate()
    }
  }
}

function workerFailure(report: Extract<WorkerReport, { kind: 'failed' }>): Error {
  const code = report.code as ErrorCode
  return code in ERROR_CODES ? new HatecrimesError(code, report.message) : new Error(report.message)
}

/**
 * The good rows of a batch, as views on its bytes. A row whose incident number is blank has no key.
 *
 * @example
 * for (const { key, value, row } of packedRows(batch)) console.log(row.toString(), value.length)
 */
export function* packedRows(batch: RowBatch): Generator<PackedRow> {
  const bytes = Buffer.from(batch.bytes, 0, batch.length)
  const { ends, hashes } = batch
  let start = 0
  for (let i = 0; i < ends.length; i += 3) {
    const keyEnd = ends[i]
    const valueEnd = ends[i + 1]
    const keyed = keyEnd > start
    yield {
      key: keyed ? bytes.subarray(start, keyEnd) : undefined,
      value: bytes.subarray(keyEnd, valueEnd),
      row: bytes.subarray(valueEnd, ends[i + 2]),
      partition: keyed ? hashes[i / 3] : undefined,
    }
    start = ends[i + 2]
  }
}
