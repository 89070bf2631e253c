import { describeOrigin, invalid, ok, type IncidentRecord, type Origin, type Outcome, type RawRow } from '../core/record.ts'
import { mapBiasCell } from './bias-vocabulary.ts'
import { parseCounts } from './counts.ts'
import { parseGeography } from './geography.ts'
import { datasetYear, dayMismatch, monthMismatch, parseIncidentDate } from './incident-date.ts'
import { mapLocationCell } from './location-vocabulary.ts'
import { mapOffenseCell } from './offense-vocabulary.ts'
import { mapRaceEthnicityCell } from './race-ethnicity.ts'
import { detached, rawText, shown, tidyCell } from './raw-row.ts'

/**
 * Parse, clean and enrich: one raw Austin row into one canonical lake row (data notes sections 4
 * and 5). The vocabulary mappings live in their own modules and run once per distinct cell text;
 * this file puts a row together and decides the only two reasons to reject one.
 */
export interface TransformContext {
  origin: Origin
  /** The `source` column: austin_apd, synthetic, ... */
  source: string
  /** Microseconds since the epoch. */
  ingestedAt: bigint
  /** The clock that bounds plausible years; tests pin it, the pipeline leaves it to the clock. */
  now?: Date
}

interface Lineage {
  source_file: string | null
  source_row: number | null
  kafka_topic: string | null
  kafka_partition: number | null
  kafka_offset: string | null
}

function lineage(origin: Origin): Lineage {
  if (origin.kind === 'file') {
    return { source_file: origin.file, source_row: origin.row, kafka_topic: null, kafka_partition: null, kafka_offset: null }
  }
  return {
    source_file: origin.file ?? null,
    source_row: origin.row ?? null,
    kafka_topic: origin.topic,
    kafka_partition: origin.partition,
    kafka_offset: origin.offset,
  }
}

function appendFlags(into: string[], flags: readonly string[]): void {
  for (let i = 0; i < flags.length; i++) into.push(flags[i])
}

/**
 * Parse, clean and enrich one raw row into the canonical record. A row is invalid only when it has
 * no incident number or no usable date (nothing to key or partition it by); every other problem is
 * kept: the raw text stays in the `raw_*` columns, the mapped value is null or `Unknown`, and
 * `quality_flags` says what was odd. Rejection messages name the column, the origin and the cell.
 *
 * @example
 * const outcome = transformRow(raw, { origin: { kind: 'file', file: 'austin.csv', row: 2 }, source: 'austin_apd', ingestedAt })
 * if (outcome.ok) batch.push(outcome.value)
 * else deadLetters.push(deadLetter(outcome.rejection, origin, raw))
 */
export function transformRow(raw: RawRow, context: TransformContext): Outcome<IncidentRecord> {
  const incidentId = tidyCell(raw.incident_number)
  if (!incidentId) {
    const message = `Expected an incident number in "Incident Number" at ${describeOrigin(context.origin)} (got ${shown(raw.incident_number)})`
    return invalid('parse', 'missing_incident_number', message)
  }
  const date = parseIncidentDate(raw.date_of_incident, context.origin, context.now)
  if (!date.ok) return date
  const { iso, year, month, quarter, dayOfWeek } = date.value

  const sourceMonth = tidyCell(raw.month)
  const sourceDay = tidyCell(raw.day_of_week)
  const month_mismatch = monthMismatch(sourceMonth, month)
  const dow_mismatch = dayMismatch(sourceDay, dayOfWeek)
  const dataset_year = datasetYear(incidentId)
  const dataset_year_mismatch = dataset_year !== null && dataset_year !== year
  const race = mapRaceEthnicityCell(raw.race_ethnicity_of_offenders)
  const counts = parseCounts({
    victimsUnder18: raw.victims_under_18,
    victimsOver18: raw.victims_over_18,
    offendersUnder18: raw.offenders_under_18,
    offendersOver18: raw.offenders_over_18,
    offenderRace: raw.race_ethnicity_of_offenders,
  })
  const biases = mapBiasCell(raw.bias)
  const offenses = mapOffenseCell(raw.offenses)
  const location = mapLocationCell(raw.offense_location)
  const geography = parseGeography(raw.zip_code, raw.apd_sector, raw.council_district)

  // Each family of flags is distinct, so the list needs no de-duplication.
  const quality_flags: string[] = []
  if (month_mismatch) quality_flags.push('month_mismatch')
  if (dow_mismatch) quality_flags.push('dow_mismatch')
  if (dataset_year_mismatch) quality_flags.push('dataset_year_mismatch')
  // One call per family rather than a loop over an array of them: no array and iterators per row.
  appendFlags(quality_flags, counts.flags)
  appendFlags(quality_flags, race.flags)
  appendFlags(quality_flags, biases.flags)
  appendFlags(quality_flags, offenses.flags)
  appendFlags(quality_flags, location.flags)
  appendFlags(quality_flags, geography.flags)

  return ok({
    source: context.source,
    incident_id: detached(incidentId),
    incident_date: iso,
    year,
    month,
    quarter,
    day_of_week: dayOfWeek,
    dataset_year,
    source_month: sourceMonth || null,
    source_day_of_week: sourceDay || null,
    month_mismatch,
    dow_mismatch,
    dataset_year_mismatch,
    victims_juvenile: counts.victimsJuvenile,
    victims_adult: counts.victimsAdult,
    victims_total: counts.victimsTotal,
    offenders_juvenile: counts.offendersJuvenile,
    offenders_adult: counts.offendersAdult,
    offenders_total: counts.offendersTotal,
    offender_count_known: counts.offenderCountKnown,
    has_juvenile_offender: counts.hasJuvenileOffender,
    offender_race: race.race,
    offender_ethnicity: race.ethnicity,
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
    zip_code: geography.zipCode,
    zip_valid: geography.zipValid,
    sector: geography.sector,
    council_district: geography.councilDistrict,
    raw_offenses: rawText(raw.offenses),
    raw_location: rawText(raw.offense_location),
    raw_bias: rawText(raw.bias),
    raw_race_ethnicity: rawText(raw.race_ethnicity_of_offenders),
    quality_flags,
    ...lineage(context.origin),
    ingested_at: context.ingestedAt,
  })
}
