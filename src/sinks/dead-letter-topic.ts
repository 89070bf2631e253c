import type { DeadLetter } from '../core/record.ts'
import type { OutgoingMessage } from './kafka-topic.ts'

/**
 * Header names of a dead-lettered message, after Kafka Connect's `__connect.errors.*`: where the
 * message came from (topic, partition, offset, or source file and row), the stage that turned it
 * away, the source and layout the row was read for, and the error code and message.
 */
export const DLQ_HEADERS = {
  topic: 'hatecrimes.errors.topic',
  partition: 'hatecrimes.errors.partition',
  offset: 'hatecrimes.errors.offset',
  file: 'hatecrimes.errors.source.file',
  row: 'hatecrimes.errors.source.row',
  origin: 'hatecrimes.errors.origin',
  source: 'hatecrimes.errors.source',
  layout: 'hatecrimes.errors.layout',
  stage: 'hatecrimes.errors.stage',
  code: 'hatecrimes.errors.code',
  message: 'hatecrimes.errors.message',
} as const

/** The dead-letter topic of a topic unless one is given: `<topic>.dlq`. */
export function deadLetterTopic(topic: string, explicit?: string): string {
  return explicit || `${topic}.dlq`
}

/**
 * The message that carries a dead letter to the dead-letter topic. The value is the original bytes
 * when there are some (a Kafka message that could not be decoded stays byte for byte as it was),
 * else the raw row as JSON; the key is kept so the DLQ is partitioned like its source.
 *
 * @example
 * await sender.add(deadLetterMessage('incidents.dlq', letter, { key, value }))
 */
export function deadLetterMessage(
  topic: string,
  letter: DeadLetter,
  original: { key?: Buffer; value?: Buffer } = {},
): OutgoingMessage {
  const { origin } = letter
  const headers: Record<string, string> = {
    [DLQ_HEADERS.origin]: origin.kind,
    [DLQ_HEADERS.source]: letter.source,
    [DLQ_HEADERS.stage]: letter.stage,
    [DLQ_HEADERS.code]: letter.code,
    [DLQ_HEADERS.message]: letter.message,
  }
  if (origin.kind === 'kafka') {
    headers[DLQ_HEADERS.topic] = origin.topic
    headers[DLQ_HEADERS.partition] = String(origin.partition)
    headers[DLQ_HEADERS.offset] = String(origin.offset)
  }
  if (letter.layout !== null) headers[DLQ_HEADERS.layout] = letter.layout
  if (origin.file !== undefined) headers[DLQ_HEADERS.file] = origin.file
  if (origin.row !== undefined) headers[DLQ_HEADERS.row] = String(origin.row)
  return {
    topic,
    key: original.key,
    value: original.value ?? Buffer.from(JSON.stringify(letter.raw ?? null)),
    headers,
  }
}

/**
 * Reads a dead-lettered message's headers back, e.g. to replay or count it.
 *
 * @example
 * readDeadLetterHeaders(message.headers).code // 'not_json'
 */
export function readDeadLetterHeaders(headers: Map<string, string>): Record<keyof typeof DLQ_HEADERS, string | undefined> {
  const result = {} as Record<keyof typeof DLQ_HEADERS, string | undefined>
  for (const [name, header] of Object.entries(DLQ_HEADERS)) result[name as keyof typeof DLQ_HEADERS] = headers.get(header)
  return result
}
