import { basename } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { KafkaConfig } from '../core/kafka-config.ts'
import { deadLetter, type Origin } from '../core/record.ts'
import { deadLetterMessage, deadLetterTopic } from '../sinks/dead-letter-topic.ts'
import { BatchSender, createProducer, ensureTopic, refuseBadCredentials, type HeaderBytes, type OutgoingMessage } from '../sinks/kafka-topic.ts'
import { HatecrimesError } from '../core/errors.ts'
import { sourceNameProblem } from '../lake/partitions.ts'
import { layoutById } from '../layouts/registry.ts'
import { SOURCE_HEADERS } from '../sources/kafka-message.ts'
import type { CsvReadOptions } from '../sources/csv-source.ts'
import { packedRows, RowBatchReader } from './produce-rows.ts'

/** Messages per send when no rate is set; see BENCHMARKS.md for how it was chosen. */
const BATCH_SIZE = 1000
/** Header names shared by every message, encoded once. */
const FILE_HEADER = Buffer.from(SOURCE_HEADERS.file)
const ROW_HEADER = Buffer.from(SOURCE_HEADERS.row)
const LAYOUT_HEADER = Buffer.from(SOURCE_HEADERS.layout)
const SOURCE_HEADER = Buffer.from(SOURCE_HEADERS.source)

export interface ProduceOptions extends CsvReadOptions {
  input: string
  /** The layout id to read the input with; detected from the header when absent. */
  layout?: string
  /** The source (dataset) every message is tagged with; the layout's own when absent. */
  source?: string
  kafka: KafkaConfig
  topic: string
  /** Dead-letter topic; `<topic>.dlq` by default. */
  dlqTopic?: string
  /** Partitions and replication of the topics when they must be created. */
  partitions?: number
  replication?: number
  /** Messages per second at most; unlimited when absent. */
  rate?: number
  onProgress?: (progress: { rows: number; bytesRead: number; totalBytes: number }) => void
}

export interface ProduceSummary {
  input: string
  topic: string
  dlqTopic: string
  /** Rows read from the file. */
  rows: number
  produced: number
  deadLettered: number
  seconds: number
  /** Rows per second over the whole run, connecting and creating topics included. */
  rate: number
  /** Rows per second from the first row read to the last message acknowledged: what --rate holds. */
  sendingRate: number
}

/**
 * Streams a CSV file into a topic: one JSON message (the RawRow) per row, keyed by incident number
 * so every row of an incident lands in one partition, with the source file and row, the layout
 * and the source (dataset) in headers, so one topic can carry several sources.
 * Rows the CSV reader cannot turn into a RawRow go to the dead-letter topic with their reason;
 * `rows == produced + deadLettered` always holds. Topics are created when missing.
 *
 * @example
 * const summary = await produceCsv({ input: 'austin.csv', kafka: loadKafkaConfig(), topic: 'incidents' })
 */
export async function produceCsv(options: ProduceOptions): Promise<ProduceSummary> {
  const problem = options.source === undefined ? undefined : sourceNameProblem(options.source)
  if (problem) throw new HatecrimesError('BAD_OPTION', `${problem} for --source`)
  const started = performance.now()
  const dlqTopic = deadLetterTopic(options.topic, options.dlqTopic)
  const spec = { partitions: options.partitions ?? 3, replication: options.replication ?? 1 }
  await refuseBadCredentials(options.kafka)
  await ensureTopic(options.kafka, { topic: options.topic, ...spec })
  await ensureTopic(options.kafka, { topic: dlqTopic, ...spec })
  const producer = createProducer(options.kafka)
  // Under a rate limit small batches (a tenth of a second each) keep the flow smooth; unlimited,
  // big batches go fastest.
  const batchSize = options.rate ? Math.max(1, Math.min(BATCH_SIZE, Math.floor(options.rate / 10))) : BATCH_SIZE
  const sender = new BatchSender(producer, options.kafka, batchSize)
  // Lineage names the file, not the folders of the machine that produced it.
  const file = basename(options.input)
  const fileHeader = Buffer.from(file)
  const counts = { rows: 0, produced: 0, deadLettered: 0 }
  let sendingSeconds = 0
  try {
    const reader = new RowBatchReader(options.input, { batchSize, layout: options.layout, csv: { encoding: options.encoding, maxRecordChars: options.maxRecordChars } })
    // The rate is kept from the first row on: connecting and creating topics must not be made up
    // for by a burst.
    let paceFrom: number | undefined
    let tags: ReturnType<typeof messageTags> | undefined
    for await (const batch of reader) {
      paceFrom ??= performance.now()
      tags ??= messageTags(batch.layout, options.source)
      const messages: OutgoingMessage[] = []
      for (const { key, value, row, partition } of packedRows(batch)) {
        const headers = new Map<HeaderBytes, HeaderBytes>([
          [FILE_HEADER, fileHeader],
          [ROW_HEADER, row],
          [LAYOUT_HEADER, tags.layout],
          [SOURCE_HEADER, tags.source],
        ])
        messages.push({ topic: options.topic, key, value, headers, partition })
      }
      for (const problem of batch.problems) {
        const origin: Origin = { kind: 'file', file, row: problem.row }
        messages.push(deadLetterMessage(dlqTopic, deadLetter(problem.rejection, origin, problem.raw, { source: tags.source.toString(), layout: batch.layout })))
      }
      await sender.addAll(messages)
      counts.rows += batch.rows
      counts.deadLettered += batch.problems.length
      counts.produced += batch.rows - batch.problems.length
      if (options.rate) await keepRate(paceFrom, counts.rows, options.rate)
      options.onProgress?.({ rows: counts.rows, ...batch.progress })
    }
    await sender.drain()
    sendingSeconds = paceFrom === undefined ? 0 : (performance.now() - paceFrom) / 1000
    const { bytesRead, totalBytes } = reader.progress()
    options.onProgress?.({ rows: counts.rows, bytesRead, totalBytes })
  } finally {
    await producer.close()
  }
  const seconds = (performance.now() - started) / 1000
  return { input: options.input, topic: options.topic, dlqTopic, ...counts, seconds, rate: counts.rows / seconds, sendingRate: sendingSeconds ? counts.rows / sendingSeconds : 0 }
}

/** Sleeps while the run is ahead of `rate` rows per second since `from`. */
async function keepRate(from: number, rows: number, rate: number): Promise<void> {
  const ahead = (rows / rate) * 1000 - (performance.now() - from)
  if (ahead > 5) await sleep(ahead)
}

/** The layout and source header values of a file's messages: the source given, else the layout's. */
function messageTags(layoutId: string, source: string | undefined): { layout: Buffer; source: Buffer } {
  return { layout: Buffer.from(layoutId), source: Buffer.from(source ?? layoutById(layoutId).source) }
}
