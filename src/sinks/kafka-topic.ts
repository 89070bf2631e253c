import { Admin, Producer, ProduceAcks, type MessageToProduce } from '@platformatic/kafka'
import { clientOptions, credentialsRefused, kafkaFailure, type KafkaConfig } from '../core/kafka-config.ts'

/** A header key or value: text, or its UTF-8 bytes when many messages share it (encoded once). */
export type HeaderBytes = string | Buffer

/** A message as the project sends it: bytes for key and value, headers as text or bytes. */
export type OutgoingMessage = MessageToProduce<Buffer, Buffer, HeaderBytes, HeaderBytes>

/** The producer of {@link createProducer}. */
export type MessageProducer = Producer<Buffer, Buffer, HeaderBytes, HeaderBytes>

export interface TopicSpec {
  topic: string
  partitions: number
  replication: number
}

/**
 * With SASL or TLS set, asks the cluster once without the client's retries: a wrong password or an
 * untrusted certificate fails at once with its clear error (KAFKA_FAILED), where the client would
 * retry it like a network error for some 20 s, and an ingest waiting for its broker would report
 * the broker unreachable. Any other failure (no broker up yet) is left to the caller's own waiting.
 *
 * @example
 * await refuseBadCredentials(config)
 */
export async function refuseBadCredentials(config: KafkaConfig): Promise<void> {
  if (!config.sasl && !config.tls) return
  const admin = new Admin({ ...clientOptions(config), retries: 0 })
  try {
    await admin.listTopics()
  } catch (error) {
    if (credentialsRefused(error)) throw kafkaFailure(error, config, 'signing in')
  } finally {
    await admin.close().catch(() => undefined)
  }
}

/**
 * Creates a topic unless it exists; an existing topic is left as it is (its partition count is not
 * changed). Returns the number of partitions the topic has.
 *
 * @example
 * await ensureTopic(config, { topic: 'incidents', partitions: 3, replication: 1 })
 */
export async function ensureTopic(config: KafkaConfig, spec: TopicSpec): Promise<number> {
  const admin = new Admin(clientOptions(config))
  try {
    const existing = await partitionCount(admin, spec.topic).catch((error) => {
      throw kafkaFailure(error, config, `looking up topic ${spec.topic}`)
    })
    if (existing) return existing
    await admin
      .createTopics({ topics: [spec.topic], partitions: spec.partitions, replicas: spec.replication })
      .catch(async (error) => {
        // Another producer may have created it in the meantime; that is as good.
        if (await partitionCount(admin, spec.topic).catch(() => 0)) return
        throw kafkaFailure(error, config, `creating topic ${spec.topic} (${spec.partitions} partitions, replication ${spec.replication})`)
      })
    return spec.partitions
  } finally {
    await admin.close()
  }
}

async function partitionCount(admin: Admin, topic: string): Promise<number> {
  const topics = await admin.listTopics()
  if (!topics.includes(topic)) return 0
  const metadata = await admin.metadata({ topics: [topic], forceUpdate: true })
  return metadata.topics.get(topic)?.partitionsCount ?? 0
}

/**
 * Tries of a send to a lost broker, 0.5 s apart: two minutes, Kafka's own `delivery.timeout.ms`. A
 * producer is made once the broker has answered, so a broker lost then is restarting (14 s or more
 * on a loaded small machine): the client's 20 s for a broker never reached would give up on it.
 */
const DELIVERY_RETRIES = 240

/**
 * A producer that writes each message exactly once per send: idempotent (the broker drops the
 * duplicates a retry would create), acks from all in-sync replicas, zstd compression. A send rides
 * out a broker restart of up to two minutes.
 *
 * @example
 * const producer = createProducer(config)
 * await producer.send({ messages: [{ topic: 'incidents', key, value }] })
 */
export function createProducer(config: KafkaConfig): MessageProducer {
  return new Producer<Buffer, Buffer, HeaderBytes, HeaderBytes>({
    ...clientOptions(config),
    retries: DELIVERY_RETRIES,
    idempotent: true,
    acks: ProduceAcks.ALL,
    compression: 'zstd',
    serializers: { headerKey: headerBytes, headerValue: headerBytes },
  })
}

function headerBytes(value?: HeaderBytes): Buffer | undefined {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value
}

/**
 * Sends messages in batches of `batchSize`, one send on the wire at a time while the next batch
 * fills. With several on the wire, a broker restart failed them all at once, their retries raced,
 * and a later batch could reach the broker first: the client then takes the out-of-order sequence
 * for a lost producer state, starts a new producer id and sends again, which wrote messages twice
 * (three restarts of four with four sends on the wire, none of eight with one). One was as fast on
 * 1,000,000 rows: the client sends one request at a time to a broker anyway.
 *
 * @example
 * const sender = new BatchSender(producer, config)
 * await sender.add(message); await sender.drain()
 */
export class BatchSender {
  private batch: OutgoingMessage[] = []
  private failure: unknown
  /** The send on the wire, if any; it never rejects (a failure is kept in `failure`). */
  private sending: Promise<void> = Promise.resolve()
  private readonly producer: MessageProducer
  private readonly config: KafkaConfig
  private readonly batchSize: number

  constructor(producer: MessageProducer, config: KafkaConfig, batchSize = 1000) {
    this.producer = producer
    this.config = config
    this.batchSize = batchSize
  }

  async add(message: OutgoingMessage): Promise<void> {
    await this.addAll([message])
  }

  /** Adds messages in their order; waits only when a full batch finds the send before it still on the wire. */
  async addAll(messages: OutgoingMessage[]): Promise<void> {
    if (this.failure) throw this.failure
    for (const message of messages) {
      this.batch.push(message)
      if (this.batch.length < this.batchSize) continue
      await this.flush()
      if (this.failure) throw this.failure
    }
  }

  /** Sends what is batched and waits until the broker has acknowledged every message. */
  async drain(): Promise<void> {
    await this.flush()
    await this.sending
    if (this.failure) throw this.failure
  }

  private async flush(): Promise<void> {
    if (!this.batch.length) return
    const messages = this.batch
    this.batch = []
    await this.sending
    if (this.failure) return
    // A failure is kept and thrown by the next add or drain, so no rejection goes unhandled.
    this.sending = this.producer.send({ messages }).then(
      () => undefined,
      (error) => void (this.failure ??= kafkaFailure(error, this.config, `sending ${messages.length} messages to ${messages[0].topic}`)),
    )
  }
}
