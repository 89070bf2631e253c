import { createHash } from 'node:crypto'

/**
 * Lake layout: `incidents/source=<source>/year=YYYY/month=MM/<file>.parquet`, Hive-style so Spark,
 * Trino, Athena, DuckDB and pandas read the partition columns from the path. Each source (dataset)
 * has its own folder, so loading one never touches another's files and a source can be replaced or
 * removed whole; within it, partitions follow the incident's date, never the wall clock.
 */
export const TABLE = 'incidents'
export const DEAD_LETTER_PREFIX = 'dead_letters'
/** The Census population reference table: one file, replaced whole by each load (population/population-table.ts). */
export const POPULATION_KEY = 'population/population.parquet'

export interface PartitionKey {
  source: string
  year: number
  month: number
}

/** Source names as folders hold them unchanged: the files' `source` column and the path's must agree. */
const SOURCE_NAME = /^[a-z0-9][a-z0-9_]{0,62}$/

/**
 * Checks a `source` name: lower-case letters, digits and `_`, so that its folder name is the name
 * itself (DuckDB takes a Hive partition's value from the path, over the file's column).
 *
 * @example
 * sourceNameProblem('fbi_cde') // undefined
 * sourceNameProblem('FBI CDE') // 'Expected a source name of lower-case letters, digits and _ (got "FBI CDE")'
 */
export function sourceNameProblem(source: string): string | undefined {
  return SOURCE_NAME.test(source) ? undefined : `Expected a source name of lower-case letters, digits and _ (got ${JSON.stringify(source)})`
}

/** The folder of one source's files, e.g. `incidents/source=fbi_cde`. */
export function sourcePath(source: string): string {
  return `${TABLE}/source=${source}`
}

/** The folder of a partition, e.g. `incidents/source=austin_apd/year=2017/month=03`. */
export function partitionPath({ source, year, month }: PartitionKey): string {
  return `${sourcePath(source)}/year=${year}/month=${String(month).padStart(2, '0')}`
}

/** Reads the partition back out of a key such as `incidents/source=austin_apd/year=2017/month=03/x.parquet`. */
export function partitionOf(key: string): PartitionKey | undefined {
  const match = /(?:^|\/)source=([^/]+)\/year=(\d{4})\/month=(\d{2})\//.exec(key)
  return match ? { source: match[1], year: Number(match[2]), month: Number(match[3]) } : undefined
}

/** A file name safe in any object store: letters, digits, dot, dash and underscore. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_')
}

/** Longest name kept as it is in a stream label; object stores allow 1,024 bytes per key, file systems 255 per name. */
const LABEL_MAX = 60

/**
 * A short, file-safe label that still tells `identity` apart from every other: the name itself
 * when it is safe and short, else its first characters (for people) and a hash of the whole
 * `identity` (for uniqueness). Cutting a name short without the hash would let two long topics, or
 * `x y.csv` and `x_y.csv`, share file names and overwrite each other.
 *
 * @example
 * streamLabel('incidents') // 'incidents'
 * streamLabel('a'.repeat(120)) // 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-h3f6c2a9b1e04'
 */
export function streamLabel(name: string, identity = name): string {
  const safe = safeName(name)
  if (safe === name && name === identity && name.length <= LABEL_MAX) return name
  return `${safe.slice(0, 40)}-h${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`
}

/**
 * The deterministic key of a data file: the stream it came from and the first and last positions
 * (row numbers or Kafka offsets) it holds. The same batch always gets the same name, so a replay
 * overwrites its earlier file instead of adding a duplicate.
 *
 * @example
 * dataFileKey({ source: 'austin_apd', year: 2017, month: 3 }, 'incidents-p2', 1200n, 1450n)
 * // incidents/source=austin_apd/year=2017/month=03/incidents-p2-000000000001200-000000000001450.parquet
 */
export function dataFileKey(partition: PartitionKey, stream: string, first: bigint, last: bigint): string {
  return `${partitionPath(partition)}/${rangeName(stream, first, last)}.parquet`
}

/** The stem shared by data and dead-letter file names: stream, first and last position, zero-padded. */
export function rangeName(stream: string, first: bigint, last: bigint): string {
  const pad = (position: bigint) => String(position).padStart(15, '0')
  return `${safeName(stream)}-${pad(first)}-${pad(last)}`
}

/** Reads the stream and positions back out of a data or dead-letter file key. */
export function dataFileRange(key: string): { stream: string; first: bigint; last: bigint } | undefined {
  const match = /([^/]+)-(\d{15})-(\d{15})\.(?:parquet|jsonl)$/.exec(key)
  return match ? { stream: match[1], first: BigInt(match[2]), last: BigInt(match[3]) } : undefined
}

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
