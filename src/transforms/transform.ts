import { describeOrigin, invalid, ok, type IncidentRecord, type Origin, type Outcome, type RawColumn, type RawRow } from '../core/record.ts'
import { lookupBias, splitBiases } from './bias-vocabulary.ts'
import { parseCounts, total } from './counts.ts'
import { parseGeography } from './geography.ts'
import { datasetYear, dayMismatch, monthMismatch, parseIncidentDate } from './incident-date.ts'
import { lookupLocation } from './location-vocabulary.ts'
import { lookupOffense, offenseGroup, splitOffenses } from './offense-vocabulary.ts'
import { parseRaceEthnicity } from './race-ethnicity.ts'

export interface TransformContext {
  origin: Origin
  /** The `source` column: austin_apd, synthetic, ... */
  source: string
  /** Microseconds since the epoch. */
  ingestedAt: bigint
  /** The clock that bounds plausible years (tests pin it). */
  now?: Date
}

/** Trims and collapses whitespace, the first cleaning step for every cell. */
const tidy = (raw: RawRow, column: RawColumn) => raw[column].trim().replace(/\s+/g, ' ')

/**
 * Caches a per-cell mapping: the vocabulary columns repeat a few hundred distinct texts over
 * millions of rows. The cache is cleared when full, so odd input cannot grow it without bound.
 */
function cached<T>(map: (cell: string) => T, limit = 10_000): (cell: string) => T {
  const cache = new Map<string, T>()
  return (cell) => {
    let value = cache.get(cell)
    if (value === undefined) {
      if (cache.size >= limit) cache.clear()
      cache.set(cell, (value = map(cell)))
    }
    return value
  }
}

const biasesOf = cached((cell: string) => {
  const flags: string[] = []
  const biases = splitBiases(cell).map((token) => {
    const bias = lookupBias(token)
    if (!bias) flags.push('unmapped_bias')
    else if (bias.nonStandard) flags.push('nonstandard_bias')
    return bias ?? { code: null, name: token, category: 'Unknown', nonStandard: false }
  })
  if (!biases.length) flags.push('missing_bias')
  const known = new Set(biases.map((b) => b.category).filter((c) => c !== 'Unknown' && c !== 'None/Unknown'))
  const category = known.size === 0 ? 'Unknown' : known.size === 1 ? [...known][0] : 'Multiple'
  return {
    names: biases.map((b) => b.name),
    codes: biases.map((b) => b.code),
    categories: biases.map((b) => b.category),
    category,
    flags,
  }
})

const offensesOf = cached((cell: string) => {
  const flags: string[] = []
  const offenses = splitOffenses(cell).map((token) => {
    const offense = lookupOffense(token)
    if (!offense) flags.push('unmapped_offense')
    return { name: offense?.name ?? token, code: offense?.code ?? null, against: offense?.against ?? null }
  })
  if (!offenses.length) flags.push('missing_offense')
  const against = offenses.map((o) => o.against)
  return { names: offenses.map((o) => o.name), codes: offenses.map((o) => o.code), against, group: offenseGroup(against), flags }
})

const locationOf = cached((cell: string) => {
  if (!cell) return { location: null, flags: ['missing_location'] }
  const location = lookupLocation(cell) ?? null
  return { location, flags: location ? [] : ['unmapped_location'] }
})

const raceOf = cached(parseRaceEthnicity)

function lineage(origin: Origin) {
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

/**
 * Parse, clean and enrich one raw row into the canonical record. A row is invalid only when it has
 * no incident number or no usable date (nothing to key or partition it by); every other problem is
 * kept: the raw text stays in the `raw_*` columns and `quality_flags` says what was odd.
 *
 * @example
 * const outcome = transformRow(raw, { origin: { kind: 'file', file: 'austin.csv', row: 2 }, source: 'austin_apd', ingestedAt })
 * if (outcome.ok) batch.push(outcome.value)
 */
export function transformRow(raw: RawRow, context: TransformContext): Outcome<IncidentRecord> {
  const where = describeOrigin(context.origin)
  const incidentId = tidy(raw, 'incident_number')
  if (!incidentId) {
    const found = JSON.stringify(raw.incident_number)
    return invalid('parse', 'missing_incident_number', `Expected an incident number in "Incident Number" at ${where} (got ${found})`)
  }
  const date = parseIncidentDate(raw.date_of_incident, where, context.now)
  if (!date.ok) return date
  const { iso, year, month, quarter, dayOfWeek } = date.value
  const flags: string[] = []
  const sourceMonth = tidy(raw, 'month')
  const sourceDay = tidy(raw, 'day_of_week')
  const month_mismatch = monthMismatch(sourceMonth, month)
  const dow_mismatch = dayMismatch(sourceDay, dayOfWeek)
  const dataset_year = datasetYear(incidentId)
  const dataset_year_mismatch = dataset_year !== null && dataset_year !== year
  if (month_mismatch) flags.push('month_mismatch')
  if (dow_mismatch) flags.push('dow_mismatch')
  if (dataset_year_mismatch) flags.push('dataset_year_mismatch')

  const raceCell = tidy(raw, 'race_ethnicity_of_offenders')
  const counts = parseCounts({
    victimsUnder18: raw.victims_under_18,
    victimsOver18: raw.victims_over_18,
    offendersUnder18: raw.offenders_under_18,
    offendersOver18: raw.offenders_over_18,
    offenderRace: raceCell,
  })
  flags.push(...counts.flags)
  const race = raceOf(raceCell)
  if (!race) flags.push('unmapped_race_ethnicity')
  const biases = biasesOf(tidy(raw, 'bias'))
  const offenses = offensesOf(tidy(raw, 'offenses'))
  const { location, flags: locationFlags } = locationOf(tidy(raw, 'offense_location'))
  const geography = parseGeography(raw.zip_code, raw.apd_sector, raw.council_district)
  flags.push(...biases.flags, ...offenses.flags, ...locationFlags, ...geography.flags)

  return ok({
    source: context.source,
    incident_id: incidentId,
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
    victims_total: total(counts.victimsJuvenile, counts.victimsAdult),
    offenders_juvenile: counts.offendersJuvenile,
    offenders_adult: counts.offendersAdult,
    offenders_total: total(counts.offendersJuvenile, counts.offendersAdult),
    offender_count_known: counts.offenderCountKnown,
    has_juvenile_offender: counts.offendersJuvenile === null ? null : counts.offendersJuvenile > 0,
    offender_race: race?.race ?? 'Unknown',
    offender_ethnicity: race?.ethnicity ?? 'Unknown',
    offenses: offenses.names,
    offense_codes: offenses.codes,
    crimes_against: offenses.against,
    offense_group: offenses.group,
    location,
    biases: biases.names,
    bias_codes: biases.codes,
    bias_categories: biases.categories,
    bias_category: biases.category,
    multiple_bias: biases.names.length > 1,
    zip_code: geography.zipCode,
    zip_valid: geography.zipValid,
    sector: geography.sector,
    council_district: geography.councilDistrict,
    raw_offenses: raw.offenses,
    raw_location: raw.offense_location,
    raw_bias: raw.bias,
    raw_race_ethnicity: raw.race_ethnicity_of_offenders,
    quality_flags: [...new Set(flags)],
    ...lineage(context.origin),
    ingested_at: context.ingestedAt,
  })
}
