import { setTimeout as sleep } from 'node:timers/promises'
import type { KafkaConfig } from '../core/kafka-config.ts'
import { deadLetter, type Origin } from '../core/record.ts'
import { deadLetterMessage, deadLetterTopic } from '../sinks/dead-letter-topic.ts'
import { BatchSender, createProducer, ensureTopic } from '../sinks/kafka-topic.ts'
import { readCsv } from '../sources/csv-source.ts'
import { SOURCE_HEADERS } from '../sources/kafka-message.ts'

export interface ProduceOptions {
  input: string
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
  /** Rows per second over the whole run. */
  rate: number
}

/**
 * Streams a CSV file into a topic: one JSON message (the RawRow) per row, keyed by incident number
 * so every row of an incident lands in one partition, with the source file and row in headers.
 * Rows the CSV reader cannot turn into a RawRow go to the dead-letter topic with their reason;
 * `rows == produced + deadLettered` always holds. Topics are created when missing.
 *
 * @example
 * const summary = await produceCsv({ input: 'austin.csv', kafka: loadKafkaConfig(), topic: 'incidents' })
 */
export async function produceCsv(options: ProduceOptions): Promise<ProduceSummary> {
  const started = performance.now()
  const dlqTopic = deadLetterTopic(options.topic, options.dlqTopic)
  const spec = { partitions: options.partitions ?? 3, replication: options.replication ?? 1 }
  await ensureTopic(options.kafka, { topic: options.topic, ...spec })
  await ensureTopic(options.kafka, { topic: dlqTopic, ...spec })
  const producer = createProducer(options.kafka)
  // Under a rate limit small batches keep the flow smooth; unlimited, big batches go fastest.
  const batchSize = options.rate ? Math.max(1, Math.min(1000, Math.floor(options.rate / 10))) : 1000
  const sender = new BatchSender(producer, options.kafka, batchSize)
  const counts = { rows: 0, produced: 0, deadLettered: 0 }
  try {
    const csv = readCsv(options.input)
    for await (const item of csv) {
      counts.rows++
      if (item.kind === 'problem') {
        const origin: Origin = { kind: 'file', file: options.input, row: item.row }
        await sender.add(deadLetterMessage(dlqTopic, deadLetter(item.rejection, origin, item.raw)))
        counts.deadLettered++
      } else {
        await sender.add({
          topic: options.topic,
          key: item.raw.incident_number ? Buffer.from(item.raw.incident_number.trim()) : undefined,
          value: Buffer.from(JSON.stringify(item.raw)),
          headers: { [SOURCE_HEADERS.file]: options.input, [SOURCE_HEADERS.row]: String(item.row) },
        })
        counts.produced++
      }
      if (options.rate) await keepRate(started, counts.rows, options.rate)
      if (counts.rows % 5000 === 0) options.onProgress?.({ rows: counts.rows, ...csv.progress() })
    }
    await sender.drain()
    options.onProgress?.({ rows: counts.rows, ...csv.progress() })
  } finally {
    await producer.close()
  }
  const seconds = (performance.now() - started) / 1000
  return { input: options.input, topic: options.topic, dlqTopic, ...counts, seconds, rate: counts.rows / seconds }
}

/** Sleeps while the run is ahead of `rate` rows per second. */
async function keepRate(started: number, rows: number, rate: number): Promise<void> {
  const ahead = (rows / rate) * 1000 - (performance.now() - started)
  if (ahead > 5) await sleep(ahead)
}
