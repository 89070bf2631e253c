import { basename, resolve } from 'node:path'
import { HatecrimesError } from '../core/errors.ts'
import { deadLetter, type Origin } from '../core/record.ts'
import { openStore } from '../lake/open-store.ts'
import { LEFTOVER_AGE_MS, type ObjectStore } from '../lake/object-store.ts'
import { dataFileRange, DEAD_LETTER_PREFIX, safeName, sourceNameProblem, sourcePath, streamLabel, TABLE } from '../lake/partitions.ts'
import { refuseLegacyLake } from '../lake/lake-migration.ts'
import { checkBalance } from '../lake/written-rows.ts'
import type { PackedColumn } from '../lake/column-pack.ts'
import type { HeaderMatch, Layout } from '../layouts/layout.ts'
import { EncodeThread } from '../sinks/encode-thread.ts'
import { PartitionBatcher } from '../sinks/partition-batcher.ts'
import { readCsv, type CsvReadOptions } from '../sources/csv-source.ts'
import { finishKilledCompactions } from '../lake/compaction.ts'

export interface RunOptions extends CsvReadOptions {
  /** The CSV file to load. */
  input: string
  /** Lake URL: a folder, file:// or s3://bucket/prefix. */
  lake: string
  /** The `source` column of every record (e.g. `austin_apd`, `synthetic`); the layout's own by default. */
  source?: string
  /** Read the input with this layout instead of detecting one from its header. */
  layout?: Layout
  /** Rows per Parquet file. */
  fileRows?: number
  /** Called now and then with progress through the input. */
  onProgress?: (progress: { rows: number; bytesRead: number; totalBytes: number }) => void
}

export interface RunSummary {
  input: string
  lake: string
  /** How the header read: the layout, and the optional columns it lacked and extra ones it had. */
  header: HeaderMatch
  source: string
  /** Rows read from the file (blank lines are not rows). */
  rows: number
  written: number
  deadLettered: number
  blankLines: number
  files: number
  deadLetterFiles: number
  /** Files of an earlier run of the same input that this run replaced. */
  removedStale: number
  seconds: number
}

/**
 * The embedded pipeline: CSV -> parse, clean, enrich (with the file's layout) -> Parquet lake, in
 * one process, no broker. Every row ends in exactly one place, the lake or the dead letters; the
 * balance is checked against the files written, read back (rows read == rows in them + dead
 * letters), and `written` and `deadLettered` are what they hold. Running the same input again
 * replaces its earlier files instead of duplicating them. A run that fails part-way (a full disk, a
 * bad byte) says how many rows are already in complete files, and that a rerun replaces them.
 *
 * @example
 * const summary = await runInProcess({ input: 'austin.csv', lake: './lake' })
 */
