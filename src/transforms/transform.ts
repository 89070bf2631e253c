import type { IncidentRecord, Origin } from '../core/record.ts'
import type { BiasCell } from './bias-vocabulary.ts'
import type { IncidentDate } from './incident-date.ts'
import type { LocationCell } from './location-vocabulary.ts'
import type { OffenseCell } from './offense-vocabulary.ts'

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

/** Columns filled from the parsed date, from which the record is partitioned. */
type Dated = 'incident_date' | 'year' | 'month' | 'quarter' | 'day_of_week'
/** Columns filled from the mapped offense, location and bias cells. */
type Mapped = 'offenses' | 'offense_codes' | 'crimes_against' | 'offense_group' | 'location' | 'biases' | 'bias_codes' | 'bias_categories' | 'bias_category'
/** Columns the record takes from the context. */
type Stamped = 'source' | 'source_file' | 'source_row' | 'kafka_topic' | 'kafka_partition' | 'kafka_offset' | 'ingested_at'

/**
 * What a layout hands over: the key (a kept copy, see `detached`) and the parsed date, the mapped
 * vocabulary cells its source has, and whichever other columns it has. The cells are handed over
 * whole rather than spread into columns: spreading objects into the parts costs more than the rest
 * of the record's assembly.
 */
export type RecordParts = Pick<IncidentRecord, 'incident_id'> &
  Partial<Omit<IncidentRecord, 'incident_id' | Dated | Mapped | Stamped>> & {
    date: IncidentDate
    offenseCell?: OffenseCell
    locationCell?: LocationCell
    /** Its names fill `multiple_bias` too, unless the parts give that column. */
    biasCell?: BiasCell
  }

const NO_LIST: readonly string[] = Object.freeze([])

/**
 * The canonical record from a layout's parts and the row's context. Every column is written in
 * one order, so every record has one shape (V8 keeps the encoders' per-column reads fast).
 *
 * @example
 * return ok(incidentRecord({ incident_id: detached(id), date: date.value, biasCell: mapBias(raw.bias) }, context))
 */
export function incidentRecord(parts: RecordParts, context: TransformContext): IncidentRecord {
  const { origin } = context
  const file = origin.kind === 'file'
  const { date, offenseCell: offenses, locationCell: location, biasCell: biases } = parts
  return {
    source: context.source,
    agency_ori: parts.agency_ori ?? null,
    agency_name: parts.agency_name ?? null,
    agency_type: parts.agency_type ?? null,
    city: parts.city ?? null,
    state: parts.state ?? null,
    population_group: parts.population_group ?? null,
    incident_id: parts.incident_id,
    incident_date: date.iso,
    year: date.year,
    month: date.month,
    quarter: date.quarter,
    day_of_week: date.dayOfWeek,
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
    offenses: offenses ? offenses.names : (NO_LIST as string[]),
    offense_codes: offenses ? offenses.codes : (NO_LIST as string[]),
    crimes_against: offenses ? offenses.against : (NO_LIST as string[]),
    offense_group: offenses ? offenses.group : 'Unknown',
    location: location ? location.location : null,
    biases: biases ? biases.names : (NO_LIST as string[]),
    bias_codes: biases ? biases.codes : (NO_LIST as string[]),
    bias_categories: biases ? biases.categories : (NO_LIST as string[]),
    bias_category: biases ? biases.category : 'Unknown',
    multiple_bias: parts.multiple_bias ?? (biases !== undefined && biases.names.length > 1),
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
 * Joins families of flags into a record's `quality_flags`; each family is distinct, so the list
 * needs no de-duplication. A row without a problem shares one empty list, and a row with one family
 * of flags shares that family's list (the cell mappings' lists are shared by every row with the same
 * cell), so the lake's column builder finds most lists by identity instead of by content.
 *
 * @example
 * qualityFlags(['month_mismatch'], counts.flags, biases.flags) // ['month_mismatch', 'unmapped_bias']
 */
export function qualityFlags(...families: readonly (readonly string[])[]): string[] {
  let only: readonly string[] | undefined
  let flags: string[] | undefined
  for (const family of families) {
    if (!family.length) continue
    if (only === undefined) only = family
    else (flags ??= [...only]).push(...family)
  }
  return (flags ?? only ?? NO_LIST) as string[]
}
