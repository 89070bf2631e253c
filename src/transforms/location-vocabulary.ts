import { NO_FLAGS, perCell } from './raw-row.ts'

/**
 * Austin's Offense Location spellings (49 in 2017-2025) mapped to NIBRS location names. Variants
 * differ in spaces around `/`, synonyms and abbreviations, so keys are normalised first.
 */
const VARIANTS: Readonly<Record<string, readonly string[]>> = {
  'Residence/Home': ['Residence/Home', 'Home/Residence'],
  'Highway/Road/Alley/Street/Sidewalk': [
    'Hwy/Road/Alley/Street/Sidewalk',
    'Streets/Highway/Road/Alley',
    'Highway/Road/Alley/Street/Sidewalk',
    'Highway/Road/Street',
    'Highway/Road/Alley/Street',
  ],
  'Parking/Drop Lot/Garage': [
    'Parking/Drop Lot/Garage',
    'Parking Lot/Garage',
    'Parking Lots/Garage',
    'Parking Lot',
    'Parking/Drop Lot',
  ],
  'Church/Synagogue/Temple/Mosque': ['Church/Synagogue/Temple/Mosque', 'Church/Synagogue'],
  'Air/Bus/Train Terminal': ['Air/Bus/Train Terminal', 'Transportation (Air/Bus/Train Terminals)'],
  'Service/Gas Station': ['Service/Gas Station', 'Gas/Service Stations'],
  "Drug Store/Doctor's Office/Hospital": [
    "Drug Store/Doctor's Office/Hospital",
    "Drug Store/Dr.'s office/Hospital",
    'Dr. Office',
    'Hospital',
  ],
  'Hotel/Motel/Etc.': ['Hotel/Motel/Etc.', 'Hotel/Motel'],
  'Other/Unknown': ['Other/Unknown', 'Other'],
  // Only the synthetic "extended" file says Store/Shop; Specialty Store is the nearest NIBRS name.
  'Specialty Store': ['Specialty Store', 'Store/Shop'],
}

const SAME_NAME = [
  'Department/Discount Store',
  'Government/Public Building',
  'Commercial/Office Building',
  'Convenience Store',
  'Park/Playground',
  'Restaurant',
  'Bar/Nightclub',
  'Grocery/Supermarket',
  'Shopping Mall',
  'Bank/Savings and Loan',
  'Camp/Campground',
  'Community Center',
  'Construction Site',
  'Cyberspace',
  'Field/Woods',
  'Abandoned/Condemned Structure',
  'Arena/Stadium/Fairgrounds/Coliseum',
  'Shelter-Mission/Homeless',
  'School-Elementary/Secondary',
  'School-College/University',
  'School/College',
  'Industrial Site',
  'Jail/Prison/Penitentiary/Corrections Facility',
  'Lake/Waterway/Beach',
  'Liquor Store',
  'Rental Storage Facility',
  'Daycare Facility',
  'Dock/Wharf/Freight/Modal Terminal',
  'Farm Facility',
  'Gambling Facility/Casino/Race Track',
  'Military Installation',
  'Rest Area',
  'Tribal Lands',
  'ATM Separate from Bank',
  'Auto Dealership New/Used',
]

const WHITESPACE = /\s+/g
const SLASH = /\s*\/\s*/g

/** Lower-case, single spaces, no spaces around `/`. */
const normalise = (text: string) => text.trim().replace(WHITESPACE, ' ').replace(SLASH, '/').toLowerCase()

const LOCATIONS = new Map<string, string>()
for (const [name, spellings] of Object.entries(VARIANTS)) for (const spelling of spellings) LOCATIONS.set(normalise(spelling), name)
for (const name of SAME_NAME) LOCATIONS.set(normalise(name), name)

/**
 * The NIBRS location name for a spelling, or undefined when no rule knows it.
 *
 * @example
 * lookupLocation('Parking Lots/ Garage') // 'Parking/Drop Lot/Garage'
 */
export function lookupLocation(cell: string): string | undefined {
  return LOCATIONS.get(normalise(cell))
}

/** An Offense Location cell as the lake stores it: the NIBRS name or null, and flags. */
export interface LocationCell {
  location: string | null
  flags: readonly string[]
}

/**
 * Maps one Offense Location cell, once per distinct text: blank is `missing_location`, a spelling no
 * rule knows is null with `unmapped_location` (the text stays in `raw_location`).
 *
 * @example
 * mapLocationCell('Hotel/ Motel/ Etc.') // { location: 'Hotel/Motel/Etc.', flags: [] }
 */
export const mapLocationCell = perCell((cell: string): LocationCell => {
  if (!cell.trim()) return { location: null, flags: ['missing_location'] }
  const location = lookupLocation(cell) ?? null
  return { location, flags: location ? NO_FLAGS : ['unmapped_location'] }
})