export async function runInProcess(options: RunOptions): Promise<RunSummary> {
  const started = performance.now()
  const store = await openStore(options.lake)
  const ingestedAt = BigInt(Date.now()) * 1000n
  const counts = { rows: 0 }
  // Files are encoded on a second thread while this one reads and cleans the next rows.
  const encoding = new EncodeThread()
  const encoder = (columns: PackedColumn[], rows: number) => encoding.encode(columns, rows)
  // The layout, and so the default source, is known once the header is read.
  let sink: ReturnType<typeof openSink> | undefined
  const openSink = (header: HeaderMatch) => {
    const source = options.source ?? header.layout.source
    const problem = sourceNameProblem(source)
    if (problem) throw new HatecrimesError('BAD_OPTION', `${problem} for --source`)
    // Named by the file's whole path and source, so only a rerun of the same input replaces these files.
    const stream = `file-${streamLabel(basename(options.input), `${source}\n${resolve(options.input)}`)}`
    return { header, source, stream, batcher: new PartitionBatcher({ store, stream, fileRows: options.fileRows, encoder }) }
  }
  try {
    // A run killed with kill -9 leaves the temporary file of the write it was in; a live write's is seconds old.
    await store.removeLeftovers?.(LEFTOVER_AGE_MS)
    await finishKilledCompactions(store)
    // A rerun must find its earlier files to replace them: in a lake of the old layout it would not.
    refuseLegacyLake(store.url, await store.list(`${TABLE}/year=`))
    const { encoding, maxRecordChars, layout } = options
    const csv = readCsv(options.input, { encoding, maxRecordChars, layout })
    // One origin for every row, moved to each row in turn: the transform only reads it. A dead
    // letter keeps its origin, so it gets a copy.
    const origin = { kind: 'file', file: options.input, row: 0 } satisfies Origin
    const repeats = new Map<string, number>()
    // Whole parsed chunks: one await per chunk rather than one per record.
    for await (const batch of csv.batches()) {
      sink ??= openSink(csv.header!)
      const { batcher, header } = sink
      const { transform } = header.layout
      const context = { origin, source: sink.source, ingestedAt, repeats }
      const from = { source: sink.source, layout: header.layout.id }
      for (let i = 0; i < batch.length; i++) {
        const item = batch[i]
        counts.rows++
        origin.row = item.row
        const position = BigInt(item.row)
        if (item.kind === 'problem') {
          await batcher.reject(deadLetter(item.rejection, { ...origin }, item.raw, from), position)
          continue
        }
        const outcome = transform(item.raw, context)
        if (outcome.ok) {
          const writing = batcher.add(outcome.value, position)
          if (writing) await writing
        } else {
          await batcher.reject(deadLetter(outcome.rejection, { ...origin }, item.raw, from), position)
        }
        if (counts.rows % 10_000 === 0) options.onProgress?.({ rows: counts.rows, ...csv.progress() })
      }
    }
    // A file with a header and no rows still replaces an earlier run's files.
    sink ??= openSink(csv.header!)
    const { batcher, stream, header, source } = sink
    const { files, deadLetterFiles } = await batcher.finish()
    options.onProgress?.({ rows: counts.rows, ...csv.progress() })
    const inLake = await checkBalance(store, { rows: counts.rows, input: options.input }, files.map((f) => f.key), deadLetterFiles)
    const removedStale = await removeStale(store, source, stream, new Set([...files.map((f) => f.key), ...deadLetterFiles]))
    return {
      input: options.input,
      lake: store.url,
      header,
      source,
      rows: counts.rows,
      ...inLake,
      blankLines: csv.stats.blankLines,
      files: files.length,
      deadLetterFiles: deadLetterFiles.length,
      removedStale,
      seconds: (performance.now() - started) / 1000,
    }
  } catch (error) {
    throw await stoppedPartWay(error, sink?.batcher, options.input)
  } finally {
    await encoding.close()
    await store.close()
  }
}

/**
 * A failure in the middle of a run, told with what is safe: the rows already in complete files.
 * The writes under way finish first, so that none is cut off with its temporary file left behind.
 */
async function stoppedPartWay(error: unknown, batcher: PartitionBatcher | undefined, input: string): Promise<unknown> {
  const files = (await batcher?.settle()) ?? []
  // A lake refused before any row was read has nothing part-way to tell.
  if (!(error instanceof HatecrimesError) || error.code === 'BALANCE_BROKEN' || error.code === 'LAKE_NEEDS_MIGRATION') return error
  if (!files.length && !error.code.startsWith('LAKE_')) return error
  const rows = files.reduce((sum, file) => sum + file.rows, 0)
  return new HatecrimesError(
    error.code,
    `${error.message}. The run stopped part-way: ${rows} rows of ${input} are in ${files.length} complete files of the lake, and a rerun of the same input replaces them`,
    { cause: error },
  )
}

/**
 * Deletes the files an earlier run of the same stream wrote that this run did not write again. Only
 * the source's own folder and the dead letters are listed: another source's files are never touched.
 */
async function removeStale(store: ObjectStore, source: string, stream: string, keep: Set<string>): Promise<number> {
  const own = safeName(stream)
  const objects = [...(await store.list(`${sourcePath(source)}/`)), ...(await store.list(`${DEAD_LETTER_PREFIX}/`))]
  const stale = objects.filter((o) => dataFileRange(o.key)?.stream === own && !keep.has(o.key))
  for (const object of stale) await store.delete(object.key)
  return stale.length
}
