import { STATE_ABBREVIATIONS } from '../../population/place-names.ts'
import { NO_FLAGS, perCell, tidyCell } from '../../transforms/raw-row.ts'

/**
 * The FBI's STATE_ABBR to the USPS code the population table and every other source use. The
 * national file writes two codes of its own: `NB`, the FBI's old code for Nebraska (USPS `NE`
 * since 1969), and `GM` for Guam (USPS `GU`); a Nebraska left as `NB` would never meet its
 * residents in the `rates` view. `FS` is the FBI's "Federal": federal agencies (the FBI's field
 * offices, the armed forces' police) belong to no state, so their state is NULL and the nation
 * still counts them.
 */

/** The inhabited territories' USPS codes: the FBI file holds agencies of some of them. */
const TERRITORIES = ['AS', 'GU', 'MP', 'PR', 'VI']
const USPS_CODES: ReadonlySet<string> = new Set([...STATE_ABBREVIATIONS, ...TERRITORIES])

/** Codes the FBI writes in place of the USPS one. */
const FBI_OWN_CODES: Readonly<Record<string, string>> = { NB: 'NE', GM: 'GU' }
const FEDERAL = 'FS'

/** A STATE_ABBR cell as the lake stores it, with its flags. */
export interface StateCell {
  state: string | null
  flags: readonly string[]
}

/**
 * A USPS code for an FBI STATE_ABBR cell: a USPS code as given, the FBI's own codes renamed and
 * flagged `nonstandard_state_code`, Federal as NULL flagged `federal_agency`, and any other text
 * kept as written and flagged `unmapped_state` (never dropped, never guessed). Blank is NULL.
 *
 * @example
 * mapFbiState('NB') // { state: 'NE', flags: ['nonstandard_state_code'] }
 * mapFbiState('TX') // { state: 'TX', flags: [] }
 * mapFbiState('FS') // { state: null, flags: ['federal_agency'] }
 */
export const mapFbiState = perCell((cell: string): StateCell => {
  const code = tidyCell(cell).toUpperCase()
  if (!code) return { state: null, flags: NO_FLAGS }
  if (USPS_CODES.has(code)) return { state: code, flags: NO_FLAGS }
  if (code in FBI_OWN_CODES) return { state: FBI_OWN_CODES[code], flags: ['nonstandard_state_code'] }
  if (code === FEDERAL) return { state: null, flags: ['federal_agency'] }
  return { state: tidyCell(cell), flags: ['unmapped_state'] }
})
