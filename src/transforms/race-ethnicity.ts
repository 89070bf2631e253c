import { NO_FLAGS, perCellKept } from './raw-row.ts'

/**
 * Splits the composite "Race/Ethnicity of Offenders" cell into the FBI's race and ethnicity
 * vocabularies. The cell is RACE/ETHNICITY with many spellings (`Non-Hispanic`, `NotHispanic`,
 * `Black` vs `Black or African American`), several races (`&`, `and`, `Group of Multiple Races`),
 * mixed ethnicity, and bracketed counts such as `White/Hispanic (3)`.
 */
export interface RaceEthnicity {
  race: string
  ethnicity: string
}

// Whole cells that carry only one of the two parts (the synthetic file writes Hispanic as a race).
const WHOLE_CELLS = new Map<string, RaceEthnicity>([
  ['', { race: 'Unknown', ethnicity: 'Unknown' }],
  ['unknown', { race: 'Unknown', ethnicity: 'Unknown' }],
  ['group of multiple races', { race: 'Multiple', ethnicity: 'Unknown' }],
  ['hispanic', { race: 'Unknown', ethnicity: 'Hispanic or Latino' }],
  ['other', { race: 'Unknown', ethnicity: 'Unknown' }],
])

const RACE_PREFIXES: readonly [RegExp, string][] = [
  [/&| and /, 'Multiple'],
  [/^white/, 'White'],
  [/^black/, 'Black or African American'],
  [/^asian/, 'Asian'],
  [/^(american indian|alaska)/, 'American Indian or Alaska Native'],
  [/^(native hawaiian|pacific islander)/, 'Native Hawaiian or Other Pacific Islander'],
  [/^(multiple|multi)/, 'Multiple'],
  [/^unknown$/, 'Unknown'],
]

const NOT_HISPANIC = /non-?\s?hispanic|not\s?hispanic/
const HISPANIC = /(?<!non-?\s?)(?<!not\s?)hispanic/
const BRACKETED_COUNT = /\(\d+\)/g
const WHITESPACE = /\s+/g

function raceOf(part: string): string | undefined {
  for (const [pattern, race] of RACE_PREFIXES) if (pattern.test(part)) return race
  return undefined
}

function ethnicityOf(part: string): string {
  const text = part.replace(BRACKETED_COUNT, '')
  // A second RACE/ETHNICITY pair or an `&` means the offenders were of both ethnicities.
  if (/white\/|black\/|&/.test(text)) return 'Multiple'
  const notHispanic = NOT_HISPANIC.test(text)
  const hispanic = HISPANIC.test(text.replace(NOT_HISPANIC, ''))
  if (notHispanic && hispanic) return 'Multiple'
  if (notHispanic) return 'Not Hispanic or Latino'
  if (hispanic) return 'Hispanic or Latino'
  return 'Unknown'
}

/**
 * Parses the offenders' race and ethnicity, or returns undefined when no rule knows the race.
 *
 * @example
 * parseRaceEthnicity('White/NotHispanic') // { race: 'White', ethnicity: 'Not Hispanic or Latino' }
 * parseRaceEthnicity('White & Asian/Hispanic & Non-Hispanic') // { race: 'Multiple', ethnicity: 'Multiple' }
 */
export function parseRaceEthnicity(cell: string): RaceEthnicity | undefined {
  const text = cell.trim().replace(WHITESPACE, ' ').toLowerCase()
  const whole = WHOLE_CELLS.get(text)
  if (whole) return whole
  const slash = text.indexOf('/')
  const racePart = (slash < 0 ? text : text.slice(0, slash)).trim()
  const race = raceOf(racePart)
  if (!race) return undefined
  return { race, ethnicity: slash < 0 ? 'Unknown' : ethnicityOf(text.slice(slash + 1)) }
}

/** A Race/Ethnicity cell as the lake stores it: both FBI values and flags. */
export interface RaceEthnicityCell extends RaceEthnicity {
  flags: readonly string[]
}

const UNMAPPED: RaceEthnicityCell = { race: 'Unknown', ethnicity: 'Unknown', flags: ['unmapped_race_ethnicity'] }

/**
 * Maps one Race/Ethnicity of Offenders cell, once per distinct text; a race no rule knows is
 * `Unknown`/`Unknown` with `unmapped_race_ethnicity` (the text stays in `raw_race_ethnicity`).
 *
 * @example
 * mapRaceEthnicityCell('Purple/Non-Hispanic') // { race: 'Unknown', ethnicity: 'Unknown', flags: ['unmapped_race_ethnicity'] }
 */
export const mapRaceEthnicityCell = perCellKept((cell: string): RaceEthnicityCell => {
  const parsed = parseRaceEthnicity(cell)
  return parsed ? { ...parsed, flags: NO_FLAGS } : UNMAPPED
})
