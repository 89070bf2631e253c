import { Worker } from 'node:worker_threads'
import { HatecrimesError } from '../core/errors.ts'
import { TakenPartitions, type TakeJob, type TakenFlush } from './take-partitions.ts'

/** What the main thread asks of the take thread, in order. */
export type ToTakeThread = { kind: 'take'; job: TakeJob } | { kind: 'seal'; id: number; request: number } | { kind: 'drop'; id: number }

/** What the take thread answers: a job taken, or a flush sealed (or its failure). */
export type FromTakeThread = { kind: 'took' } | { kind: 'sealed'; request: number; flush: TakenFlush } | { kind: 'failed'; request: number; error: string }

/**
 * The heap cap of the take thread, for files of up to `fileRows` rows. It holds the records every
 * owned partition has taken and not yet flushed, laid out as columns (the member bounds their
 * message bytes), two fetches of messages and the file being encoded; a thread out of heap fails
 * the ingest, so the cap leaves room to spare. A young generation of 32 MiB rather than 16 was 3%
 * faster at the same peak: fewer of a flush's records are copied to the old generation.
 *
 * @example
 * takeHeapLimits(10_000) // { maxOldGenerationSizeMb: 228, maxYoungGenerationSizeMb: 32 }
 */
export function takeHeapLimits(fileRows: number) {
  return { maxOldGenerationSizeMb: 128 + Math.ceil(fileRows / 100), maxYoungGenerationSizeMb: 32 }
}

/**
 * The ingest's second thread: it decodes, cleans and enriches the messages the member hands it,
 * lays the records out as columns in each partition's buffer and encodes a partition's files when
 * the member seals it (take-partitions.ts), while the main thread fetches, writes and commits. Jobs
 * run in the order given; a pack's arrays move to the thread without a copy, and the files come back
 * the same way. `settle` keeps the thread at most two fetches behind, so the main thread never fetches
 * far ahead of it. The thread holds records nowhere else: when it dies, every call after fails, and
 * with it the ingest.
 *
 * @example
 * const thread = new TakeThread('austin_apd', 10_000)
 * thread.take({ id: 1, generation: 3, ingestedAt, packed }, transfer)
 * const flush = await thread.seal(1)
 * await thread.close()
 */
export class TakeThread {
  /** Started when partitions are assigned (or with the first job), so an ingest at rest (waiting for a topic or an assignment) holds no second thread. */
  private worker: Worker | undefined
  private readonly fallbackSource: string
  private readonly limits: ReturnType<typeof takeHeapLimits>
  private readonly sealing = new Map<number, { resolve: (flush: TakenFlush) => void; reject: (error: Error) => void }>()
  private nextRequest = 0
  private posted = 0
  private took = 0
  /** The jobs handed over by the last calls of `settle`, the latest last. */
  private marks = [0, 0]
  private waiting: { until: number; resolve: () => void; reject: (error: Error) => void }[] = []
  private failure: Error | undefined

  /** `fallbackSource`: the source of messages without a source header; `fileRows`: the most rows a file can have. */
  constructor(fallbackSource: string, fileRows: number) {
    this.fallbackSource = fallbackSource
    this.limits = takeHeapLimits(fileRows)
  }

  /** Starts the thread ahead of its first job (it loads its code meanwhile); it holds the process open only while it has work. */
  start(): void {
    if (this.worker || this.failure) return
    this.worker = this.spawn()
    this.worker.unref()
  }

  /** Hands a partition's packed messages to buffer `id` on the thread; `transfer`: the pack's buffers, which move. */
  take(job: TakeJob, transfer: ArrayBuffer[]): void {
    this.send({ kind: 'take', job }, transfer)
    this.posted++
  }

  /** Seals buffer `id` on the thread once the messages handed before are taken: its files, encoded. */
  seal(id: number): Promise<TakenFlush> {
    const request = this.nextRequest++
    return new Promise((resolve, reject) => {
      this.sealing.set(request, { resolve, reject })
      this.send({ kind: 'seal', id, request })
    })
  }

  /** Drops buffer `id` and what it holds on the thread (its partition was lost). */
  drop(id: number): void {
    if (!this.failure) this.worker?.postMessage({ kind: 'drop', id } satisfies ToTakeThread)
  }

  /**
   * Resolves once the thread has taken every job handed over before the call before last: called
   * once a fetch, it keeps the thread at most two fetches behind, so a flush that holds the main
   * thread (files written, commit) still leaves the thread work.
   */
  settle(): Promise<void> {
    const until = this.marks.shift()!
    this.marks.push(this.posted)
    if (this.failure) return Promise.reject(this.failure)
    if (this.took >= until) return Promise.resolve()
    return new Promise((resolve, reject) => this.waiting.push({ until, resolve, reject }))
  }

