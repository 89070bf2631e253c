import { parentPort } from 'node:worker_threads'
import { unpackColumns, type PackedColumn } from './column-pack.ts'
import { encodeColumns } from './parquet-file.ts'

/**
 * The worker thread of `encodeParquetInWorker` (parquet-worker.ts): encodes packed columns as a lake
 * file and hands the bytes back without copying them. A failure goes back as a message for that job.
 */
parentPort!.on('message', ({ id, columns }: { id: number; columns: PackedColumn[] }) => {
  try {
    const bytes = encodeColumns(unpackColumns(columns))
    parentPort!.postMessage({ id, bytes }, [bytes.buffer as ArrayBuffer])
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
