import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { IncidentRecord } from '../core/record.ts'
import { ObjectExistsError, ObjectMissingError, type ObjectInfo, type ObjectStore } from './object-store.ts'
import { decodeParquet, encodeParquet } from './parquet-file.ts'
import { dataFileKey, dataFileRange, partitionOf, partitionPath, TABLE, type PartitionKey } from './partitions.ts'

/**
 * Compaction merges the small files of a partition, one stream at a time, without a moment when a
 * reader (anything that picks its files with {@link liveDataFiles}) sees rows missing or doubled:
 *
 * 1. write a manifest `_compaction-<id>.json` naming the merged file and the files it replaces,
 *    conditionally, so a second run over the same files stands back;
 * 2. write the merged file (one atomic put: it is absent or whole, never partial);
 * 3. wait `settleMs`, so readers that listed before step 2 have finished reading the small files;
 * 4. delete the replaced files, then the manifest.
 *
 * Readers hide the replaced files whenever a manifest names them and its merged file exists
 * (steps 2-4), and ignore a manifest whose merged file does not exist yet (step 1), so no state
 * "incomplete" is needed. A crash at any step leaves a lake that reads right; the next run finishes
 * or drops a manifest older than ten minutes. The merged file is named like the files it replaces,
 * `<stream>-<first>-<last>.parquet`, so the pipelines' replay rules (a rerun of the same input
 * removes that stream's files it did not write again) still hold after a compaction.
 */
export interface Manifest {
  merged: string
  replaced: string[]
}

const MANIFEST = /\/_compaction-[0-9a-f]+\.json$/

/**
 * The data files a reader should read, given a listing and the manifests found in it.
 *
 * @example
 * const infos = await store.list('incidents/')
 * const files = liveDataFiles(infos, await readManifests(store, infos))
 */
export function liveDataFiles(infos: readonly ObjectInfo[], manifests: readonly Manifest[]): ObjectInfo[] {
  const present = new Set(infos.map((info) => info.key))
  const hidden = new Set(manifests.filter((m) => present.has(m.merged)).flatMap((m) => m.replaced))
  return infos.filter((info) => info.key.endsWith('.parquet') && !hidden.has(info.key))
}

/**
 * Reads the compaction manifests of a listing. A manifest gone since the listing is skipped: it is
 * deleted only after every file it replaced, so the listing's copies of those files no longer
 * exist and a reader that tries them lists again.
 *
 * @example
 * const manifests = await readManifests(store, await store.list('incidents/'))
 */
export async function readManifests(store: ObjectStore, infos: readonly ObjectInfo[]): Promise<Manifest[]> {
  const keys = infos.filter((info) => MANIFEST.test(info.key)).map((info) => info.key)
  const read = await Promise.all(keys.map((key) => store.get(key).then(parseManifest, skipMissing)))
  return read.filter((manifest) => manifest !== undefined)
}

/** A manifest from its bytes. */
export function parseManifest(bytes: Uint8Array): Manifest {
  return JSON.parse(new TextDecoder().decode(bytes)) as Manifest
}

function skipMissing(error: unknown): undefined {
  if (error instanceof ObjectMissingError) return undefined
  throw error
}

/** Whether a key is a compaction manifest. */
export const isManifest = (key: string): boolean => MANIFEST.test(key)

export interface CompactOptions {
  /** Merge a stream's files only when it has at least this many old enough (2 at least). */
  minFiles?: number
  /** Files younger than this are left alone, so a live writer is never raced. */
  graceMs?: number
  /** Pause between writing the merged file and deleting the replaced ones. */
  settleMs?: number
  now?: number
}

export interface CompactResult {
  partition: PartitionKey
  /** The merged files written, one per stream that had enough small files. */
  merged: string[]
  replaced: number
  rows: number
}

type Row = Omit<IncidentRecord, 'year' | 'month'>

const byLineage = (a: Row, b: Row) =>
  a.incident_date.localeCompare(b.incident_date) ||
  (a.source_file ?? a.kafka_topic ?? '').localeCompare(b.source_file ?? b.kafka_topic ?? '') ||
  (a.kafka_partition ?? 0) - (b.kafka_partition ?? 0) ||
  Number(a.source_row ?? a.kafka_offset ?? 0) - Number(b.source_row ?? b.kafka_offset ?? 0)

