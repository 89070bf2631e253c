import type { Server } from 'node:http'
import { pino, type Logger } from 'pino'
import { kafkaFailure, describeKafka, type KafkaConfig } from '../core/kafka-config.ts'
import { openStore } from '../lake/open-store.ts'
import { deadLetterTopic } from '../sinks/dead-letter-topic.ts'
import { BatchSender, createProducer } from '../sinks/kafka-topic.ts'
import { createConsumer } from '../sources/kafka-consumer.ts'
import { IngestMember } from './ingest-member.ts'
import { IngestMetrics } from './ingest-metrics.ts'
import { watchLag } from './ingest-lag.ts'

export interface IngestOptions {
  kafka: KafkaConfig
  topic: string
  group: string
  lake: string
  dlqTopic?: string
  /** The `source` column of every record. */
  source?: string
  /** Flush a Kafka partition at this many buffered records... */
  flushRows?: number
  /** ...or this many buffered message bytes... */
  flushBytes?: number
  /** ...or when its oldest buffered record is this old, so idle partitions still land. */
  flushMs?: number
  /** Serve Prometheus metrics on 127.0.0.1 at this port. */
  metricsPort?: number
  /** Stop once this member has committed at least these offsets (partition -> end offset). */
  endOffsets?: Map<number, bigint>
  /** Stop when this signal aborts (SIGINT/SIGTERM are wired by the CLI). */
  signal?: AbortSignal
  log?: Logger
}

export interface IngestSummary {
  topic: string
  group: string
  lake: string
  consumed: number
  written: number
  deadLettered: number
  fencedFlushes: number
  removedFiles: number
  committed: Record<number, string>
  seconds: number
}

/**
 * `hatecrimes ingest`: a consumer-group member that moves the topic into the lake exactly once
 * (see {@link IngestMember} for the protocol). Runs until the signal aborts or `endOffsets` are
 * committed; then flushes, commits and leaves the group, so its partitions move on at once.
 *
 * @example
 * const controller = new AbortController()
 * process.once('SIGTERM', () => controller.abort())
 * await ingest({ kafka, topic: 'incidents', group: 'hatecrimes-ingest', lake: './lake', signal: controller.signal })
 */
export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now()
  const log = options.log ?? pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2))
  const store = await openStore(options.lake)
  const metrics = new IngestMetrics()
  const server: Server | undefined = options.metricsPort !== undefined ? await metrics.serve(options.metricsPort) : undefined
  const consumer = createConsumer(options.kafka, options.group)
  const producer = createProducer(options.kafka)
  const flushMs = options.flushMs ?? 5_000
  const flushBytes = options.flushBytes ?? 16 * 1024 * 1024
  const member = new IngestMember({
    consumer,
    kafka: options.kafka,
    store,
    topic: options.topic,
    dlqTopic: deadLetterTopic(options.topic, options.dlqTopic),
    dlq: new BatchSender(producer, options.kafka, 500),
    source: options.source ?? 'austin_apd',
    flushRows: options.flushRows ?? 10_000,
    flushBytes,
    flushMs,
    maxBufferedBytes: 4 * flushBytes,
    metrics,
    log,
  })
  const stopped = new AbortController()
  const stop = () => stopped.abort()
  options.signal?.addEventListener('abort', stop, { once: true })
  if (options.signal?.aborted) stop()
  consumer.on('consumer:group:join', (event) => void member.onJoin(event).catch((error) => fail(error)))
  // A rebalance is starting: flush now, under the generation that still owns the partitions.
  consumer.on('consumer:group:rebalance', () => void member.flushAll().catch((error) => fail(error)))
  let failure: unknown
  const fail = (error: unknown) => {
    failure ??= error
    stop()
  }
  const timer = setInterval(() => {
    member.flushAged().then(() => reachedEnd() && stop(), fail)
  }, Math.max(50, Math.min(1000, flushMs / 2)))
  const lag = watchLag(consumer, options.topic, member, metrics)
  const reachedEnd = () =>
    options.endOffsets !== undefined && [...options.endOffsets].every(([p, end]) => (member.committed.get(p) ?? -1n) >= end)

  log.info({ brokers: describeKafka(options.kafka), topic: options.topic, group: options.group, lake: store.url }, 'ingest starting')
  try {
    const stream = await consumer
      .consume({ topics: [options.topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false })
      .catch((error) => {
        throw kafkaFailure(error, options.kafka, `joining group ${options.group} on topic ${options.topic}`)
      })
    stream.on('error', fail)
    stopped.signal.addEventListener('abort', () => void stream.close().catch(() => undefined), { once: true })
    for await (const message of stream) {
      if (stopped.signal.aborted) break
      await member.handle(message)
      if (reachedEnd()) stop()
    }
    if (failure) throw failure
    await member.flushAll()
    await producer.close()
    return {
      topic: options.topic,
      group: options.group,
      lake: store.url,
      consumed: member.totals.in,
      written: member.totals.written,
      deadLettered: member.totals.deadLettered,
      fencedFlushes: member.totals.fencedFlushes,
      removedFiles: member.totals.removedFiles,
      committed: Object.fromEntries([...member.committed].map(([p, o]) => [p, String(o)])),
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    clearInterval(timer)
    lag.stop()
    await consumer.close(true).catch(() => undefined)
    await producer.close().catch(() => undefined)
    server?.close()
    await store.close()
  }
}
