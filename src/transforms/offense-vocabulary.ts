import { NO_FLAGS, perCellKept, type Kept } from './raw-row.ts'

/**
 * NIBRS offenses (CDE reference NIBRS_OFFENSE_TYPE.csv: code, name, crimes against) and the helpers
 * every layout maps its own offense spellings with. The table holds the 48 offense names of the
 * FBI's national hate-crime file and the Group B offenses Austin's and NYPD's wording map to.
 */
export interface Offense {
  /** Null for the FBI's `Not Specified`, which names no offense. */
  code: string | null
  name: string
  against: 'Persons' | 'Property' | 'Society' | null
}

const offense = (code: string | null, name: string, against: Offense['against']): Offense => ({ code, name, against })

/** Every NIBRS offense the tool knows, by code. */
export const NIBRS_OFFENSES: readonly Offense[] = [
  offense('09A', 'Murder and Nonnegligent Manslaughter', 'Persons'),
  offense('09B', 'Negligent Manslaughter', 'Persons'),
  offense('100', 'Kidnapping/Abduction', 'Persons'),
  offense('11A', 'Rape', 'Persons'),
  offense('11B', 'Sodomy', 'Persons'),
  offense('11C', 'Sexual Assault With An Object', 'Persons'),
  offense('11D', 'Fondling', 'Persons'),
  offense('13A', 'Aggravated Assault', 'Persons'),
  offense('13B', 'Simple Assault', 'Persons'),
  offense('13C', 'Intimidation', 'Persons'),
  offense('36A', 'Incest', 'Persons'),
  offense('36B', 'Statutory Rape', 'Persons'),
  offense('64A', 'Human Trafficking, Commercial Sex Acts', 'Persons'),
  offense('64B', 'Human Trafficking, Involuntary Servitude', 'Persons'),
  offense('120', 'Robbery', 'Property'),
  offense('200', 'Arson', 'Property'),
  offense('210', 'Extortion/Blackmail', 'Property'),
  offense('220', 'Burglary/Breaking & Entering', 'Property'),
  offense('23A', 'Pocket-picking', 'Property'),
  offense('23B', 'Purse-snatching', 'Property'),
  offense('23C', 'Shoplifting', 'Property'),
  offense('23D', 'Theft From Building', 'Property'),
  offense('23E', 'Theft From Coin-Operated Machine or Device', 'Property'),
  offense('23F', 'Theft From Motor Vehicle', 'Property'),
  offense('23G', 'Theft of Motor Vehicle Parts or Accessories', 'Property'),
  offense('23H', 'All Other Larceny', 'Property'),
  offense('240', 'Motor Vehicle Theft', 'Property'),
  offense('250', 'Counterfeiting/Forgery', 'Property'),
  offense('26A', 'False Pretenses/Swindle/Confidence Game', 'Property'),
  offense('26B', 'Credit Card/Automated Teller Machine Fraud', 'Property'),
  offense('26C', 'Impersonation', 'Property'),
  offense('26D', 'Welfare Fraud', 'Property'),
  offense('26E', 'Wire Fraud', 'Property'),
  offense('26F', 'Identity Theft', 'Property'),
  offense('26G', 'Hacking/Computer Invasion', 'Property'),
  offense('270', 'Embezzlement', 'Property'),
  offense('280', 'Stolen Property Offenses', 'Property'),
  offense('290', 'Destruction/Damage/Vandalism of Property', 'Property'),
  offense('510', 'Bribery', 'Property'),
  offense('35A', 'Drug/Narcotic Violations', 'Society'),
  offense('35B', 'Drug Equipment Violations', 'Society'),
  offense('370', 'Pornography/Obscene Material', 'Society'),
  offense('39A', 'Betting/Wagering', 'Society'),
  offense('40A', 'Prostitution', 'Society'),
  offense('40B', 'Assisting or Promoting Prostitution', 'Society'),
  offense('40C', 'Purchasing Prostitution', 'Society'),
  offense('520', 'Weapon Law Violations', 'Society'),
  offense('720', 'Animal Cruelty', 'Society'),
  offense('90C', 'Disorderly Conduct', 'Society'),
  offense('90F', 'Family Offenses, Nonviolent', 'Society'),
  offense('90J', 'Trespass of Real Property', 'Society'),
  offense('90Z', 'All Other Offenses', 'Society'),
  offense(null, 'Not Specified', null),
]

const byName = new Map(NIBRS_OFFENSES.map((entry) => [entry.name, entry]))

/**
 * The NIBRS offense of an FBI name, for layouts' spelling tables; throws on a name not in the table
 * (a typo in a table is a bug, found when the module loads).
 *
 * @example
 * nibrsOffense('Simple Assault') // { code: '13B', name: 'Simple Assault', against: 'Persons' }
 */
export function nibrsOffense(name: string): Offense {
  const found = byName.get(name)
  if (!found) throw new Error(`Expected a NIBRS offense name in the offense table (got "${name}")`)
  return found
}

/** A layout's own offense spellings, keyed lower-case with single spaces. */
export type OffenseSpellings = ReadonlyMap<string, Offense>

const WHITESPACE = /\s+/g
const spellingKey = (token: string) => token.toLowerCase().replace(WHITESPACE, ' ')
const FBI_NAMES: OffenseSpellings = new Map(NIBRS_OFFENSES.map((entry) => [spellingKey(entry.name), entry]))

/**
 * The NIBRS offense a spelling stands for: the layout's own spelling first, then the FBI's name.
 *
 * @example
 * lookupOffense('Assault with Injury', AUSTIN_OFFENSES) // { code: '13B', name: 'Simple Assault', against: 'Persons' }
 */
export function lookupOffense(token: string, spellings: OffenseSpellings): Offense | undefined {
  const key = spellingKey(token)
  return spellings.get(key) ?? FBI_NAMES.get(key)
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

/** An offense cell as the lake stores it: parallel lists, the offense group, and flags. */
export interface OffenseCell {
  names: string[]
  codes: (string | null)[]
  against: (string | null)[]
  group: string
  flags: readonly string[]
}

/**
 * A mapper of offense cells for one layout: splits on `separator` (Austin's `/`, the FBI's `;`),
 * maps and groups each distinct cell once. An offense no rule knows is named `Unknown` with no code
 * or group and flagged `unmapped_offense` (the text stays in `raw_offenses`), never guessed.
 *
 * @example
 * const mapOffenseCell = offenseCellMapper(AUSTIN_OFFENSES, '/')
 * mapOffenseCell('Burglary/Assault') // names ['Burglary/Breaking & Entering', 'Simple Assault'], group 'Multiple'
 */
export function offenseCellMapper(spellings: OffenseSpellings, separator: string): (cell: string) => Kept<OffenseCell> {
  return perCellKept((cell: string): OffenseCell => {
    const tokens = cell.split(separator).map((part) => part.trim()).filter(Boolean)
    const offenses = tokens.map((token) => lookupOffense(token, spellings))
    const against = offenses.map((entry) => entry?.against ?? null)
    const flags: string[] = []
    if (offenses.includes(undefined)) flags.push('unmapped_offense')
    if (!tokens.length) flags.push('missing_offense')
    return {
      names: offenses.map((entry) => entry?.name ?? 'Unknown'),
      codes: offenses.map((entry) => entry?.code ?? null),
      against,
      group: offenseGroup(against),
      flags: flags.length ? flags : NO_FLAGS,
    }
  })
}
