import { NO_FLAGS, perCellKept, type Kept } from './raw-row.ts'

/**
 * NIBRS location names (data element 9, CDE reference NIBRS_LOCATION_TYPE.csv: the 46 names of the
 * FBI's national hate-crime file) and the helpers every layout maps its own location spellings
 * with. Spellings differ in spaces around `/`, so keys are normalised first.
 */
export const NIBRS_LOCATIONS: readonly string[] = [
  'Air/Bus/Train Terminal',
  'Bank/Savings and Loan',
  'Bar/Nightclub',
  'Church/Synagogue/Temple/Mosque',
  'Commercial/Office Building',
  'Construction Site',
  'Convenience Store',
  'Department/Discount Store',
  "Drug Store/Doctor's Office/Hospital",
  'Field/Woods',
  'Government/Public Building',
  'Grocery/Supermarket',
  'Highway/Road/Alley/Street/Sidewalk',
  'Hotel/Motel/Etc.',
  'Jail/Prison/Penitentiary/Corrections Facility',
  'Lake/Waterway/Beach',
  'Liquor Store',
  'Parking/Drop Lot/Garage',
  'Rental Storage Facility',
  'Residence/Home',
  'Restaurant',
  'School/College',
  'Service/Gas Station',
  'Specialty Store',
  'Other/Unknown',
  'Abandoned/Condemned Structure',
  'Amusement Park',
  'Arena/Stadium/Fairgrounds/Coliseum',
  'ATM Separate from Bank',
  'Auto Dealership New/Used',
  'Camp/Campground',
  'Daycare Facility',
  'Dock/Wharf/Freight/Modal Terminal',
  'Farm Facility',
  'Gambling Facility/Casino/Race Track',
  'Industrial Site',
  'Military Installation',
  'Park/Playground',
  'Rest Area',
  'School-College/University',
  'School-Elementary/Secondary',
  'Shelter-Mission/Homeless',
  'Shopping Mall',
  'Tribal Lands',
  'Community Center',
  'Cyberspace',
]

const WHITESPACE = /\s+/g
const SLASH = /\s*\/\s*/g

/** Lower-case, single spaces, no spaces around `/`. */
const normalise = (text: string) => text.trim().replace(WHITESPACE, ' ').replace(SLASH, '/').toLowerCase()

/** A layout's own spellings: NIBRS name to the spellings that stand for it. */
export type LocationVariants = Readonly<Record<string, readonly string[]>>

/** Spelling key to NIBRS name: the FBI's names, then the layout's variants. */
function locationTable(variants: LocationVariants): ReadonlyMap<string, string> {
  const table = new Map(NIBRS_LOCATIONS.map((name) => [normalise(name), name]))
  for (const [name, spellings] of Object.entries(variants)) {
    if (!NIBRS_LOCATIONS.includes(name)) throw new Error(`Expected a NIBRS location name in the location variants (got "${name}")`)
    for (const spelling of spellings) table.set(normalise(spelling), name)
  }
  return table
}

/** A location cell as the lake stores it: the NIBRS name, `Multiple`, or null, and flags. */
export interface LocationCell {
  location: string | null
  flags: readonly string[]
}

/**
 * A mapper of location cells for one layout, once per distinct text: blank is `missing_location`,
 * a spelling no rule knows is null with `unmapped_location` (the text stays in `raw_location`).
 * With a `separator` (the FBI's `;`), a cell of several locations is `Multiple`, flagged
 * `multiple_location`.
 *
 * @example
 * const mapLocationCell = locationCellMapper(AUSTIN_LOCATIONS)
 * mapLocationCell('Hotel/ Motel/ Etc.') // { location: 'Hotel/Motel/Etc.', flags: [] }
 */
export function locationCellMapper(variants: LocationVariants, separator?: string): (cell: string) => Kept<LocationCell> {
  const table = locationTable(variants)
  return perCellKept((cell: string): LocationCell => {
    const parts = (separator ? cell.split(separator) : [cell]).filter((part) => part.trim())
    if (!parts.length) return { location: null, flags: ['missing_location'] }
    const names = new Set(parts.map((part) => table.get(normalise(part)) ?? null))
    if (names.has(null)) return { location: null, flags: ['unmapped_location'] }
    if (names.size > 1) return { location: 'Multiple', flags: ['multiple_location'] }
    return { location: [...names][0], flags: NO_FLAGS }
  })
}
