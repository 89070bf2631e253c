import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { IncidentRecord } from '../core/record.ts'
import { ObjectExistsError, type ObjectInfo, type ObjectStore } from './object-store.ts'
import { decodeParquet, encodeParquet } from './parquet-file.ts'
import { partitionOf, partitionPath, TABLE, type PartitionKey } from './partitions.ts'

/**
 * Compaction merges the small files of a partition into one, without a moment when a reader of the
 * lake (anything that lists files through {@link liveDataFiles}) sees rows missing or doubled:
 *
 * 1. write a manifest `_compaction-<id>.json` naming the merged file and the files it replaces;
 * 2. write the merged file `compacted-<id>.parquet`;
 * 3. wait `settleMs`, so readers that listed before step 2 have listed again;
 * 4. delete the replaced files, then the manifest.
 *
 * Readers hide the replaced files whenever the merged file exists (steps 2-4), and ignore a manifest
 * whose merged file does not exist yet (step 1). A crash at any step leaves a lake that reads right;
 * the next run finishes or drops the leftover manifest.
 */
export interface Manifest {
  merged: string
  replaced: string[]
}

const MANIFEST = /\/_compaction-[0-9a-f]+\.json$/

/** The data files a reader should read, given a listing and the manifests found in it. */
export function liveDataFiles(infos: readonly ObjectInfo[], manifests: readonly Manifest[]): ObjectInfo[] {
  const present = new Set(infos.map((info) => info.key))
  const hidden = new Set(manifests.filter((m) => present.has(m.merged)).flatMap((m) => m.replaced))
  return infos.filter((info) => info.key.endsWith('.parquet') && !hidden.has(info.key))
}

/** Reads the compaction manifests of a listing. */
export async function readManifests(store: ObjectStore, infos: readonly ObjectInfo[]): Promise<Manifest[]> {
  const keys = infos.filter((info) => MANIFEST.test(info.key)).map((info) => info.key)
  return Promise.all(keys.map(async (key) => JSON.parse(new TextDecoder().decode(await store.get(key))) as Manifest))
}

export interface CompactOptions {
  /** Merge only when a partition has at least this many files old enough. */
  minFiles?: number
  /** Files younger than this are left alone, so a live writer is never raced. */
  graceMs?: number
  /** Pause between writing the merged file and deleting the replaced ones. */
  settleMs?: number
  now?: number
}

export interface CompactResult {
  partition: PartitionKey
  merged?: string
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
    if (present.has(manifest.merged)) for (const key of manifest.replaced) await store.delete(key)
    await store.delete(info.key)
  }
}

/**
 * Merges the small files of one partition into one file (rows ordered by date, then lineage).
 *
 * @example
 * await compactPartition(store, { year: 2017, month: 3 })
 */
export async function compactPartition(store: ObjectStore, partition: PartitionKey, options: CompactOptions = {}): Promise<CompactResult> {
  const { minFiles = 2, graceMs = 120_000, settleMs = 10_000, now = Date.now() } = options
  const folder = `${partitionPath(partition)}/`
  await recover(store, await store.list(folder), now)
  const files = (await store.list(folder)).filter((info) => info.key.endsWith('.parquet') && now - info.modified.getTime() >= graceMs)
  if (files.length < minFiles) return { partition, replaced: 0, rows: 0 }
  const replaced = files.map((info) => info.key)
  const id = createHash('sha256').update(replaced.join('\n')).digest('hex').slice(0, 16)
  const merged = `${folder}compacted-${id}.parquet`
  const rows: Row[] = []
  for (const key of replaced) rows.push(...(await decodeParquet(await store.get(key))))
  rows.sort(byLineage)
  const manifestKey = `${folder}_compaction-${id}.json`
  try {
    // A conditional write: a second compaction of the same files stops here instead of racing the first.
    await store.put(manifestKey, new TextEncoder().encode(JSON.stringify({ merged, replaced } satisfies Manifest)), { ifNoneMatch: true })
  } catch (error) {
    if (error instanceof ObjectExistsError) return { partition, replaced: 0, rows: 0 }
    throw error
  }
  await store.put(merged, encodeParquet(rows))
  await sleep(settleMs)
  for (const key of replaced) await store.delete(key)
  await store.delete(manifestKey)
  return { partition, merged, replaced: replaced.length, rows: rows.length }
}

/** Every partition of the lake, from its listing. */
export async function lakePartitions(store: ObjectStore): Promise<PartitionKey[]> {
  const seen = new Map<string, PartitionKey>()
  for (const info of await store.list(`${TABLE}/`)) {
    const partition = partitionOf(info.key)
    if (partition) seen.set(`${partition.year}-${partition.month}`, partition)
  }
  return [...seen.values()]
}
