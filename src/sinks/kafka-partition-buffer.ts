import type { DeadLetter } from '../core/record.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { DEAD_LETTER_PREFIX, TABLE, dataFileRange, safeName } from '../lake/partitions.ts'
import { groupByPartition, writeBatch, writeDeadLetters, type Positioned, type PositionedLetter } from './lake-files.ts'

/** The lake stream name of a Kafka partition; it names (and so finds) that partition's files. */
export function partitionStream(topic: string, partition: number): string {
  return `${topic}-p${partition}`
}

/**
 * The stream a member writes a partition under in one group generation. Two members that hold the
 * same partition one after the other (a rebalance) never write the same file name, so the old
 * owner undoing a fenced flush can never delete a file of the new owner, even when both cut their
 * batches at the same offsets.
 */
export function generationStream(topic: string, partition: number, generation: number): string {
  return `${partitionStream(topic, partition)}-g${generation}`
}

/** A file a flush wrote, with the tag it had right after, to undo exactly that write. */
export interface FlushedFile {
  key: string
  etag: string
}

/**
 * The records of one Kafka partition that are consumed but not yet in the lake, all its lake
 * partitions together: a flush writes them all, so after it every offset below `next` is in a file
 * and `next` is what may be committed. Offsets must arrive in order without gaps (`next` is checked
 * by the caller), so the files of a partition always cover a contiguous range.
 *
 * @example
 * const buffer = new KafkaPartitionBuffer('incidents', 0, 1200n, 3)
 * buffer.add({ record, position: 1200n }, 850)
 * const files = await buffer.flush(store)
 */
export class KafkaPartitionBuffer {
  readonly stream: string
  /** The next offset expected; after a flush, the offset to commit. */
  next: bigint
  bytes = 0
  /** When the oldest buffered record arrived (ms, performance clock); undefined when empty. */
  since: number | undefined
  private records: Positioned[] = []
  private letters: PositionedLetter[] = []

  constructor(topic: string, partition: number, next: bigint, generation: number) {
    this.stream = generationStream(topic, partition, generation)
    this.next = next
  }

  get count(): number {
    return this.records.length + this.letters.length
  }

  add(item: Positioned, bytes: number): void {
    this.records.push(item)
    this.took(item.position, bytes)
  }

  reject(letter: DeadLetter, position: bigint, bytes: number): void {
    this.letters.push({ letter, position })
    this.took(position, bytes)
  }

  /** The dead letters waiting in this buffer (to be sent to the dead-letter topic before a commit). */
  pendingLetters(): readonly DeadLetter[] {
    return this.letters.map((item) => item.letter)
  }

  /**
   * Writes every buffered record (one Parquet file per lake partition) and dead letter (one
   * JSON-lines file), each named by this stream and its first and last offsets, then empties the
   * buffer. `next` is then safe to commit.
   */
  async flush(store: ObjectStore): Promise<{ files: FlushedFile[]; rows: number; letters: number }> {
    const keys: string[] = []
    for (const group of groupByPartition(this.records).values()) keys.push((await writeBatch(store, this.stream, group)).key)
    if (this.letters.length) keys.push(await writeDeadLetters(store, this.stream, this.letters))
    const files: FlushedFile[] = []
    for (const key of keys) files.push({ key, etag: (await store.head(key))?.etag ?? '' })
    const done = { files, rows: this.records.length, letters: this.letters.length }
    this.records = []
    this.letters = []
    this.bytes = 0
    this.since = undefined
    return done
  }

  private took(position: bigint, bytes: number): void {
    this.next = position + 1n
    this.bytes += bytes
    this.since ??= performance.now()
  }
}

/**
 * Deletes the data and dead-letter files of a Kafka partition (of any generation) whose first
 * offset is at or past `from`, the offset the group resumes at: they were written by a flush whose commit never
 * happened (a crash, or a member that lost the partition), and the replay from `from` writes those
 * records again, perhaps in differently cut files. Returns the keys deleted.
 *
 * @example
 * await removeUncommitted(store, 'incidents-p0', 1200n)
 */
export async function removeUncommitted(store: ObjectStore, stream: string, from: bigint): Promise<string[]> {
  const own = safeName(stream)
  const objects = [...(await store.list(`${TABLE}/`)), ...(await store.list(`${DEAD_LETTER_PREFIX}/`))]
  const stale = objects.filter((object) => {
    const range = dataFileRange(object.key)
    return range !== undefined && (range.stream === own || range.stream.startsWith(`${own}-g`)) && range.first >= from
  })
  for (const object of stale) await store.delete(object.key)
  return stale.map((object) => object.key)
}

/**
 * Undoes a flush whose commit was fenced: deletes its files, but only those still as this member
 * wrote them (same tag), so a file the partition's new owner has since rewritten under the same
 * name is left alone.
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
