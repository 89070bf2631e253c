import type { DeadLetter } from '../core/record.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { DEAD_LETTER_PREFIX, TABLE, dataFileRange, streamLabel } from '../lake/partitions.ts'
import { addToColumns, writeColumns, writeDeadLetters, type PartitionColumns, type Positioned, type PositionedLetter } from './lake-files.ts'

/**
 * The stream a member writes a Kafka partition under in one group generation:
 * `<topic label>-p<partition>-g<generation>`. The topic label is the topic itself, or a shortened
 * name with a hash for long topics, so the suffix is never cut off. Two members that hold the same
 * partition one after the other never write the same file name, so an old owner undoing a fenced
 * flush can never delete a file of the new owner, even when both cut their batches alike.
 *
 * @example
 * kafkaStream('incidents', 2, 7) // 'incidents-p2-g7'
 */
export function kafkaStream(topic: string, partition: number, generation: number): string {
  return `${streamLabel(topic)}-p${partition}-g${generation}`
}

/** Reads topic label, partition and generation back out of a Kafka stream name. */
export function kafkaStreamOf(stream: string): { label: string; partition: number; generation: number } | undefined {
  const match = /^(.+)-p(\d+)-g(\d+)$/.exec(stream)
  return match ? { label: match[1], partition: Number(match[2]), generation: Number(match[3]) } : undefined
}

/** A file a flush wrote, with the tag it had right after, to undo exactly that write. */
export interface FlushedFile {
  key: string
  etag: string
}

/**
 * The records of one Kafka partition that are consumed but not yet in the lake, all its lake
 * partitions together: a flush writes them all, so after it every offset below `next` is in a file
 * and `next` is what may be committed. `next` can run past the last record (transaction markers
 * and compacted-away offsets leave gaps), so files cover the record offsets they hold.
 *
 * @example
 * const buffer = new KafkaPartitionBuffer('incidents', 0, 1200n, 3)
 * buffer.add({ record, position: 1200n }, 850)
 * const files = await buffer.flush(store)
 */
export class KafkaPartitionBuffer {
  readonly partition: number
  readonly stream: string
  /** The next offset expected; after a flush, the offset to commit. */
  next: bigint
  bytes = 0
  /** When the oldest unflushed offset arrived (ms, performance clock); undefined when none. */
  since: number | undefined
  /** Records already laid out as columns, one builder per lake partition (source/year/month): compact in memory. */
  private open = new Map<string, PartitionColumns>()
  private rows = 0
  private letters: PositionedLetter[] = []

  constructor(topic: string, partition: number, next: bigint, generation: number) {
    this.partition = partition
    this.stream = kafkaStream(topic, partition, generation)
    this.next = next
  }

  get count(): number {
    return this.rows + this.letters.length
  }

  add(item: Positioned, bytes: number): void {
    const id = `${item.record.source}/${item.record.year * 100 + item.record.month}`
    this.open.set(id, addToColumns(this.open.get(id), item.record, item.position))
    this.rows++
    this.took(item.position + 1n, bytes)
  }

  reject(letter: DeadLetter, position: bigint, bytes: number): void {
    this.letters.push({ letter, position })
    this.took(position + 1n, bytes)
  }

  /** Moves `next` over offsets that hold no record (a transaction marker at the end of a fetch). */
  skipTo(next: bigint): void {
    if (next > this.next) this.took(next, 0)
  }

  /**
   * Writes every buffered record (one Parquet file per lake partition) and dead letter (one
   * JSON-lines file), each named by this stream and its first and last offsets, then empties the
   * buffer. `next` is then safe to commit.
   */
  async flush(store: ObjectStore): Promise<{ files: FlushedFile[]; rows: number; letters: number }> {
    // Encoding runs one file at a time; the writes (each made durable) overlap.
    const writes = [...this.open.values()].map(async (batch) => (await writeColumns(store, this.stream, batch)).key)
    const letters = this.letters.length ? writeDeadLetters(store, this.stream, this.letters) : []
    const keys = (await Promise.all([...writes, letters])).flat()
    const files = await Promise.all(keys.map(async (key) => ({ key, etag: (await store.head(key))?.etag ?? '' })))
    const done = { files, rows: this.rows, letters: this.letters.length }
    this.open = new Map()
    this.rows = 0
    this.letters = []
    this.bytes = 0
    this.since = undefined
    return done
  }

  private took(next: bigint, bytes: number): void {
    this.next = next
    this.bytes += bytes
    this.since ??= performance.now()
  }
}

/**
 * Deletes the data and dead-letter files of Kafka partitions whose first offset is at or past
 * `starts.get(partition)` (the offset the group resumed the partition at) and that an earlier
 * generation wrote: flushes whose commit never happened (a crash, or a member that lost the
 * partition while writing). The owner calls it on assignment and again before each commit, because
 * an old owner that has not yet noticed it lost the partition may still be writing. One listing
 * serves every partition. Returns the keys deleted.
 *
 * @example
 * await removeUncommitted(store, 'incidents', new Map([[0, 1200n], [1, 980n]]), 7)
 */
export async function removeUncommitted(store: ObjectStore, topic: string, starts: ReadonlyMap<number, bigint>, generation: number): Promise<string[]> {
  const label = streamLabel(topic)
  const objects = [...(await store.list(`${TABLE}/`)), ...(await store.list(`${DEAD_LETTER_PREFIX}/`))]
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
