import { HatecrimesError } from '../core/errors.ts'
import type { ObjectStore } from './object-store.ts'
import { footerRows } from './parquet-footer.ts'

/** Files read back at once; enough to hide S3's latency, few enough for a small machine. */
const PARALLEL_READS = 8

/** The bytes first read from a file's end: a lake file's footer takes some 5 - 10 KiB. */
const FIRST_TAIL = 16 * 1024

/**
 * The rows a Parquet file in the lake holds, from the start of its footer (its last 16 KiB read,
 * or the whole footer when longer; not the file).
 *
 * @example
 * await parquetRows(store, 'incidents/year=2017/month=03/file-austin.csv-h1-2-266.parquet') // 87
 */
export async function parquetRows(store: ObjectStore, key: string): Promise<number> {
  const info = await store.head(key)
  if (!info) throw new HatecrimesError('BALANCE_BROKEN', `Expected the file ${key} this run wrote to be in ${store.url} (it is not there)`)
  const tail = (length: number) => {
    if (length > info.size) throw new HatecrimesError('BALANCE_BROKEN', `Expected the Parquet footer of ${key} to fit in its ${info.size} bytes (it says ${length})`)
    return store.getRange(key, info.size - length, length)
  }
  let found = footerRows(await tail(Math.min(info.size, FIRST_TAIL)), key)
  if ('needs' in found) found = footerRows(await tail(found.needs), key)
  if ('needs' in found) throw new HatecrimesError('BALANCE_BROKEN', `Expected the whole Parquet footer of ${key} in its last ${found.needs} bytes`)
  return found.rows
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
