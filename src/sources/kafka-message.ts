import { invalid, ok, type LetterSource, type Origin, type Outcome, type RawRow } from '../core/record.ts'
import { sourceNameProblem } from '../lake/partitions.ts'
import { AUSTIN_APD } from '../layouts/austin-apd/layout.ts'
import type { Layout } from '../layouts/layout.ts'
import { LAYOUTS } from '../layouts/registry.ts'
import { toRawRow } from '../transforms/raw-row.ts'
import { JsonRowScanner } from './json-row-scanner.ts'

/**
 * Message headers naming the file and row a message was read from (lineage into the lake), the
 * layout its body is keyed by, and the source (dataset) it belongs to: one topic can carry
 * several sources.
 */
export const SOURCE_HEADERS = {
  file: 'hatecrimes.source.file',
  row: 'hatecrimes.source.row',
  layout: 'hatecrimes.layout',
  source: 'hatecrimes.source',
} as const

/** A message's file, layout and source headers (null where absent). */
export type Tags = [file: string | null, layout: string | null, source: string | null]

/** A consumed message as the ingest reads it: bytes for key and value (a poison body must stay as it came), and the headers it reads. */
export interface IngestMessage {
  topic: string
  partition: number
  offset: bigint
  key: Buffer | null
  value: Buffer | null
  tags: Tags
  /** The row header as Number() reads it (NaN without one). */
  row: number
}

/**
 * Where a message came from: its topic, partition and offset, plus the source file and row the
 * producer put in its headers.
 *
 * @example
 * originOf(message) // { kind: 'kafka', topic: 'incidents', partition: 0, offset: 17n, file: 'austin.csv', row: 19 }
 */
export function originOf(message: IngestMessage): Origin {
  const origin: Origin = { kind: 'kafka', topic: message.topic, partition: message.partition, offset: message.offset }
  const [file] = message.tags
  const { row } = message
  if (file !== null) origin.file = file
  if (Number.isInteger(row) && row > 0) origin.row = row
  return origin
}

/** A decoded message: its raw row, the layout to map it with, and the source its records belong to. */
export interface TaggedRow {
  raw: RawRow
  layout: Layout
  source: string
}

const layoutsById = new Map(LAYOUTS.map((layout) => [layout.id, layout]))

/** Per layout, its column ids (toRawRow makes its check once per list) and the scanner of bodies keyed by them. */
const readers = new Map<Layout, { ids: string[]; scanner: JsonRowScanner }>()

function readerOf(layout: Layout) {
  let reader = readers.get(layout)
  if (!reader) {
    const ids = layout.columns.map((column) => column.id)
    readers.set(layout, (reader = { ids, scanner: new JsonRowScanner(ids) }))
  }
  return reader
}

/**
 * The decode stage with the message's tags: the layout and source headers say how to read the
 * body. A message without them (from a producer before layouts) is an Austin row of `fallbackSource`;
 * an unknown layout or a source that is no folder name is a rejection naming the header.
 *
 * @example
 * const decoded = decodeTagged(message, 'austin_apd')
 * if (decoded.ok) decoded.value.layout.transform(decoded.value.raw, { origin, source: decoded.value.source, ingestedAt })
 */
export function decodeTagged(message: IngestMessage, fallbackSource: string): Outcome<TaggedRow> {
  const { layoutId, layout, source, problem } = checkedTags(message, fallbackSource)
  if (!layout) {
    const known = LAYOUTS.map((entry) => entry.id).join(', ')
    return invalid('decode', 'unknown_layout', `Expected a layout id (${known}) in header ${SOURCE_HEADERS.layout} of ${where(message)} (got ${JSON.stringify(layoutId)})`)
  }
  if (problem) return invalid('decode', 'bad_source', `${problem} in header ${SOURCE_HEADERS.source} of ${where(message)}`)
  const raw = decodeMessage(message, layout)
  return raw.ok ? ok({ raw: raw.value, layout, source }) : raw
}

/** The tags checked last and what they said: the messages of a pack share one tags array per distinct set. */
let checked: (ReturnType<typeof tagsOf> & { tags: Tags; fallbackSource: string; problem: string | undefined }) | undefined

/** A message's layout and source (tagsOf), and what is wrong with the source's name, checked once for a run of messages with the same tags. */
function checkedTags(message: IngestMessage, fallbackSource: string) {
  if (checked?.tags === message.tags && checked.fallbackSource === fallbackSource) return checked
  const named = tagsOf(message, fallbackSource)
  return (checked = { ...named, tags: message.tags, fallbackSource, problem: sourceNameProblem(named.source) })
}

/** The layout and source a message's headers name; a message without them is an Austin row of `fallbackSource`. */
function tagsOf(message: IngestMessage, fallbackSource: string) {
  const [, layoutId, tagged] = message.tags
  const layout = layoutId === null ? AUSTIN_APD : layoutsById.get(layoutId)
  const source = tagged ?? (layoutId === null || !layout ? fallbackSource : layout.source)
  return { layoutId, layout, source }
}

/**
 * Whose a message is, for its dead letter: the source and layout its headers name, as
 * {@link decodeTagged} reads them. A source that is no folder name falls back to `fallbackSource`,
 * and a layout no one knows is null.
 *
 * @example
 * letterSourceOf(message, 'austin_apd') // { source: 'fbi_cde', layout: 'fbi_cde' }
 */
export function letterSourceOf(message: IngestMessage, fallbackSource: string): LetterSource {
  const { layout, source } = tagsOf(message, fallbackSource)
  return { source: sourceNameProblem(source) ? fallbackSource : source, layout: layout?.id ?? null }
}

/**
 * The decode stage: message bytes to a RawRow of `layout`. The value must be UTF-8 JSON (what `produce`
 * writes). A body in produce's own form is read by the layout's JsonRowScanner; any other is parsed
 * and its fields checked by the shared `toRawRow`, so both read alike. Failures are values, with the
 * message's place in the topic in the text.
 *
 * @example
 * const outcome = decodeMessage(message)
 * if (!outcome.ok) console.log(outcome.rejection.code) // not_json
 */
export function decodeMessage(message: IngestMessage, layout: Layout = AUSTIN_APD): Outcome<RawRow> {
  if (!message.value?.length) return invalid('decode', 'empty_message', `Expected a JSON object as the value of ${where(message)} (got an empty value)`)
  const reader = readerOf(layout)
  const scanned = reader.scanner.scan(message.value)
  if (scanned) return ok(scanned)
  const text = message.value.toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return invalid('decode', 'not_json', `Expected a JSON object as the value of ${where(message)} (got ${JSON.stringify(text.slice(0, 60))})`)
  }
  return toRawRow(value, reader.ids)
}

/** A message's place in its topic, for error messages (built only when one is needed). */
const where = (message: IngestMessage) => `${message.topic}[${message.partition}]@${message.offset}`

/** What a rejected message is kept as in a dead letter: its parsed JSON if any, else its text. */
export function rawValueOf(message: IngestMessage): unknown {
  const text = message.value?.toString('utf8') ?? ''
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

