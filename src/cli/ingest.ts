import type { Command } from 'commander'
import { DEFAULTS } from '../core/config.ts'
import { lakeOption, port, positiveInteger } from './options.ts'

interface IngestCommandOptions {
  topic: string
  group: string
  lake: string
  dlqTopic?: string
  brokers?: string
  source: string
  flushRows: number
  flushBytes: number
  flushMs: number
  idleMs: number
  fetchMaxBytes: number
  stallMs: number
  takeThreads: number
  metricsPort?: number
}

/** After a stop signal, how long a flush and commit may take before the process exits anyway. */
const STOP_GRACE_MS = 20_000

/**
 * `hatecrimes ingest`: one consumer-group member moving the topic into the lake exactly once. Run
 * several with the same --group to share the partitions. SIGINT/SIGTERM flush, commit and leave.
 *
 * @example
 * hatecrimes ingest --topic incidents --group hatecrimes-ingest --lake s3://bucket/lake --metrics-port 9464
 */
export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('consume the topic into the lake: decode, clean, enrich, write Parquet, commit after the files are durable')
    .option('--topic <name>', 'topic to read', DEFAULTS.topic)
    .option('--group <id>', 'consumer group (instances with the same group share the partitions)', DEFAULTS.group)
    .addOption(lakeOption())
    .option('--dlq-topic <name>', 'dead-letter topic (default <topic>.dlq)')
    .option('--brokers <list>', 'bootstrap brokers host:port,... (default KAFKA_BROKERS)')
    .option('--source <name>', 'source column of messages that carry no source header (from producers before layouts)', DEFAULTS.source)
    .option('--flush-rows <n>', 'flush a partition at this many buffered records', positiveInteger('--flush-rows'), DEFAULTS.flushRows)
    .option('--flush-bytes <n>', 'flush a partition at this many buffered message bytes', positiveInteger('--flush-bytes'), DEFAULTS.flushBytes)
    .option('--flush-ms <n>', 'flush a partition when its oldest buffered record is this old', positiveInteger('--flush-ms'), DEFAULTS.flushMs)
    .option('--idle-ms <n>', 'flush a partition that got no new record for this long, or at the end of a backlog it was behind on for this long', positiveInteger('--idle-ms'), DEFAULTS.idleMs)
    .option('--fetch-max-bytes <n>', 'bytes one fetch may bring over all partitions (a quarter of it per partition)', positiveInteger('--fetch-max-bytes'), DEFAULTS.fetchMaxBytes)
    .option('--take-threads <n>', 'threads that decode, clean and encode records, each for a share of the partitions', positiveInteger('--take-threads'), DEFAULTS.takeThreads)
    .option('--stall-ms <n>', 'report and resume a partition that has lag but made no progress for this long', positiveInteger('--stall-ms'), DEFAULTS.stallMs)
    .option('--metrics-port <n>', 'serve Prometheus metrics on 127.0.0.1:<n>/metrics', port('--metrics-port'))
    .action(async (options: IngestCommandOptions) => {
      const { describeKafka, loadKafkaConfig } = await import('../core/kafka-config.ts')
      const { ingest } = await import('../pipelines/ingest.ts')
      const kafka = loadKafkaConfig({ brokers: options.brokers })
      console.error(`kafka mode: topic ${options.topic} at ${describeKafka(kafka)} -> ${options.lake} (group ${options.group})`)
      if (options.metricsPort) console.error(`metrics on http://127.0.0.1:${options.metricsPort}/metrics`)
      const controller = new AbortController()
      const stop = (signal: NodeJS.Signals) => {
        controller.abort()
        // Exiting without the last flush is safe (what is not committed is replayed), so a stuck
        // broker or store never keeps the process past its stop signal for long.
        setTimeout(() => {
          console.error(`error: still flushing ${STOP_GRACE_MS / 1000} s after ${signal}; exiting, uncommitted records will be read again`)
          process.exit(1)
        }, STOP_GRACE_MS).unref()
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      const fetch = { maxBytes: options.fetchMaxBytes, partitionMaxBytes: Math.ceil(options.fetchMaxBytes / 4) }
      const summary = await ingest({ ...options, fetch, kafka, signal: controller.signal })
      console.log(
        `ingested ${summary.consumed} messages: ${summary.written} written, ${summary.deadLettered} dead-lettered, ` +
          `committed ${JSON.stringify(summary.committed)} in ${summary.seconds.toFixed(1)} s` +
          (summary.skipped ? `; ${summary.skipped} offsets deleted by retention before they were read` : ''),
      )
      // Everything is committed and the group left; a retry the Kafka client still has scheduled
      // (a fetch that met a restarting broker) must not hold the process open.
      process.exit(0)
    })
}
