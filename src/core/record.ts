/**
 * The record shapes that flow through the pipeline.
 *
 * A source (CSV file or Kafka topic) yields {@link RawRow}s; its layout turns each one into an
 * {@link IncidentRecord} (one lake row per source row: an incident with its lists of offenses and
 * biases) or a {@link Rejection}; sinks write records to the lake and rejections to dead letters.
 * An incident that the source spreads over two rows (one offense each) stays two lake rows with the
 * same `incident_id`: count incidents with `COUNT(DISTINCT incident_id)`.
 */
import type { DeadLetterCode } from './dead-letter-codes.ts'

/**
 * One source row, every value still the string the source held, keyed by its layout's column ids
 * (src/layouts/). This is also the Kafka message body; the message's headers name its layout.
 */
export type RawRow = Readonly<Record<string, string>>

/** Where a row came from: a line of a file, or an offset of a topic partition. */
export type Origin =
  | { kind: 'file'; file: string; row: number }
  | { kind: 'kafka'; topic: string; partition: number; offset: bigint; file?: string; row?: number }

/**
 * Says where a row came from, for error messages.
 *
 * @example
 * describeOrigin({ kind: 'file', file: 'data/austin.csv', row: 17 }) // 'row 17 of austin.csv'
 */
export function describeOrigin(origin: Origin): string {
  if (origin.kind === 'file') return `row ${origin.row} of ${origin.file.split('/').pop()}`
  return `offset ${origin.offset} of ${origin.topic}/${origin.partition}`
}

/** The stage of the flow where a row was turned away. */
export type Stage = 'read' | 'decode' | 'parse' | 'clean' | 'enrich' | 'write'

/** Why a row cannot become a lake record; it goes to the dead letters with its origin and raw value. */
export interface Rejection {
  stage: Stage
  code: DeadLetterCode
  message: string
}

/** A per-record result: failures are values, not throws. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; rejection: Rejection }

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value })
export const invalid = <T>(stage: Stage, code: DeadLetterCode, message: string): Outcome<T> => ({
  ok: false,
  rejection: { stage, code, message },
})

/** The canonical lake row. NULL (`null`) always means unknown, never a made-up zero. */
export interface IncidentRecord {
  /** The dataset: austin_apd, synthetic, fbi_cde, nypd, sf_police. */
  source: string
  /** The reporting agency's FBI ORI, where the source gives or implies it. */
  agency_ori: string | null
  agency_name: string | null
  /** The FBI's agency type: City, County, University or College, State Police, ... */
  agency_type: string | null
  city: string | null
  /** Two-letter state code. */
  state: string | null
  /** The FBI's population group of the agency, where the source gives it. */
  population_group: string | null
  incident_id: string
  /** Calendar date as `YYYY-MM-DD`; written as a Parquet DATE. */
  incident_date: string
  year: number
  month: number
  quarter: number
  /** Mon..Sun, recomputed from the date. */
  day_of_week: string
  /** The year prefix of the incident number, which can differ from the incident's year. */
  dataset_year: number | null
  source_month: string | null
  source_day_of_week: string | null
  month_mismatch: boolean
  dow_mismatch: boolean
  dataset_year_mismatch: boolean
  victims_juvenile: number | null
  victims_adult: number | null
  victims_total: number | null
  offenders_juvenile: number | null
  offenders_adult: number | null
  offenders_total: number | null
  offender_count_known: boolean
  has_juvenile_offender: boolean | null
  /** FBI race vocabulary; `Unknown` when the source says so, NULL when it has no offender race at all (NYPD). Ethnicity alike. */
  offender_race: string | null
  offender_ethnicity: string | null
  /** NIBRS offense names, one per offense in the cell. */
  offenses: string[]
  offense_codes: (string | null)[]
  /** Persons, Property or Society, parallel to `offenses` (null where the offense is unmapped). */
  crimes_against: (string | null)[]
  /** One of Persons, Property, Society, Multiple, Unknown. */
  offense_group: string
  location: string | null
  /** FBI bias names, parallel to codes and categories. */
  biases: string[]
  bias_codes: (string | null)[]
  bias_categories: string[]
  /** One of the FBI's six categories, Multiple, or Unknown. */
  bias_category: string
  multiple_bias: boolean
  /** Who or what was harmed: Individual, Business, Society/Public, ...; null where the source does not say. */
  victim_types: string[] | null
  zip_code: string | null
  zip_valid: boolean
  sector: string | null
  council_district: number | null
  raw_offenses: string
  raw_location: string
  raw_bias: string
  raw_race_ethnicity: string
  /** Data-quality flags such as `month_mismatch` or `unmapped_location`. */
  quality_flags: string[]
  source_file: string | null
  source_row: number | null
  kafka_topic: string | null
  kafka_partition: number | null
  /** An int64 that may pass 2^53, so a bigint. */
  kafka_offset: bigint | null
  /** Microseconds since the epoch; written as a Parquet TIMESTAMP(MICROS, UTC). */
  ingested_at: bigint
}

/**
 * Whose row a dead letter is: the source (dataset) it was to be filed under, which names its
 * folder in the lake as it does for incidents, and the layout it was read with (null when the
 * row's layout could not be known, e.g. a message naming a layout no one knows; its header value
 * is then in the message text).
 */
export interface LetterSource {
  source: string
  layout: string | null
}

/** A dead letter: one row that did not reach the lake, with everything needed to replay it. */
export interface DeadLetter extends Rejection, LetterSource {
  origin: Origin
  raw: unknown
  at: string
}

/**
 * A dead letter for a rejected row of a source, stamped with the time it was turned away.
 *
 * @example
 * batch.push(deadLetter(outcome.rejection, { kind: 'file', file: 'austin.csv', row: 17 }, raw, { source: 'austin_apd', layout: 'austin_apd' }))
 */
export function deadLetter(rejection: Rejection, origin: Origin, raw: unknown, from: LetterSource): DeadLetter {
  return { ...rejection, source: from.source, layout: from.layout, origin, raw, at: new Date().toISOString() }
}
