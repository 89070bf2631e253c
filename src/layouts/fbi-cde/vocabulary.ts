import { detached, NO_FLAGS, perCell, rawText } from '../../transforms/raw-row.ts'

/**
 * The FBI's own vocabularies that only its files use: victim types and the offender race and
 * ethnicity names (the bias, offense and location names are the shared FBI tables in
 * src/transforms/). A value outside them is kept as given and flagged, never dropped.
 */
export const FBI_VICTIM_TYPES: readonly string[] = [
  'Individual',
  'Business',
  'Financial Institution',
  'Government',
  'Law Enforcement Officer',
  'Religious Organization',
  'Society/Public',
  'Other',
  'Unknown',
]

export const FBI_RACES: ReadonlySet<string> = new Set([
  'White',
  'Black or African American',
  'American Indian or Alaska Native',
  'Asian',
  'Native Hawaiian or Other Pacific Islander',
  'Multiple',
  'Unknown',
])

export const FBI_ETHNICITIES: ReadonlySet<string> = new Set(['Hispanic or Latino', 'Not Hispanic or Latino', 'Multiple', 'Unknown'])

const VICTIM_TYPES = new Set(FBI_VICTIM_TYPES)

/** A VICTIM_TYPES cell as the lake stores it: the list, null when blank, and flags. */
export interface VictimTypesCell {
  types: string[] | null
  flags: readonly string[]
}

/**
 * Splits a `;`-joined VICTIM_TYPES cell, once per distinct text; blank is null (not said).
 *
 * @example
 * mapVictimTypes('Individual;Business') // { types: ['Individual', 'Business'], flags: [] }
 */
export const mapVictimTypes = perCell((cell: string): VictimTypesCell => {
  const types = cell.split(';').map((part) => part.trim()).filter(Boolean)
  if (!types.length) return { types: null, flags: NO_FLAGS }
  return { types, flags: types.every((type) => VICTIM_TYPES.has(type)) ? NO_FLAGS : ['unmapped_victim_type'] }
})

/** Offender race and ethnicity as the lake stores them, the raw text, and flags. */
export interface FbiRaceCell {
  race: string
  ethnicity: string
  raw: string
  flags: readonly string[]
}

const raceCells = new Map<string, FbiRaceCell>()

/**
 * OFFENDER_RACE and OFFENDER_ETHNICITY (blank before 2013) to the lake's columns: blank is
 * `Unknown`; a name outside the FBI's is `Unknown` and flagged `unmapped_race_ethnicity`, its text
 * kept in `raw_race_ethnicity` (`RACE/ETHNICITY`, as Austin writes it).
 *
 * @example
 * mapFbiRace('White', '') // { race: 'White', ethnicity: 'Unknown', raw: 'White', flags: [] }
 */
export function mapFbiRace(race: string, ethnicity: string): FbiRaceCell {
  const key = `${race}\u0000${ethnicity}`
  let cell = raceCells.get(key)
  if (!cell) {
    const raceName = race.trim() || 'Unknown'
    const ethnicityName = ethnicity.trim() || 'Unknown'
    const known = FBI_RACES.has(raceName) && FBI_ETHNICITIES.has(ethnicityName)
    cell = {
      race: FBI_RACES.has(raceName) ? raceName : 'Unknown',
      ethnicity: FBI_ETHNICITIES.has(ethnicityName) ? ethnicityName : 'Unknown',
      raw: rawText(ethnicity.trim() ? `${race}/${ethnicity}` : race),
      flags: known ? NO_FLAGS : ['unmapped_race_ethnicity'],
    }
    if (raceCells.size >= 10_000) raceCells.clear()
    raceCells.set(detached(key), cell)
  }
  return cell
}
