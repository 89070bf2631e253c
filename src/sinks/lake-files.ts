import type { IncidentRecord } from '../core/record.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { encodeParquet } from '../lake/parquet-file.ts'
import { dataFileKey, type PartitionKey } from '../lake/partitions.ts'

/** A record with its position in its stream (row number of a file, or Kafka offset). */
export interface Positioned {
  record: IncidentRecord
  position: bigint
}

/** What one flush wrote. */
export interface WrittenFile {
  key: string
  partition: PartitionKey
  rows: number
  bytes: number
  first: bigint
  last: bigint
}

/** Groups positioned records by lake partition (year/month of the incident date), keeping stream order. */
export function groupByPartition(items: readonly Positioned[]): Map<string, Positioned[]> {
  const groups = new Map<string, Positioned[]>()
  for (const item of items) {
    const id = `${item.record.year}-${item.record.month}`
    const group = groups.get(id)
    if (group) group.push(item)
    else groups.set(id, [item])
  }
  return groups
}

/**
 * Writes one batch of a single lake partition as one Parquet file whose key is made from the stream
 * name and the batch's first and last positions, so writing the same batch again replaces the file.
 *
 * @example
 * const file = await writeBatch(store, 'incidents-3', batch) // incidents/year=2017/month=03/incidents-3-...parquet
 */
export async function writeBatch(store: ObjectStore, stream: string, batch: readonly Positioned[]): Promise<WrittenFile> {
  const { year, month } = batch[0].record
  const first = batch[0].position
  const last = batch[batch.length - 1].position
  const key = dataFileKey({ year, month }, stream, first, last)
  const body = encodeParquet(batch.map((item) => item.record))
  await store.put(key, body)
  return { key, partition: { year, month }, rows: batch.length, bytes: body.byteLength, first, last }
}

/** Writes every partition of a batch, one file each, and returns what was written. */
export async function writePartitioned(
  store: ObjectStore,
  stream: string,
  items: readonly Positioned[],
): Promise<WrittenFile[]> {
  const written: WrittenFile[] = []
  for (const group of groupByPartition(items).values()) written.push(await writeBatch(store, stream, group))
  return written
}
