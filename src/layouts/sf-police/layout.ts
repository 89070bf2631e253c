import { describeOrigin, invalid, ok, type IncidentRecord, type Outcome, type RawRow } from '../../core/record.ts'
import { biasCellMapper } from '../../transforms/bias-vocabulary.ts'
import { parseCount } from '../../transforms/counts.ts'
import { calendarDate } from '../../transforms/incident-date.ts'
import { locationCellMapper } from '../../transforms/location-vocabulary.ts'
import { offenseCellMapper } from '../../transforms/offense-vocabulary.ts'
import { detached, rawText, shown, tidyCell } from '../../transforms/raw-row.ts'
import { incidentRecord, qualityFlags, type TransformContext } from '../../transforms/transform.ts'
import type { Layout } from '../layout.ts'
import { SF_COLUMNS } from './columns.ts'
import { SF_BIASES, SF_ETHNICITIES, SF_LOCATIONS, SF_NON_FBI_BIASES, SF_OFFENSES, SF_RACES, SF_VICTIM_TYPES } from './vocabulary.ts'

// Each column holds the incident's one most serious value: no separator ever splits it.
const mapBias = biasCellMapper(SF_BIASES, /\n/)
const mapOffense = offenseCellMapper(SF_OFFENSES, '\n')
const mapLocation = locationCellMapper(SF_LOCATIONS)

/** The San Francisco Police Department as the FBI files it. */
const SF_AGENCY = { agency_ori: 'CA0380100', agency_name: 'San Francisco', agency_type: 'City', city: 'San Francisco', state: 'CA' }

const MONTH = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?: .*)?$/
const key = (cell: string) => tidyCell(cell).toLowerCase()

/** A count and its adult and juvenile parts; parts that do not add up to a known total are unknown. */
function agedCounts(totalCell: string, adultCell: string, juvenileCell: string, column: string, flags: string[], zeroIsUnknown: boolean) {
  let total = parseCount(tidyCell(totalCell), `${column}_total`, flags)
  // The FBI's convention, which San Francisco follows: 0 suspects means their number is unknown
  // (all 467 such rows have race Unknown).
  if (zeroIsUnknown && total === 0) {
    total = null
    flags.push(`${column}_zero_unknown`)
  }
  let adult = parseCount(tidyCell(adultCell), `${column}_adult`, flags)
  let juvenile = parseCount(tidyCell(juvenileCell), `${column}_juvenile`, flags)
  if (total === null || (adult !== null && juvenile !== null && adult + juvenile !== total)) {
    if (total !== null) flags.push(`${column}_ages_disagree`)
    adult = juvenile = null
  }
  return { total, adult, juvenile }
}

/** Suspects' race and ethnicity; an ethnicity written in the race column fills a blank ethnicity. */
function raceEthnicity(raceCell: string, ethnicityCell: string, flags: string[]) {
  const race = SF_RACES.get(key(raceCell))
  const ethnicity = SF_ETHNICITIES.get(key(ethnicityCell))
  if (!race || !ethnicity) flags.push('unmapped_race_ethnicity')
  const stated = ethnicity && ethnicity !== 'Unknown' ? ethnicity : undefined
  return { race: race?.race ?? 'Unknown', ethnicity: stated ?? race?.ethnicity ?? 'Unknown' }
}

/**
 * One San Francisco incident as the canonical record: the month of occurrence (the file gives no
 * day, so the date is the month's first and flagged `day_unknown`), its one most serious offense,
 * location and bias, suspects' race and ethnicity, and victim and suspect counts.
 */
function transformSf(raw: RawRow, context: TransformContext): Outcome<IncidentRecord> {
  const incidentId = tidyCell(raw.record_id)
  if (!incidentId) {
    return invalid('parse', 'missing_incident_number', `Expected a record id in "record_id" at ${describeOrigin(context.origin)} (got ${shown(raw.record_id)})`)
  }
  const parts = MONTH.exec(tidyCell(raw.occurence_month))
  if (!parts) {
    const code = tidyCell(raw.occurence_month) ? 'bad_date' : 'missing_date'
    return invalid('parse', code, `Expected a month like 2022/02/01 in "occurence_month" at ${describeOrigin(context.origin)} (got ${shown(raw.occurence_month)})`)
  }
  const place = { column: '"occurence_month"', example: 'like 2022/02/01', origin: context.origin, now: context.now }
  const date = calendarDate(Number(parts[1]), Number(parts[2]), Number(parts[3]), raw.occurence_month, place)
  if (!date.ok) return date

  const flags: string[] = ['day_unknown']
  const victims = agedCounts(raw.individual_victims, raw.victims_adult, raw.victims_juvenile, 'victims', flags, false)
  const offenders = agedCounts(raw.total_number_of_suspects, raw.suspects_adult, raw.suspects_juvenile, 'offenders', flags, true)
  const race = raceEthnicity(raw.suspects_race, raw.suspects_ethnicity, flags)
  const victimType = SF_VICTIM_TYPES.get(key(raw.most_serious_victim_type))
  if (!victimType && tidyCell(raw.most_serious_victim_type)) flags.push('unmapped_victim_type')
  if (SF_NON_FBI_BIASES.has(key(raw.most_serious_bias))) flags.push('non_fbi_bias')
  const biases = mapBias(raw.most_serious_bias)
  const offenses = mapOffense(raw.most_serious_ucr)
  const location = mapLocation(raw.most_serious_location)
  const ethnicityText = tidyCell(raw.suspects_ethnicity)

  return ok(
    incidentRecord(
      {
        ...SF_AGENCY,
        incident_id: detached(incidentId),
        date: date.value,
        victims_juvenile: victims.juvenile,
        victims_adult: victims.adult,
        victims_total: victims.total,
        offenders_juvenile: offenders.juvenile,
        offenders_adult: offenders.adult,
        offenders_total: offenders.total,
        offender_count_known: offenders.total !== null,
        has_juvenile_offender: offenders.juvenile === null ? null : offenders.juvenile > 0,
        offender_race: race.race,
        offender_ethnicity: race.ethnicity,
        offenseCell: offenses,
        locationCell: location,
        biasCell: biases,
        // The file names one bias, the most serious; `is_multiple_bias` says when there were more.
        multiple_bias: biases.names.length > 1 || key(raw.is_multiple_bias) === 'true',
        victim_types: victimType ? [victimType] : null,
        raw_offenses: offenses.raw,
        raw_location: location.raw,
        raw_bias: biases.raw,
        raw_race_ethnicity: rawText(ethnicityText ? `${tidyCell(raw.suspects_race)}/${ethnicityText}` : tidyCell(raw.suspects_race)),
        quality_flags: qualityFlags(flags, biases.flags, offenses.flags, location.flags),
      },
      context,
    ),
  )
}

/**
 * DataSF's San Francisco Police Department hate crimes (2001 on): one row per incident.
 *
 * @example
 * const outcome = SF_POLICE.transform(raw, { origin, source: 'sf_police', ingestedAt })
 */
export const SF_POLICE: Layout = {
  id: 'sf_police',
  title: 'San Francisco Police Department hate crimes (DataSF)',
  source: 'sf_police',
  columns: SF_COLUMNS,
  transform: transformSf,
  keyOf: (raw) => raw.record_id.trim(),
}
