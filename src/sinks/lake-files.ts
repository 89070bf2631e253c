import type { DeadLetter, IncidentRecord } from '../core/record.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { ColumnBuilder, type Encoder } from '../lake/column-pack.ts'
import { DEAD_LETTER_PREFIX, dataFileKey, rangeName, type PartitionKey } from '../lake/partitions.ts'

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

/** The records of one future file of a lake partition, laid out as columns, with their first and last positions. */
export interface PartitionColumns {
  partition: PartitionKey
  builder: ColumnBuilder
  first: bigint
  last: bigint
}

/**
 * Adds a record to the columns of its lake partition's next file, starting them when `batch` is
 * undefined. Returns the batch.
 *
 * @example
 * open.set(id, addToColumns(open.get(id), record, 17n))
 */
export function addToColumns(batch: PartitionColumns | undefined, record: IncidentRecord, position: bigint): PartitionColumns {
  const columns = batch ?? { partition: { source: record.source, year: record.year, month: record.month }, builder: new ColumnBuilder(), first: position, last: position }
  columns.builder.add(record)
  columns.last = position
  return columns
}

/**
 * Writes one batch of a single lake partition as one Parquet file whose key is made from the stream
 * name and the batch's first and last positions, so writing the same batch again replaces the file.
 *
 * @example
 * const file = await writeBatch(store, 'incidents-3', batch) // incidents/source=austin_apd/year=2017/month=03/incidents-3-...parquet
 */
export async function writeBatch(store: ObjectStore, stream: string, batch: readonly Positioned[]): Promise<WrittenFile> {
  const { source, year, month } = batch[0].record
  const builder = new ColumnBuilder()
  for (const item of batch) builder.add(item.record)
  return writeColumns(store, stream, { partition: { source, year, month }, builder, first: batch[0].position, last: batch[batch.length - 1].position })
}

/**
 * Writes a partition's records already laid out as columns, as {@link writeBatch} writes records;
 * `encoder` encodes the file elsewhere (EncodeThread), else it is encoded here.
 *
 * @example
 * const file = await writeColumns(store, 'file-austin.csv', { partition: { source: 'austin_apd', year: 2017, month: 3 }, builder, first: 2n, last: 901n })
 */
export async function writeColumns(store: ObjectStore, stream: string, batch: PartitionColumns, encoder?: Encoder): Promise<WrittenFile> {
  const { partition, builder, first, last } = batch
  const key = dataFileKey(partition, stream, first, last)
  const rows = builder.rows
  const body = encoder ? await encoder(builder.done(), rows) : builder.encode()
  await store.put(key, body)
  return { key, partition, rows, bytes: body.byteLength, first, last }
}

/** A dead letter with its position in its stream (row number of a file, or Kafka offset). */
export interface PositionedLetter {
  letter: DeadLetter
  position: bigint
}

/**
 * The key of a dead-letter file, in its source's folder as incidents are, named like data files by
 * stream and first/last position so that a replay replaces it rather than adding a second copy.
 *
 * @example
 * deadLetterKey('austin_apd', 'incidents-p0', 10n, 42n) // dead_letters/source=austin_apd/incidents-p0-000000000000010-000000000000042.jsonl
 */
export function deadLetterKey(source: string, stream: string, first: bigint, last: bigint): string {
  return `${DEAD_LETTER_PREFIX}/source=${source}/${rangeName(stream, first, last)}.jsonl`
}

/** Serialises dead letters as JSON lines; bigint values (offsets) become strings. */
export function deadLetterLines(letters: readonly DeadLetter[]): string {
  return letters
    .map((letter) => JSON.stringify(letter, (_key, value) => (typeof value === 'bigint' ? String(value) : value)))
    .join('\n')
    .concat('\n')
}

/**
 * A batch of dead letters as the JSON-lines files that hold them, one per source in the lake's
 * `dead_letters/source=<source>/` folders (a Kafka partition can carry several sources).
 *
 * @example
 * deadLetterFiles('file-austin.csv', [{ letter, position: 17n }]) // [{ key: 'dead_letters/source=austin_apd/file-austin.csv-...jsonl', body }]
 */
export function deadLetterFiles(stream: string, batch: readonly PositionedLetter[]): { key: string; body: Uint8Array }[] {
  return [...Map.groupBy(batch, (item) => item.letter.source)].map(([source, letters]) => ({
    key: deadLetterKey(source, stream, letters[0].position, letters[letters.length - 1].position),
    body: new TextEncoder().encode(deadLetterLines(letters.map((item) => item.letter))),
  }))
}

/**
 * Writes a batch of dead letters (see {@link deadLetterFiles}); returns the keys written.
 *
 * @example
 * await writeDeadLetters(store, 'file-austin.csv', [{ letter, position: 17n }]) // ['dead_letters/source=austin_apd/file-austin.csv-...jsonl']
 */
export async function writeDeadLetters(store: ObjectStore, stream: string, batch: readonly PositionedLetter[]): Promise<string[]> {
  return Promise.all(deadLetterFiles(stream, batch).map(async ({ key, body }) => (await store.put(key, body), key)))
}
