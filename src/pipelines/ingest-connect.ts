import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import { HatecrimesError } from '../core/errors.ts'
import { Admin } from '@platformatic/kafka'
import { clientOptions, describeKafka, kafkaFailure, type KafkaConfig } from '../core/kafka-config.ts'
import { ensureTopic, refuseBadCredentials } from '../sinks/kafka-topic.ts'
import type { IngestConsumer } from '../sources/kafka-consumer.ts'

/** How long the ingest waits for a first answer from the cluster before it says so and stops. */
export const REACH_TIMEOUT_MS = 15_000

/**
 * Waits for the cluster to answer a metadata request, at most `timeoutMs`, and returns the topic's
 * partition count and replication (0 and 1 when the topic does not exist yet). An unreachable
 * cluster, a wrong security setting (SASL against a plaintext listener, TLS against plaintext) or a
 * cluster that never answers all end here with KAFKA_UNREACHABLE naming the brokers, instead of
 * retrying silently. Aborting the signal stops the wait at once.
 *
 * @example
 * const { partitions } = await reachCluster(consumer, config, 'incidents', signal)
 */
export async function reachCluster(consumer: IngestConsumer, config: KafkaConfig, topic: string, signal: AbortSignal, timeoutMs = REACH_TIMEOUT_MS) {
  await refuseBadCredentials(config)
  const finished = new AbortController()
  const admin = new Admin(clientOptions(config))
  try {
    // A topic that does not exist yet is an answer too: the cluster is there. (Asking for the
    // metadata of a missing topic makes the client retry for a long time, so list topics first.)
    const answer = admin.listTopics().then((topics) => (topics.includes(topic) ? consumer.metadata({ topics: [topic], forceUpdate: true }) : undefined))
    // Past the timeout nobody waits for the answer; its late failure must not go unhandled.
    answer.catch(() => undefined)
    const waited = sleep(timeoutMs, undefined, { signal: AbortSignal.any([signal, finished.signal]) }).then(() => undefined)
    const settled = await Promise.race([answer.then((metadata) => ({ metadata })), waited])
    if (!settled) throw timedOut(config, timeoutMs)
    const found = settled.metadata?.topics.get(topic)
    return { partitions: found?.partitionsCount ?? 0, replication: found?.partitions[0]?.replicas.length ?? 1 }
  } catch (error) {
    if (error instanceof HatecrimesError) throw error
    if (signal.aborted) throw new HatecrimesError('KAFKA_UNREACHABLE', `Stopped while waiting for a Kafka broker at ${describeKafka(config)}`)
    throw kafkaFailure(error, config, `reading the cluster metadata for topic ${topic}`)
  } finally {
    finished.abort()
    await admin.close().catch(() => undefined)
  }
}

function timedOut(config: KafkaConfig, ms: number): HatecrimesError {
  return new HatecrimesError(
    'KAFKA_UNREACHABLE',
    `Expected a Kafka broker at ${describeKafka(config)} to answer within ${ms / 1000} s (none did: check the address, the port, and that KAFKA_TLS and KAFKA_SASL_* match the listener). Start one with 'bash scripts/kafka.sh start' or set KAFKA_BROKERS.`,
  )
}

/**
 * Creates the dead-letter topic when it is missing (with the source topic's partitions and
 * replication), before anything is consumed: a topic filled by another producer may hold bad
 * messages, and the first one must not stop the ingest. Fails with a clear error when it cannot.
 *
 * @example
 * await ensureDeadLetterTopic(config, 'incidents.dlq', { partitions: 6, replication: 1 }, log)
 */
export async function ensureDeadLetterTopic(config: KafkaConfig, dlqTopic: string, like: { partitions: number; replication: number }, log: Logger): Promise<void> {
  const spec = { topic: dlqTopic, partitions: Math.max(1, like.partitions), replication: Math.max(1, like.replication) }
  const partitions = await ensureTopic(config, spec)
  log.info({ dlqTopic, partitions }, 'dead-letter topic ready')
}
