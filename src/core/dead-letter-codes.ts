/**
 * The closed set of reasons a row or message ends in the dead letters, one casing (lower snake
 * case), so that a dashboard, a query or a replay tool can count and explain every code it may
 * find. A new reason is added here first; the compiler then holds every `invalid(...)` to this list,
 * and the dashboard's glossary must explain it (a unit test checks both).
 */
export const DEAD_LETTER_CODES = [
  // read: the CSV file
  'column_count',
  'record_too_long',
  'not_utf8',
  // decode: a Kafka message
  'empty_message',
  'not_json',
  'not_an_object',
  'missing_fields',
  'wrong_field_type',
  'unknown_layout',
  'bad_source',
  // parse: a row's cells
  'missing_incident_number',
  'missing_date',
  'bad_date',
  'impossible_date',
  'date_out_of_range',
] as const

/** One reason from {@link DEAD_LETTER_CODES}. */
export type DeadLetterCode = (typeof DEAD_LETTER_CODES)[number]

const KNOWN: ReadonlySet<string> = new Set(DEAD_LETTER_CODES)

/**
 * Whether a text read back (a dead-letter header, a line of a dead-letter file) is one of the codes.
 *
 * @example
 * isDeadLetterCode('not_json') // true
 * isDeadLetterCode('NOT_JSON') // false: codes are lower case
 */
export function isDeadLetterCode(text: string | undefined): text is DeadLetterCode {
  return text !== undefined && KNOWN.has(text)
}
