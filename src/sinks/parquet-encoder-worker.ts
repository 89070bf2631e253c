import { parentPort } from 'node:worker_threads'
import { unpackColumns, type PackedColumn } from '../lake/column-pack.ts'
import { encodeColumns } from '../lake/parquet-file.ts'

/**
 * The worker thread of ParquetEncoderThread (parquet-encoder.ts): encodes packed columns as a lake
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
