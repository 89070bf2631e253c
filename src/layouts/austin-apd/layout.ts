import { describeOrigin, invalid, ok, type IncidentRecord, type Outcome, type RawRow } from '../../core/record.ts'
import { biasCellMapper } from '../../transforms/bias-vocabulary.ts'
import { parseCounts } from '../../transforms/counts.ts'
import { parseGeography } from '../../transforms/geography.ts'
import { datasetYear, dayMismatch, monthMismatch, parseIncidentDate } from '../../transforms/incident-date.ts'
import { locationCellMapper } from '../../transforms/location-vocabulary.ts'
import { offenseCellMapper } from '../../transforms/offense-vocabulary.ts'
import { mapRaceEthnicityCell } from '../../transforms/race-ethnicity.ts'
import { detached, shown, tidyCell } from '../../transforms/raw-row.ts'
import { incidentRecord, qualityFlags, type TransformContext } from '../../transforms/transform.ts'
import type { Layout } from '../layout.ts'
import { AUSTIN_COLUMNS } from './columns.ts'
import { AUSTIN_BIASES, AUSTIN_LOCATIONS, AUSTIN_OFFENSES } from './vocabulary.ts'

/** The Bias, Offense(s) and Offense Location cells of Austin's files, each mapped once per distinct text. */
export const mapAustinBias = biasCellMapper(AUSTIN_BIASES)
export const mapAustinOffenses = offenseCellMapper(AUSTIN_OFFENSES, '/')
export const mapAustinLocation = locationCellMapper(AUSTIN_LOCATIONS)

/** The date flags of a row, one list per combination (bit 0 month, 1 weekday, 2 dataset year), shared by every row with it. */
const DATE_FLAG_LISTS = Array.from({ length: 8 }, (_, bits) => ['month_mismatch', 'dow_mismatch', 'dataset_year_mismatch'].filter((_, i) => bits & (1 << i)))

/**
 * The agency behind the `austin_apd` source: the FBI files the Austin Police Department as ORI
 * TX2270100, a City agency named Austin. Synthetic rows share the layout but come from no agency.
 */
const AUSTIN_AGENCY = { agency_ori: 'TX2270100', agency_name: 'Austin', agency_type: 'City', city: 'Austin', state: 'TX' }
const NO_AGENCY = { agency_ori: null, agency_name: null, agency_type: null, city: null, state: null }

/**
 * Parse, clean and enrich one Austin row (data notes sections 4 and 5). A row is invalid only
 * when it has no incident number or no usable date (nothing to key or partition it by); every other
 * problem is kept: the raw text stays in the `raw_*` columns, the mapped value is null or
 * `Unknown`, and `quality_flags` says what was odd.
 */
function transformAustin(raw: RawRow, context: TransformContext): Outcome<IncidentRecord> {
  const incidentId = tidyCell(raw.incident_number)
  if (!incidentId) {
    const message = `Expected an incident number in "Incident Number" at ${describeOrigin(context.origin)} (got ${shown(raw.incident_number)})`
    return invalid('parse', 'missing_incident_number', message)
  }
  const date = parseIncidentDate(raw.date_of_incident, context.origin, context.now)
  if (!date.ok) return date
  const { year, month, dayOfWeek } = date.value

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
  const biases = mapAustinBias(raw.bias)
  const offenses = mapAustinOffenses(raw.offenses)
  const location = mapAustinLocation(raw.offense_location)
  const geography = parseGeography(raw.zip_code, raw.apd_sector, raw.council_district)
  const dateFlags = DATE_FLAG_LISTS[(month_mismatch ? 1 : 0) | (dow_mismatch ? 2 : 0) | (dataset_year_mismatch ? 4 : 0)]

  // Written out, not spread: a spread into the parts costs more than the rest of the record.
  const agency = context.source === 'austin_apd' ? AUSTIN_AGENCY : NO_AGENCY
  return ok(
    incidentRecord(
      {
        agency_ori: agency.agency_ori,
        agency_name: agency.agency_name,
        agency_type: agency.agency_type,
        city: agency.city,
        state: agency.state,
        incident_id: detached(incidentId),
        date: date.value,
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
        offenseCell: offenses,
        locationCell: location,
        biasCell: biases,
        zip_code: geography.zipCode,
        zip_valid: geography.zipValid,
        sector: geography.sector,
        council_district: geography.councilDistrict,
        raw_offenses: offenses.raw,
        raw_location: location.raw,
        raw_bias: biases.raw,
        raw_race_ethnicity: race.raw,
        quality_flags: qualityFlags(dateFlags, counts.flags, race.flags, biases.flags, offenses.flags, location.flags, geography.flags),
      },
      context,
    ),
  )
}

/**
 * The Austin Police Department's hate-crime files (2017-2025 and the yearly datasets), and the
 * synthetic files `generate` writes in the same layout.
 *
 * @example
 * const outcome = AUSTIN_APD.transform(raw, { origin, source: 'austin_apd', ingestedAt })
 */
export const AUSTIN_APD: Layout = {
  id: 'austin_apd',
  title: 'Austin Police Department hate crimes',
  source: 'austin_apd',
  columns: AUSTIN_COLUMNS,
  transform: transformAustin,
  keyOf: (raw) => raw.incident_number.trim(),
}
