import { invalid, type Origin, type Outcome, type RawRow } from '../core/record.ts'
import { AUSTIN_COLUMN_IDS } from '../layouts/austin-apd/columns.ts'
import { toRawRow } from '../transforms/raw-row.ts'

/** Message headers naming the file and row a message was read from (lineage into the lake). */
export const SOURCE_HEADERS = { file: 'hatecrimes.source.file', row: 'hatecrimes.source.row' } as const

/** A consumed message as the ingest reads it: bytes for key and value (a poison body must stay as it came), string headers. */
export interface IngestMessage {
  topic: string
  partition: number
  offset: bigint
  key: Buffer | null
  value: Buffer | null
  headers: Map<string, string>
}

/**
 * Where a message came from: its topic, partition and offset, plus the source file and row the
 * producer put in its headers.
 *
 * @example
 * originOf(message) // { kind: 'kafka', topic: 'incidents', partition: 0, offset: '17', file: 'austin.csv', row: 19 }
 */
export function originOf(message: IngestMessage): Origin {
  const origin: Origin = { kind: 'kafka', topic: message.topic, partition: message.partition, offset: String(message.offset) }
  const file = message.headers.get(SOURCE_HEADERS.file)
  const row = Number(message.headers.get(SOURCE_HEADERS.row))
  if (file !== undefined) origin.file = file
  if (Number.isInteger(row) && row > 0) origin.row = row
  return origin
}

/**
 * The decode stage: message bytes to a RawRow. The value must be UTF-8 JSON (what `produce`
 * writes); its fields are then checked by the shared `toRawRow`. Failures are values, with the
 * message's place in the topic in the text.
 *
 * @example
 * const outcome = decodeMessage(message)
 * if (!outcome.ok) console.log(outcome.rejection.code) // NOT_JSON
 */
export function decodeMessage(message: IngestMessage): Outcome<RawRow> {
  const where = `${message.topic}[${message.partition}]@${message.offset}`
  if (!message.value?.length) return invalid('decode', 'EMPTY_MESSAGE', `Expected a JSON object as the value of ${where} (got an empty value)`)
  const text = message.value.toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return invalid('decode', 'NOT_JSON', `Expected a JSON object as the value of ${where} (got ${JSON.stringify(text.slice(0, 60))})`)
  }
  return toRawRow(value, AUSTIN_COLUMN_IDS)
}

/** What a rejected message is kept as in a dead letter: its parsed JSON if any, else its text. */
export function rawValueOf(message: IngestMessage): unknown {
  const text = message.value?.toString('utf8') ?? ''
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

