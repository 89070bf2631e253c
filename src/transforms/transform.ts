import type { IncidentRecord, Origin } from '../core/record.ts'
import type { BiasCell } from './bias-vocabulary.ts'
import type { IncidentDate } from './incident-date.ts'
import type { LocationCell } from './location-vocabulary.ts'
import type { OffenseCell } from './offense-vocabulary.ts'
import { detached } from './raw-row.ts'

/**
 * The shared end of every layout's transform: a layout maps its cells with the shared cleaning
 * rules (dates, counts, vocabularies) and hands the parts here, which puts the canonical record
 * together the same way for every source: what a layout does not give is NULL (or `false`, empty,
 * `Unknown` where the column cannot be null), never guessed, and lineage comes from the origin.
 */
export interface TransformContext {
  origin: Origin
  /** The `source` column: austin_apd, synthetic, fbi_cde, ... */
  source: string
  /** Microseconds since the epoch. */
  ingestedAt: bigint
  /** The clock that bounds plausible years; tests pin it, the pipeline leaves it to the clock. */
  now?: Date
  /**
   * How many rows of this input each row key has had so far, for layouts whose files repeat a row
   * exactly (NYPD): copies are then numbered among themselves, whatever the rows' order. Only a
   * run over one whole input sets it; a Kafka member sees part of a topic, from a committed offset.
   */
  repeats?: Map<string, number>
}

/** Columns every layout must fill: the key and the date, from which the record is partitioned. */
type Given = 'incident_id' | 'incident_date' | 'year' | 'month' | 'quarter' | 'day_of_week'
/** Columns the record takes from the context. */
type Stamped = 'source' | 'source_file' | 'source_row' | 'kafka_topic' | 'kafka_partition' | 'kafka_offset' | 'ingested_at'

/** What a layout hands over: the key and date, and whichever other columns its source has. */
export type RecordParts = Pick<IncidentRecord, Given> & Partial<Omit<IncidentRecord, Given | Stamped>>

const NO_LIST: readonly string[] = Object.freeze([])

/**
 * The canonical record from a layout's parts and the row's context. Every column is written in
 * one order, so every record has one shape (V8 keeps the encoders' per-column reads fast).
 *
 * @example
 * return ok(incidentRecord({ incident_id, incident_date, year, month, quarter, day_of_week, biases: [...] }, context))
 */
export function incidentRecord(parts: RecordParts, context: TransformContext): IncidentRecord {
  const { origin } = context
  const file = origin.kind === 'file'
  return {
    source: context.source,
    agency_ori: parts.agency_ori ?? null,
    agency_name: parts.agency_name ?? null,
    agency_type: parts.agency_type ?? null,
    city: parts.city ?? null,
    state: parts.state ?? null,
    population_group: parts.population_group ?? null,
    incident_id: parts.incident_id,
    incident_date: parts.incident_date,
    year: parts.year,
    month: parts.month,
    quarter: parts.quarter,
    day_of_week: parts.day_of_week,
    dataset_year: parts.dataset_year ?? null,
    source_month: parts.source_month ?? null,
    source_day_of_week: parts.source_day_of_week ?? null,
    month_mismatch: parts.month_mismatch ?? false,
    dow_mismatch: parts.dow_mismatch ?? false,
    dataset_year_mismatch: parts.dataset_year_mismatch ?? false,
    victims_juvenile: parts.victims_juvenile ?? null,
    victims_adult: parts.victims_adult ?? null,
    victims_total: parts.victims_total ?? null,
    offenders_juvenile: parts.offenders_juvenile ?? null,
    offenders_adult: parts.offenders_adult ?? null,
    offenders_total: parts.offenders_total ?? null,
    offender_count_known: parts.offender_count_known ?? false,
    has_juvenile_offender: parts.has_juvenile_offender ?? null,
    offender_race: parts.offender_race ?? null,
    offender_ethnicity: parts.offender_ethnicity ?? null,
    offenses: parts.offenses ?? (NO_LIST as string[]),
    offense_codes: parts.offense_codes ?? (NO_LIST as string[]),
    crimes_against: parts.crimes_against ?? (NO_LIST as string[]),
    offense_group: parts.offense_group ?? 'Unknown',
    location: parts.location ?? null,
    biases: parts.biases ?? (NO_LIST as string[]),
    bias_codes: parts.bias_codes ?? (NO_LIST as string[]),
    bias_categories: parts.bias_categories ?? (NO_LIST as string[]),
    bias_category: parts.bias_category ?? 'Unknown',
    multiple_bias: parts.multiple_bias ?? false,
    victim_types: parts.victim_types ?? null,
    zip_code: parts.zip_code ?? null,
    zip_valid: parts.zip_valid ?? false,
    sector: parts.sector ?? null,
    council_district: parts.council_district ?? null,
    raw_offenses: parts.raw_offenses ?? '',
    raw_location: parts.raw_location ?? '',
    raw_bias: parts.raw_bias ?? '',
    raw_race_ethnicity: parts.raw_race_ethnicity ?? '',
    quality_flags: parts.quality_flags ?? (NO_LIST as string[]),
    source_file: file ? origin.file : (origin.file ?? null),
    source_row: file ? origin.row : (origin.row ?? null),
    kafka_topic: file ? null : origin.topic,
    kafka_partition: file ? null : origin.partition,
    kafka_offset: file ? null : origin.offset,
    ingested_at: context.ingestedAt,
  }
}

/**
 * The columns every layout must give: the incident's key (a kept copy, see `detached`) and its date.
 *
 * @example
 * incidentRecord({ ...keyAndDate(incidentId, date.value), biases: [...] }, context)
 */
export function keyAndDate(incidentId: string, date: IncidentDate): Pick<IncidentRecord, Given> {
  return {
    incident_id: detached(incidentId),
    incident_date: date.iso,
    year: date.year,
    month: date.month,
    quarter: date.quarter,
    day_of_week: date.dayOfWeek,
  }
}

/**
 * The record columns of a row's mapped offense, location and bias cells, as every layout fills them.
 *
 * @example
 * incidentRecord({ ...keyAndDate, ...vocabularyParts(mapOffenses(cell), mapLocation(cell), mapBias(cell)) }, context)
 */
export function vocabularyParts(offenses: OffenseCell, location: LocationCell, biases: BiasCell): Partial<IncidentRecord> {
  return {
    offenses: offenses.names,
    offense_codes: offenses.codes,
    crimes_against: offenses.against,
    offense_group: offenses.group,
    location: location.location,
    biases: biases.names,
    bias_codes: biases.codes,
    bias_categories: biases.categories,
    bias_category: biases.category,
    multiple_bias: biases.names.length > 1,
  }
}

/**
 * Joins families of flags into a record's `quality_flags`; each family is distinct, so the list
 * needs no de-duplication, and a row without a problem shares one empty list.
 *
 * @example
 * qualityFlags(['month_mismatch'], counts.flags, biases.flags) // ['month_mismatch', 'unmapped_bias']
 */
export function qualityFlags(...families: readonly (readonly string[])[]): string[] {
  let flags: string[] | undefined
  for (const family of families) for (const flag of family) (flags ??= []).push(flag)
  return flags ?? (NO_LIST as string[])
}
