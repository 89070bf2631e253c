import { posix } from 'node:path'
import { HatecrimesError } from '../core/errors.ts'
import { isManifest, liveDataFiles, readManifests } from './compaction-manifest.ts'
import type { ObjectInfo, ObjectStore } from './object-store.ts'
import { decodeParquet } from './parquet-file.ts'
import { DEAD_LETTER_PREFIX, TABLE, dataFileRange, partitionOf, sourceNameProblem, sourcePath } from './partitions.ts'

/**
 * Lakes written before sources had folders hold their incidents at `incidents/year=/month=/` and
 * their dead letters at `dead_letters/*.jsonl`. Read beside today's `incidents/source=/year=/month=/`
 * they would break the Hive partitioning every reader relies on, and a rerun of the same input
 * would not find its earlier files to replace: such a lake is refused with a clear error until
 * {@link migrateLake} (`hatecrimes migrate-lake`) has moved its files into their sources' folders.
 */

const LEGACY_PARTITION = new RegExp(`^${TABLE}/year=\\d{4}/month=\\d{2}/[^/]+$`)
const FLAT_DEAD_LETTER = new RegExp(`^${DEAD_LETTER_PREFIX}/[^/]+\\.jsonl$`)

/**
 * The files (data files and compaction manifests) of a listing kept in a partition without a
 * source folder.
 *
 * @example
 * legacyFiles(await store.list('incidents/')) // [{ key: 'incidents/year=2017/month=03/x.parquet', ... }]
 */
export function legacyFiles(infos: readonly ObjectInfo[]): ObjectInfo[] {
  return infos.filter((info) => LEGACY_PARTITION.test(info.key))
}

/**
 * Refuses a lake that still holds files without a source folder, saying how to move them.
 *
 * @example
 * refuseLegacyLake(store.url, await store.list('incidents/year='))
 */
export function refuseLegacyLake(url: string, infos: readonly ObjectInfo[]): void {
  const legacy = legacyFiles(infos)
  if (!legacy.length) return
  throw new HatecrimesError(
    'LAKE_NEEDS_MIGRATION',
    `Expected every data file of ${url} under ${TABLE}/source=<source>/ (found ${legacy.length} written before sources had folders, ` +
      `such as ${legacy[0].key}): run "hatecrimes migrate-lake --lake ${url}" once to move them into their sources' folders`,
  )
}

export interface MigrationResult {
  /** Data files moved, per source they were filed under. */
  moved: Map<string, number>
  /** Files left behind by compaction (merged away, and their manifests), deleted. */
  removed: number
  /** Dead-letter files moved into a source's folder. */
  deadLetters: number
}

/**
 * Moves a lake written before sources had folders into them. Each data file goes to the source its
 * own `source` column names (`fallbackSource` when the file has none); a file compaction had
 * already merged away is deleted with its manifest. Each dead-letter file of the flat folder goes
 * to the source of the data files of the same run (same stream), else to `fallbackSource`. A file
 * is copied before its old copy is deleted, so a migration that stops part-way is finished by
 * running it again; on a migrated lake it does nothing.
 *
 * @example
 * const { moved } = await migrateLake(store, 'austin_apd') // Map { 'austin_apd' => 87 }
 */
export async function migrateLake(store: ObjectStore, fallbackSource: string): Promise<MigrationResult> {
  const problem = sourceNameProblem(fallbackSource)
  if (problem) throw new HatecrimesError('BAD_OPTION', `${problem} for --source`)
  const listed = await store.list(`${TABLE}/`)
  const result: MigrationResult = { moved: new Map(), removed: 0, deadLetters: 0 }
  // Which source each run's files are under: the dead letters of the same run go there too.
  const streams = new Map<string, string>()
  for (const info of listed) {
    const source = partitionOf(info.key)?.source
    const stream = dataFileRange(info.key)?.stream
    if (source && stream) streams.set(stream, source)
  }
  const folders = Map.groupBy(legacyFiles(listed), (info) => posix.dirname(info.key))
  for (const infos of folders.values()) {
    const live = new Set(liveDataFiles(infos, await readManifests(store, infos)).map((info) => info.key))
    for (const { key } of infos.filter((info) => live.has(info.key))) {
      const bytes = await store.get(key)
      const source = await sourceOfFile(bytes, key, fallbackSource)
      await store.put(`${sourcePath(source)}/${key.slice(TABLE.length + 1)}`, bytes)
      await store.delete(key)
      result.moved.set(source, (result.moved.get(source) ?? 0) + 1)
      const stream = dataFileRange(key)?.stream
      if (stream) streams.set(stream, source)
    }
    // Replaced files first, manifests last, as compaction itself deletes them.
    const leftovers = infos.filter((info) => !live.has(info.key)).sort((a, b) => Number(isManifest(a.key)) - Number(isManifest(b.key)))
    for (const { key } of leftovers) await store.delete(key)
    result.removed += leftovers.length
  }
  for (const { key } of (await store.list(`${DEAD_LETTER_PREFIX}/`)).filter((info) => FLAT_DEAD_LETTER.test(info.key))) {
    const source = streams.get(dataFileRange(key)?.stream ?? '') ?? fallbackSource
    await store.put(`${DEAD_LETTER_PREFIX}/source=${source}/${key.slice(DEAD_LETTER_PREFIX.length + 1)}`, await store.get(key))
    await store.delete(key)
    result.deadLetters++
  }
  return result
}

/** The one source a data file's rows name, or `fallbackSource` when they name none. */
async function sourceOfFile(bytes: Uint8Array, key: string, fallbackSource: string): Promise<string> {
  const named = new Set((await decodeParquet(bytes)).map((row) => row.source).filter((source) => source))
  if (named.size > 1) {
    throw new HatecrimesError('BAD_INPUT', `Expected the rows of ${key} to name one source (found ${[...named].join(', ')}): move its rows by hand`)
  }
  const source = named.size ? [...named][0] : fallbackSource
  const problem = sourceNameProblem(source)
  if (problem) throw new HatecrimesError('BAD_INPUT', `${problem} in the source column of ${key}`)
  return source
}
