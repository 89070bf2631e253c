import { parentPort, workerData } from 'node:worker_threads'
import { TakenPartitions } from './take-partitions.ts'
import type { FromTakeThread, ToTakeThread } from './take-thread.ts'

/**
 * The worker of TakeThread (take-thread.ts): takes packed messages into its partitions' buffers,
 * seals them on request and hands the encoded files back without copying them. A failed seal goes
 * back as a message for that request; a failed take ends the thread, and with it the ingest.
 */
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
