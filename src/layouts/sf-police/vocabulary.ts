import { fbiBias, type Bias, type BiasSpellings } from '../../transforms/bias-vocabulary.ts'
import type { LocationVariants } from '../../transforms/location-vocabulary.ts'
import { nibrsOffense, type OffenseSpellings } from '../../transforms/offense-vocabulary.ts'

/**
 * San Francisco's own spellings of FBI biases, NIBRS offenses and locations, and its suspect race
 * and ethnicity words. The FBI's own names need no entry; keys are lower-case with single spaces.
 */

/**
 * California law protects citizenship status; the FBI has no such bias. It keeps San Francisco's
 * name, has no code and no FBI category, and the row is flagged `non_fbi_bias`.
 */
const CITIZENSHIP: Bias = { code: null, name: 'Anti-Citizenship Status', category: 'Unknown', nonStandard: false }

/** The bias names San Francisco uses that name no FBI bias. */
export const SF_NON_FBI_BIASES: ReadonlySet<string> = new Set(['anti-citizenship status'])

export const SF_BIASES: BiasSpellings = new Map([
  ['anti-lesbian', fbiBias('42')],
  ['anti-lesbian/gay/bisexual or transgender (mixed group)', fbiBias('43')],
  ['anti-lesbian/gay/bisexual/transgender', fbiBias('43')],
  ['anti-multiple races (group)', fbiBias('15')],
  ['anti-multiple religions (group)', fbiBias('26')],
  ['anti-citizenship status', CITIZENSHIP],
])

/** `most_serious_ucr`: the UCR summary names of the offenses that are not NIBRS's wording. */
export const SF_OFFENSES: OffenseSpellings = new Map([
  ['destruction/damage/vandalism', nibrsOffense('Destruction/Damage/Vandalism of Property')],
  ['burglary', nibrsOffense('Burglary/Breaking & Entering')],
  ['larceny-theft', nibrsOffense('All Other Larceny')],
])

/** `most_serious_location` spellings by the NIBRS name they stand for (older UCR wording). */
export const SF_LOCATIONS: LocationVariants = {
  'Highway/Road/Alley/Street/Sidewalk': ['Highway/Road/Alley/Street'],
  'Residence/Home': ['Residence/Home/Driveway'],
  'Church/Synagogue/Temple/Mosque': ['Church/Synagogue/Temple'],
  'Bar/Nightclub': ['Bar/Night Club'],
  'Specialty Store': ['Specialty Store (TV/Fur/etc.)'],
  'Parking/Drop Lot/Garage': ['Parking Lot/Garage'],
  // The UCR hate-crime form's Field/Woods/Park predates NIBRS's separate Park/Playground.
  'Field/Woods': ['Field/Woods/Park'],
  "Drug Store/Doctor's Office/Hospital": ['Drug Store/Dr Office/Hospital'],
  'Jail/Prison/Penitentiary/Corrections Facility': ['Jail/Prison'],
}

/**
 * `suspects_race_as_a_group` in the FBI race vocabulary. The older UCR race Asian/Pacific Islander
 * and San Francisco's East Indian are Asian, as the FBI's national file files them; Hispanic,
 * written as a race in older rows, is an ethnicity (race Unknown).
 */
export const SF_RACES: ReadonlyMap<string, { race: string; ethnicity?: string }> = new Map([
  ['white', { race: 'White' }],
  ['black or african american', { race: 'Black or African American' }],
  ['asian', { race: 'Asian' }],
  ['asian/pacific islander', { race: 'Asian' }],
  ['east indian/asian indian', { race: 'Asian' }],
  ['east indian', { race: 'Asian' }],
  ['american indian or alaska native', { race: 'American Indian or Alaska Native' }],
  ['native hawaiian or other pacific islander', { race: 'Native Hawaiian or Other Pacific Islander' }],
  ['group of multiple races', { race: 'Multiple' }],
  ['group of multiple ethnicities', { race: 'Unknown', ethnicity: 'Multiple' }],
  ['hispanic', { race: 'Unknown', ethnicity: 'Hispanic or Latino' }],
  ['unknown', { race: 'Unknown' }],
  ['', { race: 'Unknown' }],
])

/** `suspects_ethnicity_as_a_group` in the FBI ethnicity vocabulary; blank (most rows before 2013) is Unknown. */
export const SF_ETHNICITIES: ReadonlyMap<string, string> = new Map([
  ['hispanic or latino', 'Hispanic or Latino'],
  ['not hispanic or latino', 'Not Hispanic or Latino'],
  ['group of multiple ethnicities', 'Multiple'],
  ['unknown', 'Unknown'],
  ['', 'Unknown'],
])

/** `most_serious_victim_type` in the FBI's victim types. */
export const SF_VICTIM_TYPES: ReadonlyMap<string, string> = new Map([
  ['person', 'Individual'],
  ['business', 'Business'],
  ['religious organization', 'Religious Organization'],
  ['government', 'Government'],
  ['other', 'Other'],
])
