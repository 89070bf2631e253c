import type { Server } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { pino, type Logger } from 'pino'
import { DEFAULTS, environment } from '../core/config.ts'
import { describeKafka, kafkaFailure, type KafkaConfig } from '../core/kafka-config.ts'
import { LEFTOVER_AGE_MS, type ObjectStore } from '../lake/object-store.ts'
import { refuseLegacyLake } from '../lake/lake-migration.ts'
import { openStore } from '../lake/open-store.ts'
import { TABLE } from '../lake/partitions.ts'
import { deadLetterTopic } from '../sinks/dead-letter-topic.ts'
import { BatchSender, createProducer } from '../sinks/kafka-topic.ts'
import { TakeThreads } from '../sinks/take-thread.ts'
import { createConsumer, createFetchClient } from '../sources/kafka-consumer.ts'
import { DEFAULT_FETCH_LIMITS, KafkaFetcher, type FetchLimits } from '../sources/kafka-fetcher.ts'
import { ensureDeadLetterTopic, reachCluster } from './ingest-connect.ts'
import { IngestMember } from './ingest-member.ts'
import { IngestMetrics } from './ingest-metrics.ts'
import { watchLag } from './ingest-lag.ts'

export interface IngestOptions {
  kafka: KafkaConfig
  topic: string
  group: string
  /** Lake URL (folder, file:// or s3://), or a store already open. */
  lake: string | ObjectStore
  dlqTopic?: string
  /** The `source` column of messages that carry no source header (from producers before layouts). */
  source?: string
  /** Flush a Kafka partition at this many buffered records... */
  flushRows?: number
  /** ...or this many buffered message bytes... */
  flushBytes?: number
  /** ...or when its oldest buffered record is this old, so idle partitions still land... */
  flushMs?: number
  /** ...or when no new record has come for this long. */
  idleMs?: number
  /** Bytes one fetch may bring (see FetchLimits); the defaults keep the ingest under 400 MiB. */
  fetch?: Partial<FetchLimits>
  /** A partition with lag that makes no progress for this long is reported and resumed. */
  stallMs?: number
  /** How often the lag is read (`hatecrimes_ingest_lag_records`) and stalls are looked for; 5 s. */
  lagEveryMs?: number
  /** Threads that decode, clean and encode records (see TakeThreads). */
  takeThreads?: number
  /** How long the group waits for this member to rejoin a rebalance (it flushes first). */
  rebalanceTimeoutMs?: number
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
  skipped: number
  stalls: number
  committed: Record<number, string>
  seconds: number
}

/** The rejoin metadata of a member; the ingest uses the hook only to flush before a rebalance. */
const NO_USER_DATA = Buffer.alloc(0)

/**
 * `hatecrimes ingest`: a consumer-group member that moves the topic into the lake exactly once
 * (see {@link IngestMember} for the protocol). It fetches from its own offsets in a loop: fetch,
 * take, flush what is due. Runs until the signal aborts or `endOffsets` are committed; then
 * flushes, commits and leaves the group, so its partitions move on at once.
 *
 * @example
 * const controller = new AbortController()
 * process.once('SIGTERM', () => controller.abort())
 * await ingest({ kafka, topic: 'incidents', group: 'hatecrimes-ingest', lake: './lake', signal: controller.signal })
 */
