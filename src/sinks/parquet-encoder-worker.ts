import { parentPort } from 'node:worker_threads'
import type { PackedColumn } from '../lake/column-pack.ts'
import { encodePacked } from '../lake/parquet-encode.ts'

/**
 * The worker thread of ParquetEncoderThread (parquet-encoder.ts): encodes packed columns as a lake
 * file and hands the bytes back without copying them. A failure goes back as a message for that job.
 */
parentPort!.on('message', ({ id, columns, rows }: { id: number; columns: PackedColumn[]; rows: number }) => {
  try {
    const bytes = encodePacked(columns, rows)
    parentPort!.postMessage({ id, bytes }, [bytes.buffer as ArrayBuffer])
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