  /** Stops the thread; what it held is gone. */
  async close(): Promise<void> {
    this.fail(new HatecrimesError('LAKE_WRITE_FAILED', "Expected the ingest's take thread to keep running (the ingest closed it)"))
    await this.worker?.terminate()
  }

  private send(message: ToTakeThread, transfer: ArrayBuffer[] = []): void {
    if (this.failure) throw this.failure
    const worker = (this.worker ??= this.spawn())
    worker.ref()
    worker.postMessage(message, transfer)
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./take-thread-worker.ts', import.meta.url), { workerData: { fallbackSource: this.fallbackSource }, resourceLimits: this.limits })
    worker.on('message', (message: FromTakeThread) => this.answered(message))
    worker.on('error', (error) => this.fail(new HatecrimesError('LAKE_WRITE_FAILED', `Expected the ingest's take thread to keep running (it failed: ${error.message})`, { cause: error })))
    worker.on('exit', (code) => this.fail(new HatecrimesError('LAKE_WRITE_FAILED', `Expected the ingest's take thread to keep running (it exited with code ${code})`)))
    return worker
  }

  private answered(message: FromTakeThread): void {
    if (message.kind === 'took') {
      this.took++
      this.waiting = this.waiting.filter((wait) => (this.took >= wait.until ? (wait.resolve(), false) : true))
    } else {
      const job = this.sealing.get(message.request)
      this.sealing.delete(message.request)
      if (message.kind === 'sealed') job?.resolve(message.flush)
      else job?.reject(new HatecrimesError('LAKE_WRITE_FAILED', `Expected the take thread to seal a flush (it failed: ${message.error})`))
    }
    // The thread holds the process open only while it has work.
    if (this.took === this.posted && !this.sealing.size) this.worker?.unref()
  }

  private fail(error: Error): void {
    this.failure ??= error
    for (const job of this.sealing.values()) job.reject(this.failure)
    this.sealing.clear()
    for (const wait of this.waiting) wait.reject(this.failure)
    this.waiting = []
  }
}

/**
 * Where the ingest takes each Kafka partition's records: on its take threads (TakeThread), and for a
 * share of the partitions on the calling thread itself (TakenPartitions), which spends no second heap
 * and no copy on them. The main thread only fetches, writes and commits otherwise, and sits idle about
 * two thirds of the time with one take thread, so partitions go round `count` threads twice and
 * then the calling thread once (partition number modulo 2 x count + 1): with one thread and 6
 * partitions, partitions 2 and 5 are taken here. A partition always goes to the same place, so its
 * records are decoded, laid out and encoded in order; a buffer is sealed and dropped where its jobs
 * went.
 *
 * @example
 * const threads = new TakeThreads('austin_apd', 10_000, 1)
 * threads.take({ id: 1, generation: 3, ingestedAt, packed }, transfer)
 * const flush = await threads.seal(1, 0)
 */
export class TakeThreads {
  private readonly threads: TakeThread[]
  private readonly places: (TakeThread | TakenPartitions)[]

  /** `count` threads, each as TakeThread(fallbackSource, fileRows) makes it, and the calling thread. */
  constructor(fallbackSource: string, fileRows: number, count: number) {
    this.threads = Array.from({ length: Math.max(1, count) }, () => new TakeThread(fallbackSource, fileRows))
    this.places = [...this.threads, ...this.threads, new TakenPartitions(fallbackSource)]
  }

  /** Hands a partition's packed messages to where the partition is taken; a thread gets `transfer`, moved. */
  take(job: TakeJob, transfer: ArrayBuffer[]): void {
    const place = this.of(job.packed.partition)
    if (place instanceof TakeThread) place.take(job, transfer)
    else place.take(job)
  }

  /** Seals buffer `id` of Kafka partition `partition` (see TakeThread.seal). */
  seal(id: number, partition: number): Promise<TakenFlush> {
    return this.of(partition).seal(id)
  }

  drop(id: number, partition: number): void {
    this.of(partition).drop(id)
  }

  /** Starts every thread ahead of its first job (see TakeThread.start). */
  start(): void {
    for (const thread of this.threads) thread.start()
  }

  /** Resolves once every thread has settled (see TakeThread.settle). */
  async settle(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.settle()))
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.close()))
  }

  private of(partition: number): TakeThread | TakenPartitions {
    return this.places[partition % this.places.length]
  }
}
