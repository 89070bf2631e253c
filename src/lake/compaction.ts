import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEFAULTS } from '../core/config.ts'
import type { IncidentRecord } from '../core/record.ts'
import { claimedKeys, isManifest, liveDataFiles, manifestBytes, manifestKey, readManifests, type Manifest } from './compaction-manifest.ts'
import { ObjectExistsError, type ObjectInfo, type ObjectStore } from './object-store.ts'
import { decodeParquet, encodeParquet } from './parquet-file.ts'
import { dataFileKey, dataFileRange, partitionOf, partitionPath, TABLE, type PartitionKey } from './partitions.ts'

/**
 * Compaction merges the small files of a partition, one stream at a time, without a moment when a
 * reader (anything that picks its files with `liveDataFiles`, see compaction-manifest.ts) sees rows
 * missing or doubled:
 *
 * 1. list the partition; files that any manifest names are left alone (another run holds them);
 * 2. read the small files, then write a manifest naming the merged file and the files it replaces,
 *    conditionally, so a second run over the same files stands back;
 * 3. list again: a manifest of another run that claims one of our files means both listed before
 *    either manifest existed; we delete ours and stand back (the later of two manifests always sees
 *    the earlier one, so at most one run goes on);
 * 4. write the merged file (one atomic put: it is absent or whole, never partial);
 * 5. wait `settleMs`, so readers that listed before step 4 have finished reading the small files;
 * 6. delete the replaced files, then the manifest.
 *
 * A crash before step 4 leaves a manifest without its merged file, which readers ignore; a crash
 * after it leaves one that hides the replaced files. Either way the lake reads right, and the
 * claimed files are not merged again under another name. The next run finishes the deletes as soon
 * as the dead run's settle is over (merged file present: until then readers that glob the folder
 * without reading manifests see its rows twice), or drops the manifest after ten minutes (merged
 * file absent: it hides nothing, and a live run may still be about to write it).
 *
 * The merged file is named like the files it replaces, `<stream>-<first>-<last>.parquet`, so the
 * pipelines' replay rules still hold after a compaction: a rerun of the same input removes the
 * stream's files it did not write again, and a Kafka ingest coming back removes its partition's
 * files that start at or past the committed offset. Only the newest file of a Kafka stream can hold
 * uncommitted rows (a flush writes, then commits), so that file is never merged: a merged file
 * starting below the committed offset but holding rows past it would survive that clean-up, and the
 * replay would write its rows twice.
 */
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

/** A manifest whose merged file was never written, this old, belongs to a run that died. */
const ABANDONED_MS = 10 * 60_000
/**
 * Past its settle, a run deletes at once; this margin covers a slow delete and clocks (the store's
 * times against ours) that disagree by up to a minute.
 */
const FINISH_MARGIN_MS = 60_000

/** A Kafka ingest's stream name, `<topic>-p<partition>-g<generation>` (sinks/kafka-partition-buffer.ts). */
const KAFKA_STREAM = /-p\d+(?:-g\d+)?$/

/**
 * Finishes or drops manifests that a crashed run left behind. One whose merged file exists is
 * finished as soon as its run's settle is over (plus a margin): until then other readers of the
 * folder (a `read_parquet` glob) see the merged rows twice, so it is not left for ten minutes.
 * One without its merged file hides nothing; it is dropped after ten minutes, when no run can
 * still be about to write it.
 */
async function recover(store: ObjectStore, infos: readonly ObjectInfo[], now: number): Promise<void> {
  const byKey = new Map(infos.map((info) => [info.key, info]))
  for (const info of infos.filter((i) => isManifest(i.key))) {
    const [manifest] = await readManifests(store, [info])
    if (!manifest) continue
    const merged = byKey.get(manifest.merged)
    if (merged ? now - merged.modified.getTime() <= (manifest.settleMs ?? ABANDONED_MS) + FINISH_MARGIN_MS : now - info.modified.getTime() <= ABANDONED_MS) continue
    if (merged) for (const key of manifest.replaced) await store.delete(key)
    await store.delete(info.key)
  }
}

/**
 * Finishes, anywhere in the lake, what compactions killed after writing their merged file left
 * behind (see `recover`), so that readers that glob the files see each row once again without
 * waiting for the next `compact`. `run` calls it when it starts, as it removes killed writes' files.
 *
 * @example
 * await finishKilledCompactions(store)
 */
