import { fbiBias, type BiasSpellings } from '../../transforms/bias-vocabulary.ts'
import type { LocationVariants } from '../../transforms/location-vocabulary.ts'
import { nibrsOffense, type OffenseSpellings } from '../../transforms/offense-vocabulary.ts'

/**
 * Austin's own spellings (2017-2025 files and the synthetic "extended" file) of FBI biases, NIBRS
 * offenses and NIBRS locations; the FBI's own names need no entry, the shared tables know them.
 * Keys are lower-case with single spaces.
 */

/** Bias spellings that are not the FBI's wording. */
export const AUSTIN_BIASES: BiasSpellings = new Map([
  ['anti-black', fbiBias('12')],
  ['anti-hispanic', fbiBias('32')],
  ['anti-hispanic/latino', fbiBias('32')],
  ['anti-american indian/alaskan native', fbiBias('13')],
  ['anti-multi races, group', fbiBias('15')],
  ['anti-multi-races group', fbiBias('15')],
  ['anti-islamic(muslim)', fbiBias('24')],
  ['anti-islamic', fbiBias('24')],
  ['anti-religion (other)', fbiBias('25')],
  ['anti-gay', fbiBias('41')],
  ['anti-lesbian', fbiBias('42')],
  ['anti-lesbian/gay/bisexual/transgender (mixed group)', fbiBias('43')],
  ['anti-lesbian/gay/transgender', fbiBias('43', true)],
  ['anti-lesbian/bisexual/transgender (mixed group)', fbiBias('43', true)],
  // The FBI splits disability into physical (51) and mental (52): the category is sure, the code is not.
  ['anti-disability', { code: null, name: 'Anti-Disability (unspecified)', category: 'Disability', nonStandard: true }],
])

// Texas Penal Code and APD wording, drifting by year; Harassment, Bomb threat and Injury to child
// are the nearest NIBRS offense, which the data notes mark as approximate.
const simpleAssault = nibrsOffense('Simple Assault')
const intimidation = nibrsOffense('Intimidation')
const vandalism = nibrsOffense('Destruction/Damage/Vandalism of Property')
const robbery = nibrsOffense('Robbery')
const burglary = nibrsOffense('Burglary/Breaking & Entering')
const otherOffense = nibrsOffense('All Other Offenses')

/** Offense spellings; a cell holds several separated by `/` ("Burglary/Assault"). */
export const AUSTIN_OFFENSES: OffenseSpellings = new Map([
  ['assault', simpleAssault],
  ['assault with injury', simpleAssault],
  ['assault by injury', simpleAssault],
  ['assault by contact', simpleAssault],
  ['injury to child', simpleAssault],
  ['assault by threat', intimidation],
  ['terroristic threat', intimidation],
  ['harassment', intimidation],
  ['bomb threat', intimidation],
  ['criminal mischief', vandalism],
  ['vandalism', vandalism],
  ['destruction', vandalism],
  ['graffiti', vandalism],
  ['aggravated robbery', robbery],
  ['robbery by assault', robbery],
  ['burglary', burglary],
  ['burglary of residence', burglary],
  ['burglary of non residence', burglary],
  ['theft', nibrsOffense('All Other Larceny')],
  ['murder', nibrsOffense('Murder and Nonnegligent Manslaughter')],
  ['disorderly conduct- abusive language', nibrsOffense('Disorderly Conduct')],
  ['disorderly conduct - abusive language', nibrsOffense('Disorderly Conduct')],
  ['false report', otherOffense],
  ['reckless driving', otherOffense],
])

/** Offense Location spellings (49 in 2017-2025) by the NIBRS name they stand for. */
export const AUSTIN_LOCATIONS: LocationVariants = {
  'Residence/Home': ['Home/Residence'],
  'Highway/Road/Alley/Street/Sidewalk': [
    'Hwy/Road/Alley/Street/Sidewalk',
    'Streets/Highway/Road/Alley',
    'Highway/Road/Street',
    'Highway/Road/Alley/Street',
  ],
  'Parking/Drop Lot/Garage': ['Parking Lot/Garage', 'Parking Lots/Garage', 'Parking Lot', 'Parking/Drop Lot'],
  'Church/Synagogue/Temple/Mosque': ['Church/Synagogue'],
  'Air/Bus/Train Terminal': ['Transportation (Air/Bus/Train Terminals)'],
  'Service/Gas Station': ['Gas/Service Stations'],
  "Drug Store/Doctor's Office/Hospital": ["Drug Store/Dr.'s office/Hospital", 'Dr. Office', 'Hospital'],
  'Hotel/Motel/Etc.': ['Hotel/Motel'],
  'Other/Unknown': ['Other'],
  // Only the synthetic "extended" file says Store/Shop; Specialty Store is the nearest NIBRS name.
  'Specialty Store': ['Store/Shop'],
}
