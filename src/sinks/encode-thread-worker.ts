import { parentPort } from 'node:worker_threads'
import { encodePacked } from '../lake/parquet-encode.ts'
import { columnArrays } from '../lake/column-pack.ts'
import type { EncodeAnswer, EncodeRequest } from './encode-thread.ts'

/**
 * The worker of EncodeThread (encode-thread.ts): encodes each file it is sent and hands the bytes
 * back with the columns' arrays, none of them copied. A file it cannot encode goes back as a
 * failure of that file.
 */
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
