import { basename, resolve } from 'node:path'
import { deadLetter, type Origin } from '../core/record.ts'
import { openStore } from '../lake/open-store.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { dataFileRange, DEAD_LETTER_PREFIX, safeName, sourceNameProblem, sourcePath, streamLabel } from '../lake/partitions.ts'
import { HatecrimesError } from '../core/errors.ts'
import { PartitionBatcher } from '../sinks/partition-batcher.ts'
import type { HeaderMatch, Layout } from '../layouts/layout.ts'
import { readCsv } from '../sources/csv-source.ts'

export interface RunOptions {
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
 * one process, no broker.
 * Every row ends in exactly one place, the lake or the dead letters; the summary's balance
 * `rows == written + deadLettered` is checked before it returns. Running the same input again
 * replaces its earlier files instead of duplicating them.
 *
 * @example
 * const summary = await runInProcess({ input: 'austin.csv', lake: './lake' })
 */
export async function runInProcess(options: RunOptions): Promise<RunSummary> {
  const started = performance.now()
  const store = await openStore(options.lake)
  const ingestedAt = BigInt(Date.now()) * 1000n
  const counts = { rows: 0, written: 0, deadLettered: 0 }
  try {
    const csv = readCsv(options.input, { layout: options.layout })
    // The layout, and so the default source, is known once the header is read.
    let sink: ReturnType<typeof openSink> | undefined
    const openSink = (header: HeaderMatch) => {
      const source = options.source ?? header.layout.source
      const problem = sourceNameProblem(source)
      if (problem) throw new HatecrimesError('BAD_OPTION', `${problem} for --source`)
      // Named by the file's whole path and source, so only a rerun of the same input replaces these files.
      const stream = `file-${streamLabel(basename(options.input), `${source}\n${resolve(options.input)}`)}`
      return { header, source, stream, batcher: new PartitionBatcher({ store, stream, fileRows: options.fileRows }) }
    }
    // Whole parsed chunks: one await per chunk rather than one per record.
    for await (const batch of csv.batches()) {
      sink ??= openSink(csv.header!)
      const { batcher, source, header } = sink
      const { transform } = header.layout
      for (const item of batch) {
        counts.rows++
        const origin: Origin = { kind: 'file', file: options.input, row: item.row }
        const position = BigInt(item.row)
        if (item.kind === 'problem') {
          counts.deadLettered++
          await batcher.reject(deadLetter(item.rejection, origin, item.raw), position)
          continue
        }
        const outcome = transform(item.raw, { origin, source, ingestedAt })
        if (outcome.ok) {
          counts.written++
          await batcher.add(outcome.value, position)
        } else {
          counts.deadLettered++
          await batcher.reject(deadLetter(outcome.rejection, origin, item.raw), position)
        }
        if (counts.rows % 10_000 === 0) options.onProgress?.({ rows: counts.rows, ...csv.progress() })
      }
    }
    // A file with a header and no rows still replaces an earlier run's files.
    sink ??= openSink(csv.header!)
    const { batcher, stream, header, source } = sink
    const { files, deadLetterFiles } = await batcher.finish()
    options.onProgress?.({ rows: counts.rows, ...csv.progress() })
    const removedStale = await removeStale(store, source, stream, new Set([...files.map((f) => f.key), ...deadLetterFiles]))
    if (counts.rows !== counts.written + counts.deadLettered) {
      throw new Error(`Balance broken: ${counts.rows} rows read but ${counts.written} written + ${counts.deadLettered} dead-lettered`)
    }
    return {
      input: options.input,
      lake: store.url,
      header,
      source,
      ...counts,
      blankLines: csv.stats.blankLines,
      files: files.length,
      deadLetterFiles: deadLetterFiles.length,
      removedStale,
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    await store.close()
  }
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
