import { NO_FLAGS, perCell } from './raw-row.ts'

/**
 * Austin's offense names (Texas Penal Code and APD wording, drifting by year) mapped to NIBRS
 * offenses and the FBI's "crimes against" groups: Persons, Property, Society.
 */
export interface Offense {
  code: string
  name: string
  against: 'Persons' | 'Property' | 'Society'
}

const NIBRS: Readonly<Record<string, Offense>> = {
  murder: { code: '09A', name: 'Murder and Nonnegligent Manslaughter', against: 'Persons' },
  aggravatedAssault: { code: '13A', name: 'Aggravated Assault', against: 'Persons' },
  simpleAssault: { code: '13B', name: 'Simple Assault', against: 'Persons' },
  intimidation: { code: '13C', name: 'Intimidation', against: 'Persons' },
  sodomy: { code: '11B', name: 'Sodomy', against: 'Persons' },
  robbery: { code: '120', name: 'Robbery', against: 'Property' },
  arson: { code: '200', name: 'Arson', against: 'Property' },
  burglary: { code: '220', name: 'Burglary/Breaking & Entering', against: 'Property' },
  theft: { code: '23H', name: 'All Other Larceny', against: 'Property' },
  vandalism: { code: '290', name: 'Destruction/Damage/Vandalism of Property', against: 'Property' },
  disorderly: { code: '90C', name: 'Disorderly Conduct', against: 'Society' },
  otherOffense: { code: '90Z', name: 'All Other Offenses', against: 'Society' },
}

// Lower-case spellings seen in the Austin file; Harassment, Bomb threat and Injury to child are the
// nearest NIBRS offense, which the data notes mark as approximate.
const SPELLINGS = new Map<string, Offense>([
  ['aggravated assault', NIBRS.aggravatedAssault],
  ['assault', NIBRS.simpleAssault],
  ['simple assault', NIBRS.simpleAssault],
  ['assault with injury', NIBRS.simpleAssault],
  ['assault by injury', NIBRS.simpleAssault],
  ['assault by contact', NIBRS.simpleAssault],
  ['injury to child', NIBRS.simpleAssault],
  ['assault by threat', NIBRS.intimidation],
  ['terroristic threat', NIBRS.intimidation],
  ['intimidation', NIBRS.intimidation],
  ['harassment', NIBRS.intimidation],
  ['bomb threat', NIBRS.intimidation],
  ['criminal mischief', NIBRS.vandalism],
  ['vandalism', NIBRS.vandalism],
  ['destruction', NIBRS.vandalism],
  ['graffiti', NIBRS.vandalism],
  ['robbery', NIBRS.robbery],
  ['aggravated robbery', NIBRS.robbery],
  ['robbery by assault', NIBRS.robbery],
  ['burglary', NIBRS.burglary],
  ['burglary of residence', NIBRS.burglary],
  ['burglary of non residence', NIBRS.burglary],
  ['theft', NIBRS.theft],
  ['murder', NIBRS.murder],
  ['arson', NIBRS.arson],
  ['sodomy', NIBRS.sodomy],
  ['disorderly conduct- abusive language', NIBRS.disorderly],
  ['disorderly conduct - abusive language', NIBRS.disorderly],
  ['false report', NIBRS.otherOffense],
  ['reckless driving', NIBRS.otherOffense],
])

const WHITESPACE = /\s+/g

/**
 * Splits an Offense(s) cell on `/` (as in "Burglary/Assault").
 *
 * @example
 * splitOffenses('Harassment/Criminal Mischief') // ['Harassment', 'Criminal Mischief']
 */
export function splitOffenses(cell: string): string[] {
  return cell.split('/').map((part) => part.trim()).filter(Boolean)
}

/**
 * The NIBRS offense a spelling stands for, or undefined when no rule knows it.
 *
 * @example
 * lookupOffense('Assault with Injury') // { code: '13B', name: 'Simple Assault', against: 'Persons' }
 */
export function lookupOffense(token: string): Offense | undefined {
  return SPELLINGS.get(token.toLowerCase().replace(WHITESPACE, ' '))
}

/**
 * The incident's offense group: the one group all its known offenses share, `Multiple` when they
 * span groups, `Unknown` when none is known.
 *
 * @example
 * offenseGroup(['Persons', 'Property']) // 'Multiple'
 */
export function offenseGroup(groups: readonly (string | null)[]): string {
  const known = new Set(groups.filter((group): group is string => group !== null))
  if (known.size === 0) return 'Unknown'
  return known.size === 1 ? [...known][0] : 'Multiple'
}

/** An Offense(s) cell as the lake stores it: parallel lists, the offense group, and flags. */
export interface OffenseCell {
  names: string[]
  codes: (string | null)[]
  against: (string | null)[]
  group: string
  flags: readonly string[]
}

/**
 * Splits, maps and groups one Offense(s) cell, once per distinct text. An offense no rule knows is
 * named `Unknown` with no code or group and flagged `unmapped_offense` (the text stays in
 * `raw_offenses`), never guessed.
 *
 * @example
 * mapOffenseCell('Burglary/Assault') // names ['Burglary/Breaking & Entering', 'Simple Assault'], group 'Multiple'
 */
export const mapOffenseCell = perCell((cell: string): OffenseCell => {
  const tokens = splitOffenses(cell)
  const offenses = tokens.map(lookupOffense)
  const against = offenses.map((offense) => offense?.against ?? null)
  const flags: string[] = []
  if (offenses.includes(undefined)) flags.push('unmapped_offense')
  if (!tokens.length) flags.push('missing_offense')
  return {
    names: offenses.map((offense) => offense?.name ?? 'Unknown'),
    codes: offenses.map((offense) => offense?.code ?? null),
    against,
    group: offenseGroup(against),
    flags: flags.length ? flags : NO_FLAGS,
  }
})