export async function finishKilledCompactions(store: ObjectStore, now = Date.now()): Promise<void> {
  const listing = await store.list(`${TABLE}/`)
  if (listing.some((info) => isManifest(info.key))) await recover(store, listing, now)
}

/** The files of a partition grouped by the stream that wrote them, with the name their merge gets. */
function mergeGroups(partition: PartitionKey, files: readonly ObjectInfo[]): Manifest[] {
  const groups = new Map<string, string[]>()
  for (const { key } of files) {
    const stream = dataFileRange(key)?.stream ?? ''
    groups.set(stream, [...(groups.get(stream) ?? []), key])
  }
  return [...groups].map(([stream, keys]) => {
    const newest = KAFKA_STREAM.test(stream) ? keys.reduce((a, b) => (dataFileRange(b)!.last > dataFileRange(a)!.last ? b : a)) : undefined
    const replaced = keys.filter((key) => key !== newest)
    const ranges = replaced.map((key) => dataFileRange(key)!)
    const merged = stream
      ? dataFileKey(partition, stream, bigMin(ranges.map((r) => r.first)), bigMax(ranges.map((r) => r.last)))
      : `${partitionPath(partition)}/compacted-${idOf(replaced)}.parquet`
    return { merged, replaced }
  })
}

const idOf = (keys: readonly string[]) => createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 16)
const bigMin = (values: bigint[]) => values.reduce((a, b) => (b < a ? b : a), values[0] ?? 0n)
const bigMax = (values: bigint[]) => values.reduce((a, b) => (b > a ? b : a), values[0] ?? 0n)

/**
 * Merges the small files of one partition, one file per stream (rows ordered by date, then lineage).
 *
 * @example
 * const { merged, replaced, rows } = await compactPartition(store, { source: 'austin_apd', year: 2017, month: 3 })
 */
export async function compactPartition(store: ObjectStore, partition: PartitionKey, options: CompactOptions = {}): Promise<CompactResult> {
  const { minFiles = 2, graceMs = DEFAULTS.compactGraceMs, settleMs = DEFAULTS.compactSettleMs, now = Date.now() } = options
  const folder = `${partitionPath(partition)}/`
  await recover(store, await store.list(folder), now)
  const listing = await store.list(folder)
  const present = new Set(listing.map((info) => info.key))
  const manifests = await readManifests(store, listing)
  const claimed = claimedKeys(manifests)
  const free = liveDataFiles(listing, manifests).filter((info) => !claimed.has(info.key) && now - info.modified.getTime() >= graceMs)
  const result: CompactResult = { partition, merged: [], replaced: 0, rows: 0 }
  for (const group of mergeGroups(partition, free)) {
    // A merged name already taken (an overlapping replay, or a run under way) is left for later.
    if (group.replaced.length < Math.max(2, minFiles) || present.has(group.merged)) continue
    const rows = await mergeGroup(store, folder, { ...group, settleMs })
    if (rows === undefined) continue
    result.merged.push(group.merged)
    result.replaced += group.replaced.length
    result.rows += rows
  }
  return result
}

/** Steps 2-6 for one group; undefined when another run holds any of the same files. */
async function mergeGroup(store: ObjectStore, folder: string, group: Manifest & { settleMs: number }): Promise<number | undefined> {
  const rows: Row[] = []
  for (const key of group.replaced) rows.push(...(await decodeParquet(await store.get(key))))
  rows.sort(byLineage)
  const key = manifestKey(folder, idOf(group.replaced))
  try {
    await store.put(key, manifestBytes(group), { ifNoneMatch: true })
  } catch (error) {
    if (error instanceof ObjectExistsError) return undefined
    throw error
  }
  const others = await readManifests(store, (await store.list(folder)).filter((info) => info.key !== key))
  const claimed = claimedKeys(others)
  if (claimed.has(group.merged) || group.replaced.some((replaced) => claimed.has(replaced))) {
    await store.delete(key)
    return undefined
  }
  await store.put(group.merged, encodeParquet(rows))
  await sleep(group.settleMs)
  for (const replaced of group.replaced) await store.delete(replaced)
  await store.delete(key)
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
    if (partition) seen.set(partitionPath(partition), partition)
  }
  return [...seen.values()]
}
