import { RAW_COLUMNS, type RawRow } from '../core/record.ts'

/**
 * The message body `produce` writes is `JSON.stringify` of a RawRow: the fifteen raw columns, in
 * RAW_COLUMNS order, each a string, no spaces. Read with JSON.parse and checked by toRawRow, it
 * costs the ingest more than any other per-message step but the transform; read here, it is a
 * dozen string searches and slices. Only a body that is exactly that shape is read here: any other
 * (another key order, an extra key, a number, an escape sequence, a control character) gives
 * undefined, and the caller parses it the general way, so both ways give the same row.
 */

/** What comes before each value: `{"month":"`, then `","incident_number":"`, and so on. */
const BEFORE = RAW_COLUMNS.map((column, index) => `${index === 0 ? '{' : '",'}"${column}":"`)
const END = '"}'
/** A backslash starts an escape sequence, and JSON strings cannot hold control characters raw. */
const NOT_PLAIN = /[\\\u0000-\u001f]/

/**
 * The RawRow a message body holds, when the body is exactly in `produce`'s shape (see above);
 * otherwise undefined, and `toRawRow(JSON.parse(text))` says what the row is or why it is not one.
 *
 * @example
 * plainRawRow(JSON.stringify(raw)) // a RawRow equal to raw
 * plainRawRow('{"month": "June"}') // undefined
 */
export function plainRawRow(text: string): RawRow | undefined {
  if (NOT_PLAIN.test(text)) return undefined
  const values: string[] = []
  let at = 0
  for (const before of BEFORE) {
    if (!text.startsWith(before, at)) return undefined
    const start = at + before.length
    // Without backslashes the first quote after the start is the one that ends the string.
    at = text.indexOf('"', start)
    if (at < 0) return undefined
    values.push(text.slice(start, at))
  }
  if (at + END.length !== text.length || !text.startsWith(END, at)) return undefined
  // One literal, keys in toRawRow's order, so every row has the same shape for the transform.
  return {
    month: values[0],
    incident_number: values[1],
    date_of_incident: values[2],
    day_of_week: values[3],
    victims_under_18: values[4],
    victims_over_18: values[5],
    offenders_under_18: values[6],
    offenders_over_18: values[7],
    race_ethnicity_of_offenders: values[8],
    offenses: values[9],
    offense_location: values[10],
    bias: values[11],
    zip_code: values[12],
    apd_sector: values[13],
    council_district: values[14],
  }
}
