import { parquetMetadataAsync } from 'hyparquet'
import { HatecrimesError } from '../core/errors.ts'
import type { ObjectStore } from './object-store.ts'

/** Files read back at once; enough to hide S3's latency, few enough for a small machine. */
const PARALLEL_READS = 8

/**
 * The rows a Parquet file in the lake holds, from its footer (a few KiB read, not the file).
 *
 * @example
 * await parquetRows(store, 'incidents/year=2017/month=03/file-austin.csv-h1-2-266.parquet') // 87
 */
export async function parquetRows(store: ObjectStore, key: string): Promise<number> {
  const info = await store.head(key)
  if (!info) throw new HatecrimesError('BALANCE_BROKEN', `Expected the file ${key} this run wrote to be in ${store.url} (it is not there)`)
  const file = {
    byteLength: info.size,
    slice: async (start: number, end = info.size) => {
      const bytes = await store.getRange(key, start, end - start)
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    },
  }
  return Number((await parquetMetadataAsync(file)).num_rows)
}

/** The dead letters a JSON-lines file of the lake holds: one per line. */
export async function deadLetterRows(store: ObjectStore, key: string): Promise<number> {
  const text = new TextDecoder().decode(await store.get(key))
  return text.split('\n').filter((line) => line.trim() !== '').length
}

async function total(keys: readonly string[], count: (key: string) => Promise<number>): Promise<number> {
  let sum = 0
  for (let at = 0; at < keys.length; at += PARALLEL_READS) {
    for (const rows of await Promise.all(keys.slice(at, at + PARALLEL_READS).map(count))) sum += rows
  }
  return sum
}

/** What a run wrote, read back from the lake. */
export interface WrittenRows {
  written: number
  deadLettered: number
}

/**
 * The balance of a run checked against the lake rather than against its own counters: the files it
 * wrote are read back (Parquet footers, dead-letter lines) and every row read must be in exactly
 * one of them. Throws BALANCE_BROKEN, with both sides, when not.
 *
 * @example
 * const { written, deadLettered } = await checkBalance(store, { rows: 266, input: 'austin.csv' }, files, deadLetterFiles)
 */
export async function checkBalance(
  store: ObjectStore,
  read: { rows: number; input: string },
  files: readonly string[],
  deadLetterFiles: readonly string[],
): Promise<WrittenRows> {
  const written = await total(files, (key) => parquetRows(store, key))
  const deadLettered = await total(deadLetterFiles, (key) => deadLetterRows(store, key))
  if (read.rows !== written + deadLettered) {
    throw new HatecrimesError(
      'BALANCE_BROKEN',
      `Expected each of the ${read.rows} rows read from ${read.input} in the lake or the dead letters, ` +
        `found ${written} rows in the ${files.length} files written and ${deadLettered} dead letters in ${deadLetterFiles.length} files of ${store.url}`,
    )
  }
  return { written, deadLettered }
}
