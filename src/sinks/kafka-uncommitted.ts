import type { ObjectInfo, ObjectStore } from '../lake/object-store.ts'
import { DEAD_LETTER_PREFIX, TABLE, dataFileRange, kafkaStreamOf, streamLabel } from '../lake/partitions.ts'
import type { FlushedFile } from './kafka-partition-buffer.ts'

/**
 * Clean-up of lake files whose Kafka commit never happened: leftovers of a crashed member, of a
 * member that lost its partitions while writing, and of a flush whose own commit was fenced.
 */

/** Lake folders (`incidents/source=…/year=…/month=…`, `dead_letters/source=…`) to look in instead of the whole lake. */
export interface Within {
  /** The only Kafka partition looked at (its files are found by name within each folder). */
  partition: number
  folders: Iterable<string>
}

/** A group's generations count from 1 (`-1` when the client does not know it): files of earlier ones need a later one. */
const FIRST_GENERATION = 1

/** Listings made at once: enough to hide S3's latency, few enough for a small machine. */
const PARALLEL_LISTS = 8

/** The objects under `prefixes`, listed a few at a time. */
async function listAll(store: ObjectStore, prefixes: readonly string[]): Promise<ObjectInfo[]> {
  const objects: ObjectInfo[] = []
  for (let at = 0; at < prefixes.length; at += PARALLEL_LISTS) {
    for (const listed of await Promise.all(prefixes.slice(at, at + PARALLEL_LISTS).map((prefix) => store.list(prefix)))) objects.push(...listed)
  }
  return objects
}

/**
 * Deletes the data and dead-letter files of Kafka partitions whose first offset is at or past
 * `starts.get(partition)` (the offset the group resumed the partition at) and that an earlier
 * generation wrote: flushes whose commit never happened (a crash, or a member that lost the
 * partition while writing). The owner calls it on assignment, when it cannot know which lake
 * partitions the leftovers are in and one listing of the lake serves every partition. Before each
 * commit it calls it again, because an old owner that has not yet noticed it lost the partition
 * may still be writing; then `within` names the lake partitions the owner has written since it was
 * assigned, which are the only ones an old owner can write the same offsets into (a record's lake
 * partition comes from the record alone), and only this partition's files there are listed.
 * Returns the keys deleted. In a group's first generation there is no earlier one, so nothing is
 * listed.
 *
 * @example
 * await removeUncommitted(store, 'incidents', new Map([[0, 1200n], [1, 980n]]), 7)
 * await removeUncommitted(store, 'incidents', new Map([[0, 1200n]]), 7, { partition: 0, folders: ['incidents/source=austin_apd/year=2017/month=03'] })
 */
export async function removeUncommitted(
  store: ObjectStore,
  topic: string,
  starts: ReadonlyMap<number, bigint>,
  generation: number,
  within?: Within,
): Promise<string[]> {
  if (generation <= FIRST_GENERATION) return []
  const label = streamLabel(topic)
  const named = within && `${label}-p${within.partition}-g`
  const prefixes = named ? [...within.folders].map((folder) => `${folder}/${named}`) : [`${TABLE}/`, `${DEAD_LETTER_PREFIX}/`]
  const objects = await listAll(store, prefixes)
  const stale = objects.filter((object) => {
    const range = dataFileRange(object.key)
    const stream = range && kafkaStreamOf(range.stream)
    // Generations only grow: a newer one's files belong to an owner that came after this caller.
    if (!stream || stream.label !== label || stream.generation >= generation) return false
    const from = starts.get(stream.partition)
    return from !== undefined && range!.first >= from
  })
  for (const object of stale) await store.delete(object.key)
  return stale.map((object) => object.key)
}

/**
 * Undoes a flush whose commit did not land: deletes its files, but only those still as this
 * member wrote them (same tag).
 *
 * @example
 * await undoFlush(store, flushed.files)
 */
export async function undoFlush(store: ObjectStore, files: readonly FlushedFile[]): Promise<void> {
  for (const file of files) {
    const now = await store.head(file.key)
    if (now && now.etag === file.etag) await store.delete(file.key)
  }
}