/** Manifests this old belong to a run that died, not to one still at work. */
const ABANDONED_MS = 10 * 60_000

/** Finishes or drops manifests that a crashed run left behind. */
async function recover(store: ObjectStore, infos: readonly ObjectInfo[], now: number): Promise<void> {
  const present = new Set(infos.map((info) => info.key))
  for (const info of infos.filter((i) => MANIFEST.test(i.key) && now - i.modified.getTime() > ABANDONED_MS)) {
    const [manifest] = await readManifests(store, [info])
    if (manifest && present.has(manifest.merged)) for (const key of manifest.replaced) await store.delete(key)
    await store.delete(info.key)
  }
}

/** The files of a partition grouped by the stream that wrote them, with the name their merge gets. */
function mergeGroups(partition: PartitionKey, files: readonly ObjectInfo[]): { merged: string; replaced: string[] }[] {
  const groups = new Map<string, string[]>()
  for (const { key } of files) {
    const stream = dataFileRange(key)?.stream ?? ''
    groups.set(stream, [...(groups.get(stream) ?? []), key])
  }
  return [...groups].map(([stream, replaced]) => {
    const ranges = replaced.map((key) => dataFileRange(key)!)
    const merged = stream
      ? dataFileKey(partition, stream, bigMin(ranges.map((r) => r.first)), bigMax(ranges.map((r) => r.last)))
      : `${partitionPath(partition)}/compacted-${idOf(replaced)}.parquet`
    return { merged, replaced }
  })
}

const idOf = (keys: readonly string[]) => createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 16)
const bigMin = (values: bigint[]) => values.reduce((a, b) => (b < a ? b : a))
const bigMax = (values: bigint[]) => values.reduce((a, b) => (b > a ? b : a))

/**
 * Merges the small files of one partition, one file per stream (rows ordered by date, then lineage).
 *
 * @example
 * const { merged, replaced, rows } = await compactPartition(store, { year: 2017, month: 3 })
 */
export async function compactPartition(store: ObjectStore, partition: PartitionKey, options: CompactOptions = {}): Promise<CompactResult> {
  const { minFiles = 2, graceMs = 120_000, settleMs = 10_000, now = Date.now() } = options
  const folder = `${partitionPath(partition)}/`
  await recover(store, await store.list(folder), now)
  const listing = await store.list(folder)
  const present = new Set(listing.map((info) => info.key))
  const old = liveDataFiles(listing, await readManifests(store, listing)).filter((info) => now - info.modified.getTime() >= graceMs)
  const result: CompactResult = { partition, merged: [], replaced: 0, rows: 0 }
  for (const group of mergeGroups(partition, old)) {
    // A merged name already taken (an overlapping replay, or a run under way) is left for later.
    if (group.replaced.length < Math.max(2, minFiles) || present.has(group.merged)) continue
    const rows = await mergeGroup(store, folder, group, settleMs)
    if (rows === undefined) continue
    result.merged.push(group.merged)
    result.replaced += group.replaced.length
    result.rows += rows
  }
  return result
}

/** Steps 1-4 for one group; undefined when another run holds the same files. */
async function mergeGroup(store: ObjectStore, folder: string, group: Manifest, settleMs: number): Promise<number | undefined> {
  const rows: Row[] = []
  for (const key of group.replaced) rows.push(...(await decodeParquet(await store.get(key))))
  rows.sort(byLineage)
  const manifestKey = `${folder}_compaction-${idOf(group.replaced)}.json`
  try {
    await store.put(manifestKey, new TextEncoder().encode(JSON.stringify(group satisfies Manifest)), { ifNoneMatch: true })
  } catch (error) {
    if (error instanceof ObjectExistsError) return undefined
    throw error
  }
  await store.put(group.merged, encodeParquet(rows))
  await sleep(settleMs)
  for (const key of group.replaced) await store.delete(key)
  await store.delete(manifestKey)
  return rows.length
}

/**
 * Every partition of the lake, from its listing.
 *
 * @example
 * for (const partition of await lakePartitions(store)) await compactPartition(store, partition)
 */
export async function lakePartitions(store: ObjectStore): Promise<PartitionKey[]> {
  const seen = new Map<string, PartitionKey>()
  for (const info of await store.list(`${TABLE}/`)) {
    const partition = partitionOf(info.key)
    if (partition) seen.set(`${partition.year}-${partition.month}`, partition)
  }
  return [...seen.values()]
}
