import { describeOrigin, invalid, ok, type IncidentRecord, type Outcome, type RawRow } from '../../core/record.ts'
import { biasCellMapper } from '../../transforms/bias-vocabulary.ts'
import { parseCount } from '../../transforms/counts.ts'
import { locationCellMapper } from '../../transforms/location-vocabulary.ts'
import { offenseCellMapper } from '../../transforms/offense-vocabulary.ts'
import { detached, perCell, shown, tidyCell } from '../../transforms/raw-row.ts'
import { incidentRecord, qualityFlags, type TransformContext } from '../../transforms/transform.ts'
import type { Layout } from '../layout.ts'
import { FBI_COLUMNS } from './columns.ts'
import { parseFbiDate } from './fbi-date.ts'
import { mapFbiState } from './state-codes.ts'
import { mapFbiRace, mapVictimTypes } from './vocabulary.ts'

/** Multi-valued cells are `;`-joined; every value is an FBI name, which the shared tables know. */
export const mapFbiBias = biasCellMapper(new Map(), /;/)
export const mapFbiOffenses = offenseCellMapper(new Map(), ';')
export const mapFbiLocation = locationCellMapper({}, ';')

/** Text cells repeated on many rows (agency, state, population group): one kept copy each; blank is null. */
const kept = perCell((cell: string) => tidyCell(cell) || null)

/**
 * One row of the FBI national file into the canonical record. A row is invalid only when it has no
 * INCIDENT_ID or no usable INCIDENT_DATE. Counts left blank are unknown (NULL); a TOTAL_OFFENDER_COUNT
 * of 0 is the FBI's "offenders unknown", so the offender counts are NULL then.
 */
function transformFbi(raw: RawRow, context: TransformContext): Outcome<IncidentRecord> {
  const incidentId = tidyCell(raw.incident_id)
  if (!incidentId) {
    const message = `Expected an incident id in "INCIDENT_ID" at ${describeOrigin(context.origin)} (got ${shown(raw.incident_id)})`
    return invalid('parse', 'missing_incident_number', message)
  }
  const date = parseFbiDate(raw.incident_date, raw.data_year, context.origin, context.now)
  if (!date.ok) return date
  const { year } = date.value
  const dataYear = Number(raw.data_year)

  const countFlags: string[] = []
  const victimsJuvenile = parseCount(raw.juvenile_victim_count, 'victims_juvenile', countFlags)
  const victimsAdult = parseCount(raw.adult_victim_count, 'victims_adult', countFlags)
  const victimsTotal = parseCount(raw.total_individual_victims, 'victims_total', countFlags)
  const offendersTotal = parseCount(raw.total_offender_count, 'offenders_total', countFlags)
  const offenderCountKnown = offendersTotal !== null && offendersTotal > 0
  const offendersJuvenile = offenderCountKnown ? parseCount(raw.juvenile_offender_count, 'offenders_juvenile', countFlags) : null
  const offendersAdult = offenderCountKnown ? parseCount(raw.adult_offender_count, 'offenders_adult', countFlags) : null
  const race = mapFbiRace(raw.offender_race, raw.offender_ethnicity)
  const biases = mapFbiBias(raw.bias_desc)
  const offenses = mapFbiOffenses(raw.offense_name)
  const location = mapFbiLocation(raw.location_name)
  const victims = mapVictimTypes(raw.victim_types)
  const state = mapFbiState(raw.state_abbr)
  const agencyType = kept(raw.agency_type_name)
  const agencyName = kept(raw.pub_agency_name)

  return ok(
    incidentRecord(
      {
        agency_ori: kept(raw.ori),
        agency_name: agencyName,
        agency_type: agencyType,
        // The FBI names a city agency after its city; other agencies (county, university) have none.
        city: agencyType === 'City' ? agencyName : null,
        state: state.state,
        population_group: kept(raw.population_group_desc),
        incident_id: detached(incidentId),
        date: date.value,
        dataset_year: dataYear,
        dataset_year_mismatch: dataYear !== year,
        victims_juvenile: victimsJuvenile,
        victims_adult: victimsAdult,
        victims_total: victimsTotal,
        offenders_juvenile: offendersJuvenile,
        offenders_adult: offendersAdult,
        offenders_total: offenderCountKnown ? offendersTotal : null,
        offender_count_known: offenderCountKnown,
        has_juvenile_offender: offendersJuvenile === null ? null : offendersJuvenile > 0,
        offender_race: race.race,
        offender_ethnicity: race.ethnicity,
        offenseCell: offenses,
        locationCell: location,
        biasCell: biases,
        victim_types: victims.types,
        raw_offenses: offenses.raw,
        raw_location: location.raw,
        raw_bias: biases.raw,
        raw_race_ethnicity: race.raw,
        quality_flags: qualityFlags(dataYear !== year ? ['dataset_year_mismatch'] : [], countFlags, race.flags, biases.flags, offenses.flags, location.flags, victims.flags, state.flags),
      },
      context,
    ),
  )
}

/**
 * The FBI Crime Data Explorer national hate-crime file (1991-2020 upper-case header, and the newer
 * lower-case exports): every participating agency, one row per incident.
 *
 * @example
 * const outcome = FBI_CDE.transform(raw, { origin, source: 'fbi_cde', ingestedAt })
 */
export const FBI_CDE: Layout = {
  id: 'fbi_cde',
  title: 'FBI Crime Data Explorer national hate-crime file',
  source: 'fbi_cde',
  columns: FBI_COLUMNS,
  transform: transformFbi,
  keyOf: (raw) => raw.incident_id.trim(),
}
