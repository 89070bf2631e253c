import { HatecrimesError } from '../core/errors.ts'
import { excerpt } from '../sources/csv-chunks.ts'
import { AUSTIN_APD } from './austin-apd/layout.ts'
import { FBI_CDE } from './fbi-cde/layout.ts'
import { matchHeader, type HeaderMatch, type Layout } from './layout.ts'
import { NYPD } from './nypd/layout.ts'
import { SF_POLICE } from './sf-police/layout.ts'

/**
 * Every layout the tool reads. Adding one is a folder under src/layouts/ and a line here; detection
 * tries them in this order and takes the first whose required columns are all in the header.
 */
export const LAYOUTS: readonly Layout[] = [AUSTIN_APD, FBI_CDE, NYPD, SF_POLICE]

/**
 * The layout an id names; throws with the known ids when none does.
 *
 * @example
 * layoutById('austin_apd').title // 'Austin Police Department hate crimes'
 */
export function layoutById(id: string): Layout {
  const layout = LAYOUTS.find((candidate) => candidate.id === id)
  if (!layout) throw new HatecrimesError('BAD_OPTION', `Expected a layout id for --layout, one of ${knownIds()} (got "${id}")`)
  return layout
}

const knownIds = () => LAYOUTS.map((layout) => layout.id).join(', ')

/**
 * Reads a header with the forced layout, or with the first layout it matches. A header that
 * matches none (or lacks a column the forced layout requires) stops with an error that lists the
 * known layouts and what the closest one was missing.
 *
 * @example
 * const match = detectLayout(['Incident Number', 'Date of Incident', ...], 'row 1 of austin.csv')
 * match.layout.id // 'austin_apd'
 */
export function detectLayout(header: readonly string[], where: string, forced?: Layout): HeaderMatch {
  const matches = (forced ? [forced] : LAYOUTS).map((layout) => matchHeader(layout, header))
  const found = matches.find((match) => match.missing.length === 0)
  if (found) return found
  const closest = matches.reduce((best, match) => (match.missing.length < best.missing.length ? match : best))
  const got = excerpt(header.map((text) => JSON.stringify(text)).join(', '))
  const missing = closest.missing.map((name) => `"${name}"`).join(', ')
  const lead = forced
    ? `Expected the ${forced.id} header (${forced.title}) in ${where}`
    : `Expected the header of a known layout (${knownIds()}) in ${where}`
  throw new HatecrimesError('BAD_INPUT', `${lead}; the closest, ${closest.layout.id}, is missing ${missing} (got ${got})`)
}
