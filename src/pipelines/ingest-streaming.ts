import { Consumer, ListOffsetTimestamps } from '@platformatic/kafka'
import { DEFAULTS } from '../core/config.ts'
import { clientOptions, kafkaFailure, loadKafkaConfig, type KafkaConfig } from '../core/kafka-config.ts'
import { HatecrimesError } from '../core/errors.ts'
import { ingest, type IngestSummary } from './ingest.ts'
import type { CsvReadOptions } from '../sources/csv-source.ts'
import { produceCsv, type ProduceSummary } from './produce.ts'

export interface StreamingOptions extends CsvReadOptions {
  input: string
  lake: string
  /** Brokers (host:port, comma-separated); KAFKA_BROKERS when absent. */
  brokers?: string
  topic?: string
  group?: string
  partitions?: number
  source?: string
  /** The layout id to read the input with; detected from the header when absent. */
  layout?: string
  flushRows?: number
  flushMs?: number
  metricsPort?: number
  onProgress?: (progress: { rows: number; bytesRead: number; totalBytes: number }) => void
  signal?: AbortSignal
}

export interface StreamingSummary {
  mode: 'kafka'
  input: string
  lake: string
  topic: string
  /** Rows read from the file. */
  rows: number
  produced: number
  written: number
  /** Dead letters of both stages: CSV rows the producer could not send as RawRows, and messages the ingest rejected. */
  deadLettered: number
  produce: ProduceSummary
  ingest: IngestSummary
  seconds: number
}

/**
 * The whole streaming path in one call: produce the CSV into the topic, then ingest with one group
 * member until every message up to the end of the topic (as it stood when producing finished) is
 * committed, i.e. in the lake or the dead letters. The group resumes where it left off, so only
 * messages not yet ingested are read.
 *
 * @example
 * const summary = await runStreaming({ input: 'austin.csv', lake: './lake', brokers: '127.0.0.1:39092' })
 * console.log(summary.written, summary.deadLettered)
 */
export async function runStreaming(options: StreamingOptions): Promise<StreamingSummary> {
  const started = performance.now()
  const kafka = loadKafkaConfig({ brokers: options.brokers })
  const topic = options.topic ?? DEFAULTS.topic
  const produced = await produceCsv({ input: options.input, layout: options.layout, source: options.source, encoding: options.encoding, maxRecordChars: options.maxRecordChars, kafka, topic, partitions: options.partitions, onProgress: options.onProgress })
  const endOffsets = await topicEnds(kafka, topic)
  const ingested = await ingest({
    kafka,
    topic,
    group: options.group ?? `hatecrimes-${topic}`,
    lake: options.lake,
    source: options.source,
    flushRows: options.flushRows,
    flushMs: options.flushMs ?? 1_000,
    metricsPort: options.metricsPort,
    endOffsets,
    signal: options.signal,
  })
  const deadLettered = produced.deadLettered + ingested.deadLettered
  // When the group read exactly this run's messages, every row must be accounted for. The ingest's
  // counts are what its flushes' files hold, read back from the lake before each commit.
  if (ingested.consumed === produced.produced && produced.rows !== ingested.written + deadLettered) {
    throw new HatecrimesError(
      'BALANCE_BROKEN',
      `Expected each of the ${produced.rows} rows read from ${options.input} in the lake or the dead letters, ` +
        `found ${ingested.written} rows in the files the ingest wrote and ${deadLettered} dead letters (${produced.deadLettered} at produce, ${ingested.deadLettered} at ingest)`,
    )
  }
  return {
    mode: 'kafka',
    input: options.input,
    lake: ingested.lake,
    topic,
    rows: produced.rows,
    produced: produced.produced,
    written: ingested.written,
    deadLettered,
    produce: produced,
    ingest: ingested,
    seconds: (performance.now() - started) / 1000,
  }
}

/**
 * The end offset of every partition of a topic: the offset the next message will get.
 *
 * @example
 * await topicEnds(kafka, 'incidents') // Map { 0 => 512n, 1 => 498n, 2 => 530n }
 */
export async function topicEnds(kafka: KafkaConfig, topic: string): Promise<Map<number, bigint>> {
  // Listing offsets joins no group; the group id is only required by the constructor.
  const reader = new Consumer({ ...clientOptions(kafka), groupId: 'hatecrimes-offsets' })
  try {
    const offsets = await reader.listOffsets({ topics: [topic], timestamp: ListOffsetTimestamps.LATEST })
    return new Map((offsets.get(topic) ?? []).map((offset, partition) => [partition, offset]))
  } catch (error) {
    throw kafkaFailure(error, kafka, `reading the end offsets of ${topic}`)
  } finally {
    await reader.close()
  }
}
