import { Worker } from 'node:worker_threads'
import { unpackColumns, type PackedColumn } from '../lake/column-pack.ts'
import { encodeColumns } from '../lake/parquet-file.ts'

/** Turns a file's packed lake columns into its Parquet bytes, now or on another thread. */
export type ColumnsEncoder = (columns: PackedColumn[]) => Promise<Uint8Array>

/**
 * Encodes on the calling thread (tests, and whoever has no second core to spare).
 *
 * @example
 * const bytes = await encodeHere(builder.done())
 */
export const encodeHere: ColumnsEncoder = async (columns) => encodeColumns(unpackColumns(columns))

/**
 * The heap of the encoder thread: a file of a flush (at most a few tens of thousands of rows) needs
 * some tens of MiB while it is encoded, so the cap holds the thread's memory without slowing it.
 */
const ENCODER_LIMITS = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 24 }

type Job = { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }

/**
 * Parquet encoding on a worker thread, about half of the ingest's CPU time: the ingest keeps taking
 * records on its own thread while the files of a sealed flush are encoded on the second core. Jobs
 * run in the order given; the typed arrays of the packed columns move to the thread without a copy
 * (the caller must not touch them after), and the bytes come back the same way. A thread that dies
 * (out of its heap, say) fails every job it held, and the next job starts a new thread.
 *
 * @example
 * const encoder = new ParquetEncoderThread()
 * const bytes = await encoder.encode(builder.done())
 * await encoder.close()
 */
export class ParquetEncoderThread {
  private worker: Worker | undefined
  private readonly jobs = new Map<number, Job>()
  private nextId = 0

  readonly encode: ColumnsEncoder = (columns) => {
    const worker = (this.worker ??= this.start())
    if (!this.jobs.size) worker.ref()
    const id = this.nextId++
    const transfer = columns.map((column) => ('indexes' in column ? column.indexes.buffer : column.values.buffer) as ArrayBuffer)
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject })
      worker.postMessage({ id, columns }, transfer)
    })
  }

  /** Stops the thread; jobs still running fail. */
  async close(): Promise<void> {
    const worker = this.worker
    this.worker = undefined
    await worker?.terminate()
  }

  private start(): Worker {
    const worker = new Worker(new URL('./parquet-encoder-worker.ts', import.meta.url), { resourceLimits: ENCODER_LIMITS })
    // The thread holds the process open only while it has work.
    worker.unref()
    worker.on('message', ({ id, bytes, error }: { id: number; bytes?: Uint8Array; error?: string }) => {
      const job = this.jobs.get(id)
      this.jobs.delete(id)
      if (!this.jobs.size) worker.unref()
      if (bytes) job?.resolve(bytes)
      else job?.reject(new Error(`Expected the encoder thread to encode a lake file (got: ${error})`))
    })
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined
      for (const job of this.jobs.values()) job.reject(error)
      this.jobs.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`Expected the Parquet encoder thread to keep running (it exited with code ${code})`)))
    return worker
  }
}
