import { Worker } from 'node:worker_threads'
import type { PackedColumn } from '../lake/column-pack.ts'
import { encodePacked } from '../lake/parquet-encode.ts'

/** Turns a file's packed lake columns (`rows` rows) into its Parquet bytes, now or on another thread. */
export type ColumnsEncoder = (columns: PackedColumn[], rows: number) => Promise<Uint8Array>

/**
 * Encodes on the calling thread (tests, and whoever has no second core to spare).
 *
 * @example
 * const bytes = await encodeHere(builder.done(), builder.rows)
 */
export const encodeHere: ColumnsEncoder = async (columns, rows) => encodePacked(columns, rows)

/**
 * The heap cap of the encoder thread for files of up to `fileRows` rows. Encoding holds a file's
 * packed columns, its pages and the file's bytes, well under 1 KiB a row, besides the thread's fixed
 * needs; the cap keeps the thread's memory near that (a lower cap makes its collector run sooner)
 * with room to spare, since a thread out of heap fails the ingest.
 *
 * @example
 * encoderHeapLimits(10_000) // { maxOldGenerationSizeMb: 84, maxYoungGenerationSizeMb: 16 }
 */
export function encoderHeapLimits(fileRows: number) {
  return { maxOldGenerationSizeMb: 64 + Math.ceil(fileRows / 500), maxYoungGenerationSizeMb: 16 }
}

type Job = { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }

/**
 * Parquet encoding on a worker thread, about a quarter of the ingest's CPU time: the ingest keeps taking
 * records on its own thread while the files of a sealed flush are encoded on the second core. Jobs
 * run in the order given; the typed arrays of the packed columns move to the thread without a copy
 * (the caller must not touch them after), and the bytes come back the same way. A thread that dies
 * (out of its heap, say) fails every job it held, and the next job starts a new thread.
 *
 * @example
 * const encoder = new ParquetEncoderThread(10_000)
 * const bytes = await encoder.encode(builder.done(), builder.rows)
 * await encoder.close()
 */
export class ParquetEncoderThread {
  /** The running thread and the jobs it holds, by id. */
  private thread: { worker: Worker; jobs: Map<number, Job> } | undefined
  private nextId = 0
  private readonly limits: ReturnType<typeof encoderHeapLimits>

  /** `fileRows`: the most rows a file can have (the ingest's --flush-rows), which sizes the thread's heap. */
  constructor(fileRows: number) {
    this.limits = encoderHeapLimits(fileRows)
  }

  readonly encode: ColumnsEncoder = (columns, rows) => {
    const { worker, jobs } = (this.thread ??= this.start())
    if (!jobs.size) worker.ref()
    const id = this.nextId++
    const transfer = columns.map((column) => ('indexes' in column ? column.indexes.buffer : column.values.buffer) as ArrayBuffer)
    return new Promise((resolve, reject) => {
      jobs.set(id, { resolve, reject })
      worker.postMessage({ id, columns, rows }, transfer)
    })
  }

  /** Stops the thread; jobs still running fail. */
  async close(): Promise<void> {
    const thread = this.thread
    this.thread = undefined
    await thread?.worker.terminate()
  }

  private start(): { worker: Worker; jobs: Map<number, Job> } {
    const worker = new Worker(new URL('./parquet-encoder-worker.ts', import.meta.url), { resourceLimits: this.limits })
    const jobs = new Map<number, Job>()
    const thread = { worker, jobs }
    // The thread holds the process open only while it has work.
    worker.unref()
    worker.on('message', ({ id, bytes, error }: { id: number; bytes?: Uint8Array; error?: string }) => {
      const job = jobs.get(id)
      jobs.delete(id)
      if (!jobs.size) worker.unref()
      if (bytes) job?.resolve(bytes)
      else job?.reject(new Error(`Expected the encoder thread to encode a lake file (got: ${error})`))
    })
    const fail = (error: Error) => {
      if (this.thread === thread) this.thread = undefined
      for (const job of jobs.values()) job.reject(error)
      jobs.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`Expected the Parquet encoder thread to keep running (it exited with code ${code})`)))
    return thread
  }
}
