import { parentPort, workerData } from 'node:worker_threads'
import { keepPooled } from '../lake/column-arrays.ts'
import { TakenPartitions } from './take-partitions.ts'
import type { FromTakeThread, ToTakeThread } from './take-thread.ts'

/**
 * The worker of TakeThread (take-thread.ts): takes packed messages into its partitions' buffers,
 * seals them on request and hands the encoded files back without copying them. A failed seal goes
 * back as a message for that request; a failed take ends the thread, and with it the ingest.
 */
// A flush's rows spread over the months they fall in, so the take thread builds many small files
// at once: a pool sized for an in-process run's large files would mostly hold memory (8 MiB instead
// of 32: a median peak of 357 MiB instead of 384 on a 1,000,000-message topic, at the same CPU).
keepPooled(8 * 1024 * 1024)
const partitions = new TakenPartitions((workerData as { fallbackSource: string }).fallbackSource)
const answer = (message: FromTakeThread, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(message, transfer)

parentPort!.on('message', (message: ToTakeThread) => {
  if (message.kind === 'take') {
    partitions.take(message.job)
    answer({ kind: 'took' })
  } else if (message.kind === 'drop') {
    partitions.drop(message.id)
  } else {
    const { request } = message
    partitions.seal(message.id).then(
      (flush) => answer({ kind: 'sealed', request, flush }, flush.files.map((file) => file.body.buffer as ArrayBuffer)),
      (error: unknown) => answer({ kind: 'failed', request, error: error instanceof Error ? error.message : String(error) }),
    )
  }
})