export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now()
  const log = options.log ?? pino({ level: environment().logLevel }, pino.destination(2))
  const { kafka, topic, group } = options
  const stopped = new AbortController()
  const stop = () => stopped.abort()
  options.signal?.addEventListener('abort', stop, { once: true })
  if (options.signal?.aborted) stop()
  const metrics = new IngestMetrics()
  const server: Server | undefined = options.metricsPort !== undefined ? await metrics.serve(options.metricsPort) : undefined
  const store = typeof options.lake === 'string' ? await openStore(options.lake) : options.lake
  const consumer = createConsumer(kafka, group, options.rebalanceTimeoutMs)
  const producer = createProducer(kafka)
  const fetching = createFetchClient(kafka, group)
  const fetcher = new KafkaFetcher(fetching, topic, { ...DEFAULT_FETCH_LIMITS, ...options.fetch })
  const { flushMs = DEFAULTS.flushMs, idleMs = DEFAULTS.idleMs, flushBytes = DEFAULTS.flushBytes } = options
  const dlqTopic = deadLetterTopic(topic, options.dlqTopic)
  // Decoding, cleaning and laying out records and encoding Parquet run on take threads, each for a
  // share of the partitions, and on this thread for a smaller share; this thread also fetches,
  // writes and commits.
  const flushRows = options.flushRows ?? DEFAULTS.flushRows
  const thread = new TakeThreads(options.source ?? DEFAULTS.source, flushRows, options.takeThreads ?? DEFAULTS.takeThreads)
  const member = new IngestMember({
    consumer, kafka, store, topic, dlqTopic, metrics, log, flushMs, idleMs, flushBytes,
    dlq: new BatchSender(producer, kafka, 500),
    thread,
    flushRows,
    maxBufferedBytes: 4 * flushBytes,
    earliest: () => fetcher.earliest(),
    signal: stopped.signal,
  })
  let failure: unknown
  const fail = (error: unknown) => {
    failure ??= error
    stop()
  }
  const lag = watchLag(consumer, topic, member, metrics, (ends) => member.checkStalls(ends, options.stallMs ?? DEFAULTS.stallMs).catch(fail), options.lagEveryMs)
  // Partitions are looked at for age on a clock of their own, not after each fetch (which can wait
  // up to its maxWaitMs when there is nothing new): a flush comes within a fifth of its time.
  const aging = setInterval(() => void member.flushAged().catch(fail), Math.min(200, flushMs / 5, idleMs / 5))
  const reachedEnd = () => options.endOffsets !== undefined && [...options.endOffsets].every(([p, end]) => (member.committed.get(p) ?? -1n) >= end)
  log.info({ brokers: describeKafka(kafka), topic, group, lake: store.url }, 'ingest starting')
  try {
    // A member killed with kill -9 leaves the temporary file of the write it was in; a live write's
    // (another member's) is seconds old.
    const leftovers = await store.removeLeftovers?.(LEFTOVER_AGE_MS)
    if (leftovers) log.info({ removed: leftovers }, 'temporary files of killed writes removed')
    // Its clean-up of unfinished flushes would look past data files still in the old layout.
    refuseLegacyLake(store.url, await store.list(`${TABLE}/year=`))
    let shape = await reachCluster(consumer, kafka, topic, stopped.signal)
    if (!shape.partitions) log.warn({ topic }, 'the topic does not exist yet: waiting for it')
    // A group only gets partitions of topics that exist when it forms, so join once the topic is there.
    while (!shape.partitions && !stopped.signal.aborted) {
      await sleep(1_000)
      shape = await reachCluster(consumer, kafka, topic, stopped.signal)
    }
    await ensureDeadLetterTopic(kafka, dlqTopic, shape, log)
    consumer.on('consumer:group:join', (event) => void member.onJoin(event).catch(fail))
    // The client reports here what it could not recover from by retrying (a rejoin that kept
    // failing): the member is then out of the group, so the ingest stops with the reason.
    consumer.on('error', (error) => stopped.signal.aborted || fail(kafkaFailure(error, kafka, `staying in group ${group}`)))
    consumer.topics.track(topic)
    // Called before every (re)join: flush and commit under the generation that still owns the partitions.
    const protocolsMetadata = () => member.revoke().then(() => NO_USER_DATA, (error) => (fail(error), NO_USER_DATA))
    await Promise.race([consumer.joinGroup({ protocolsMetadata }), aborted(stopped.signal)])
    // One fetch is always on its way while the last one is taken, from the offsets the buffers will
    // stand at; a fetch that no longer matches them (a rebalance came between) is dropped by take.
    let inflight: ReturnType<KafkaFetcher['fetch']> | undefined
    while (!stopped.signal.aborted && !reachedEnd()) {
      const positions = inflight ? undefined : member.positions()
      if (positions?.size === 0) {
        // Nothing assigned (yet, or the topic does not exist yet): wait for an assignment.
        await sleep(100)
        continue
      }
      const fetched = await (inflight ?? fetcher.fetch(positions!))
      const ahead = member.positionsAfter(fetched.parts)
      inflight = ahead.size && !fetched.outOfRange ? fetcher.fetch(ahead) : undefined
      inflight?.catch(() => undefined)
      if (fetched.outOfRange) await member.resumeGone(await fetcher.earliest())
      await member.take(fetched.parts)
    }
    if (failure) throw failure
    await member.flushAll()
    await producer.close()
    const { totals } = member
    return {
      topic, group, lake: store.url,
      consumed: totals.in,
      written: totals.written,
      deadLettered: totals.deadLettered,
      fencedFlushes: totals.fencedFlushes,
      removedFiles: totals.removedFiles,
      skipped: totals.skipped,
      stalls: totals.stalls,
      committed: Object.fromEntries([...member.committed].map(([p, o]) => [p, String(o)])),
      seconds: (performance.now() - started) / 1000,
    }
  } catch (error) {
    throw failure ?? error
  } finally {
    lag.stop()
    clearInterval(aging)
    await consumer.close(true).catch(() => undefined)
    await fetching.close(true).catch(() => undefined)
    await producer.close().catch(() => undefined)
    await thread.close()
    server?.close()
    await store.close()
  }
}

/** Resolves when the signal aborts (so a join that waits for a broker can be given up on). */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })))
}
