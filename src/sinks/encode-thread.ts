import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { HatecrimesError } from '../core/errors.ts'
import { giveBack } from '../lake/column-arrays.ts'
import { columnArrays, type PackedColumn } from '../lake/column-pack.ts'
import { encodePacked } from '../lake/parquet-encode.ts'

/** What the encode thread is asked: a file's packed columns, numbered. */
interface EncodeRequest {
  id: number
  columns: PackedColumn[]
  rows: number
}

/** What it answers: the columns it was sent, and the encoded file or why it could not encode it. */
type EncodeAnswer = { id: number; columns: PackedColumn[] } & ({ bytes: Uint8Array } | { error: string })

/**
 * A second thread that encodes the Parquet files of an in-process run while the main thread reads,
 * cleans and lays out the rows of the next ones: encoding and compressing is about a fifth of a
 * run's work, and a second core can take it. The thread runs this module (its side is at the end).
 * The columns' arrays move to the thread and back without a copy, and go back to this thread's pool
 * when they return (column-arrays.ts), as the file's bytes come. Started with the first file, so a
 * run that writes none starts no thread; it holds the process open only while it has files to encode.
 *
 * @example
 * const thread = new EncodeThread()
 * const bytes = await thread.encode(builder.done(), builder.rows)
 * await thread.close()
 */
export class EncodeThread {
  private worker: Worker | undefined
  private nextId = 0
  private readonly pending = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>()
  private failure: Error | undefined

  /** The Parquet file of `rows` rows of these columns, encoded on the thread; the columns' arrays move there (see Encoder). */
  encode(columns: PackedColumn[], rows: number): Promise<Uint8Array> {
    if (this.failure) return Promise.reject(this.failure)
    const worker = (this.worker ??= this.start())
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.ref()
      worker.postMessage({ id, columns, rows } satisfies EncodeRequest, columnArrays(columns).map((array) => array.buffer as ArrayBuffer))
    })
  }

  /** Stops the thread; files it had not answered fail. */
  async close(): Promise<void> {
    this.fail(new HatecrimesError('LAKE_WRITE_FAILED', 'Expected the encode thread to keep running (the run closed it)'))
    await this.worker?.terminate()
  }

  private start(): Worker {
    const worker = new Worker(new URL(import.meta.url), { workerData: { encodeThread: true } })
    worker.on('message', (answer: EncodeAnswer) => this.answered(answer))
    worker.on('error', (error) => this.fail(new HatecrimesError('LAKE_WRITE_FAILED', `Expected the encode thread to keep running (it failed: ${error.message})`, { cause: error })))
    worker.on('exit', (code) => this.fail(new HatecrimesError('LAKE_WRITE_FAILED', `Expected the encode thread to keep running (it exited with code ${code})`)))
    return worker
  }

  private answered(answer: EncodeAnswer): void {
    const job = this.pending.get(answer.id)
    this.pending.delete(answer.id)
    giveBack(columnArrays(answer.columns))
    if ('bytes' in answer) job?.resolve(answer.bytes)
    else job?.reject(new HatecrimesError('LAKE_WRITE_FAILED', `Expected the encode thread to encode a Parquet file (it failed: ${answer.error})`))
    if (!this.pending.size) this.worker?.unref()
  }

  private fail(error: Error): void {
    this.failure ??= error
    for (const job of this.pending.values()) job.reject(this.failure)
    this.pending.clear()
  }
}

// The thread's side: encodes each file it is sent and hands the bytes back with the columns'
// arrays, none of them copied; a file it cannot encode goes back as a failure of that file.
if (!isMainThread && (workerData as { encodeThread?: boolean } | null)?.encodeThread) {
  const answer = (message: EncodeAnswer, bytes?: Uint8Array) => {
    const arrays = [...columnArrays(message.columns), ...(bytes ? [bytes] : [])]
    parentPort!.postMessage(message, arrays.map((array) => array.buffer as ArrayBuffer))
  }
  parentPort!.on('message', ({ id, columns, rows }: EncodeRequest) => {
    let bytes: Uint8Array
    try {
      bytes = encodePacked(columns, rows)
    } catch (error) {
      return answer({ id, columns, error: error instanceof Error ? error.message : String(error) })
    }
    answer({ id, columns, bytes }, bytes)
  })
}
