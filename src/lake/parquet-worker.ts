import { Worker } from 'node:worker_threads'
import { ColumnBuilder } from './column-pack.ts'
import type { LakeRecord } from './parquet-file.ts'

type Job = { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }

/**
 * Parquet encoding on a second thread. Encoding is about half of the embedded pipeline's CPU time;
 * on its own thread it runs on the second core while this one reads and transforms the next rows.
 * The thread starts on first use and holds the process open only while it has work, so a command
 * that is done exits without closing it.
 */
class EncoderThread {
  private worker: Worker | undefined
  private readonly jobs = new Map<number, Job>()
  private nextId = 0

  encode(builder: ColumnBuilder): Promise<Uint8Array> {
    const { columns, transfer } = builder.done()
    const worker = (this.worker ??= this.start())
    if (!this.jobs.size) worker.ref()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject })
      worker.postMessage({ id, columns }, transfer)
    })
  }

  private start(): Worker {
    const worker = new Worker(new URL('./parquet-encoder-thread.ts', import.meta.url))
    worker.unref()
    worker.on('message', ({ id, bytes, error }: { id: number; bytes?: Uint8Array; error?: string }) => {
      const job = this.jobs.get(id)!
      this.jobs.delete(id)
      if (!this.jobs.size) worker.unref()
      if (bytes) job.resolve(bytes)
      else job.reject(new Error(`Expected the encoder thread to encode a lake file (got: ${error})`))
    })
    const fail = (error: Error) => {
      this.worker = undefined
      for (const job of this.jobs.values()) job.reject(error)
      this.jobs.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`Expected the Parquet encoder thread to keep running (it exited with code ${code})`)))
    return worker
  }
}

const thread = new EncoderThread()

/**
 * The bytes `encodeParquet` gives for the builder's records, encoded on a worker thread shared by the
 * process; calls queue there in order. The builder's arrays go to the thread: do not add to it after.
 *
 * @example
 * await store.put(key, await encodeColumnsInWorker(builder))
 */
export function encodeColumnsInWorker(builder: ColumnBuilder): Promise<Uint8Array> {
  return thread.encode(builder)
}

/**
 * The bytes `encodeParquet(records)` gives, encoded on the worker thread; this thread only lays the
 * records out as columns (about a fifth of the encoding's cost).
 *
 * @example
 * await store.put(key, await encodeParquetInWorker(records))
 */
export function encodeParquetInWorker(records: readonly LakeRecord[]): Promise<Uint8Array> {
  const builder = new ColumnBuilder()
  for (const record of records) builder.add(record)
  return thread.encode(builder)
}
