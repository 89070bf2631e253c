/**
 * How Census names become the names incidents carry: `Austin city, Texas` is the place `Austin` in
 * the state `TX`. Incidents name a city as people do (the FBI's agency name, a city's own file), so
 * the Census kind of place (city, town, village, borough, ...) is dropped from the name, and the
 * state is kept apart as its two-letter abbreviation: names repeat across states (there is a
 * Springfield in 16 of them), and the pair of name and state tells them apart.
 */

/** The 50 states and the District of Columbia, by the names the Census tables use. */
const STATES: Readonly<Record<string, string>> = {
  Alabama: 'AL', Alaska: 'AK', Arizona: 'AZ', Arkansas: 'AR', California: 'CA', Colorado: 'CO',
  Connecticut: 'CT', Delaware: 'DE', 'District of Columbia': 'DC', Florida: 'FL', Georgia: 'GA',
  Hawaii: 'HI', Idaho: 'ID', Illinois: 'IL', Indiana: 'IN', Iowa: 'IA', Kansas: 'KS', Kentucky: 'KY',
  Louisiana: 'LA', Maine: 'ME', Maryland: 'MD', Massachusetts: 'MA', Michigan: 'MI', Minnesota: 'MN',
  Mississippi: 'MS', Missouri: 'MO', Montana: 'MT', Nebraska: 'NE', Nevada: 'NV', 'New Hampshire': 'NH',
  'New Jersey': 'NJ', 'New Mexico': 'NM', 'New York': 'NY', 'North Carolina': 'NC', 'North Dakota': 'ND',
  Ohio: 'OH', Oklahoma: 'OK', Oregon: 'OR', Pennsylvania: 'PA', 'Rhode Island': 'RI',
  'South Carolina': 'SC', 'South Dakota': 'SD', Tennessee: 'TN', Texas: 'TX', Utah: 'UT', Vermont: 'VT',
  Virginia: 'VA', Washington: 'WA', 'West Virginia': 'WV', Wisconsin: 'WI', Wyoming: 'WY',
}

/** How many states make the nation: a year's national population is their sum only when all are there. */
export const STATE_COUNT = Object.keys(STATES).length

/** The two-letter abbreviations of the 50 states and DC, as incidents and the population table write them. */
export const STATE_ABBREVIATIONS: ReadonlySet<string> = new Set(Object.values(STATES))

/**
 * The two-letter abbreviation of a state or DC by its Census name, or undefined. The Census marks
 * sub-parts with leading dots (`.Texas`) in some tables; they are ignored.
 *
 * @example
 * stateAbbreviation('Texas') // 'TX'
 * stateAbbreviation('Puerto Rico') // undefined
 */
export function stateAbbreviation(name: string): string | undefined {
  return STATES[name.trim().replace(/^\.+/, '')]
}

// The kinds of incorporated place the Census appends to a name, longest first so `city and borough`
// wins over `city`; consolidated cities add `(balance)` for the part outside their other places.
const BALANCE = / \(balance\)$/
const KIND =
  / (?:city and borough|metro township|urban county|(?:metropolitan|metro|consolidated|unified) government|city|town|village|borough|CDP|municipality|township|corporation)$/

/**
 * The place as incidents name it: the Census name without its kind of place and the `(balance)` of
 * a consolidated city. Capitalised words are part of the name (`Carson City`).
 *
 * @example
 * placeName('Austin city') // 'Austin'
 * placeName('Indianapolis city (balance)') // 'Indianapolis'
 * placeName('Carson City') // 'Carson City'
 */
export function placeName(censusPlace: string): string {
  return censusPlace.trim().replace(BALANCE, '').replace(KIND, '')
}

/**
 * A Census place cell such as `Austin city, Texas` split into place and state at its last comma
 * (names such as `Lynchburg, Moore County metropolitan government` hold one too), or undefined
 * when what follows the last comma is not a state.
 *
 * @example
 * splitPlaceCell('Austin city, Texas') // { place: 'Austin', state: 'TX', stateName: 'Texas' }
 */
export function splitPlaceCell(cell: string): { place: string; state: string; stateName: string } | undefined {
  const comma = cell.lastIndexOf(',')
  if (comma < 0) return undefined
  const stateName = cell.slice(comma + 1).trim()
  const state = stateAbbreviation(stateName)
  return state ? { place: placeName(cell.slice(0, comma)), state, stateName } : undefined
}
