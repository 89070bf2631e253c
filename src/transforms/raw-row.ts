import { RAW_COLUMNS, invalid, ok, type Outcome, type RawRow } from '../core/record.ts'

/**
 * Checks a decoded Kafka message body: an object with every raw column as a string. Extra keys are
 * ignored (a newer producer may add some); missing or non-string columns make the message invalid.
 *
 * @example
 * toRawRow(JSON.parse(message.value.toString()))
 */
export function toRawRow(value: unknown): Outcome<RawRow> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value
    return invalid('decode', 'not_an_object', `Expected a JSON object with the ${RAW_COLUMNS.length} raw columns (got ${found})`)
  }
  const record = value as Record<string, unknown>
  const missing = RAW_COLUMNS.filter((column) => !(column in record))
  if (missing.length) {
    return invalid('decode', 'missing_fields', `Expected the raw columns ${missing.join(', ')} in the message (they are missing)`)
  }
  const wrong = RAW_COLUMNS.filter((column) => typeof record[column] !== 'string')
  if (wrong.length) {
    const found = wrong.map((column) => `${column}: ${JSON.stringify(record[column])}`).join(', ')
    return invalid('decode', 'wrong_field_type', `Expected string values for every raw column (got ${found})`)
  }
  const row = {} as RawRow
  for (const column of RAW_COLUMNS) row[column] = record[column] as string
  return ok(row)
}
