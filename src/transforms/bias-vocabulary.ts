import { NO_FLAGS, perCellKept, type Kept } from './raw-row.ts'

/**
 * FBI bias motivations (NIBRS data element 8A, from the CDE reference file NIBRS_BIAS_LIST.csv) and
 * the helpers every layout maps its own spellings with. Arab and Hispanic are Race/Ethnicity/Ancestry and Transgender
 * is Gender Identity, as the FBI files them.
 */
export const FBI_BIASES: Readonly<Record<string, readonly [name: string, category: string]>> = {
  '11': ['Anti-White', 'Race/Ethnicity/Ancestry'],
  '12': ['Anti-Black or African American', 'Race/Ethnicity/Ancestry'],
  '13': ['Anti-American Indian or Alaska Native', 'Race/Ethnicity/Ancestry'],
  '14': ['Anti-Asian', 'Race/Ethnicity/Ancestry'],
  '15': ['Anti-Multiple Races, Group', 'Race/Ethnicity/Ancestry'],
  '16': ['Anti-Native Hawaiian or Other Pacific Islander', 'Race/Ethnicity/Ancestry'],
  '31': ['Anti-Arab', 'Race/Ethnicity/Ancestry'],
  '32': ['Anti-Hispanic or Latino', 'Race/Ethnicity/Ancestry'],
  '33': ['Anti-Other Race/Ethnicity/Ancestry', 'Race/Ethnicity/Ancestry'],
  '21': ['Anti-Jewish', 'Religion'],
  '22': ['Anti-Catholic', 'Religion'],
  '23': ['Anti-Protestant', 'Religion'],
  '24': ['Anti-Islamic (Muslim)', 'Religion'],
  '25': ['Anti-Other Religion', 'Religion'],
  '26': ['Anti-Multiple Religions, Group', 'Religion'],
  '27': ['Anti-Atheism/Agnosticism', 'Religion'],
  '28': ['Anti-Mormon', 'Religion'],
  '29': ["Anti-Jehovah's Witness", 'Religion'],
  '81': ['Anti-Eastern Orthodox (Russian, Greek, Other)', 'Religion'],
  '82': ['Anti-Other Christian', 'Religion'],
  '83': ['Anti-Buddhist', 'Religion'],
  '84': ['Anti-Hindu', 'Religion'],
  '85': ['Anti-Sikh', 'Religion'],
  '41': ['Anti-Gay (Male)', 'Sexual Orientation'],
  '42': ['Anti-Lesbian (Female)', 'Sexual Orientation'],
  '43': ['Anti-Lesbian, Gay, Bisexual, or Transgender (Mixed Group)', 'Sexual Orientation'],
  '44': ['Anti-Heterosexual', 'Sexual Orientation'],
  '45': ['Anti-Bisexual', 'Sexual Orientation'],
  '51': ['Anti-Physical Disability', 'Disability'],
  '52': ['Anti-Mental Disability', 'Disability'],
  '61': ['Anti-Male', 'Gender'],
  '62': ['Anti-Female', 'Gender'],
  '71': ['Anti-Transgender', 'Gender Identity'],
  '72': ['Anti-Gender Non-Conforming', 'Gender Identity'],
  '88': ['None (no bias)', 'None/Unknown'],
  '99': ["Unknown (offender's motivation not known)", 'None/Unknown'],
}

/** The FBI's six bias categories. */
export const BIAS_CATEGORIES = [
  'Race/Ethnicity/Ancestry',
  'Religion',
  'Sexual Orientation',
  'Disability',
  'Gender',
  'Gender Identity',
] as const

/** A bias as the lake stores it; `code` is null where the source names only a category. */
export interface Bias {
  code: string | null
  name: string
  category: string
  /** The label is not the FBI's own wording, so the mapping is worth a look. */
  nonStandard: boolean
}

/**
 * The FBI bias a code stands for; `nonStandard` marks a source spelling that is not the FBI's wording.
 *
 * @example
 * fbiBias('24') // { code: '24', name: 'Anti-Islamic (Muslim)', category: 'Religion', nonStandard: false }
 */
export const fbiBias = (code: string, nonStandard = false): Bias => ({
  code,
  name: FBI_BIASES[code][0],
  category: FBI_BIASES[code][1],
  nonStandard,
})

/** A layout's own spellings of biases, keyed lower-case with single spaces. */
export type BiasSpellings = ReadonlyMap<string, Bias>

const WHITESPACE = /\s+/g
const spellingKey = (token: string) => token.toLowerCase().replace(WHITESPACE, ' ')
/** The FBI's own names, which every layout knows. */
const FBI_NAMES: BiasSpellings = new Map(Object.keys(FBI_BIASES).map((code) => [spellingKey(FBI_BIASES[code][0]), fbiBias(code)]))

/** Splits on `;`, and on `/` only where a new `Anti-` follows. */
export const BIAS_SEPARATOR = /;|\/(?=\s*Anti-)/i

/**
 * Splits a Bias cell into its biases: by default on `;`, and on `/` only where a new `Anti-`
 * follows, never on the comma of "Anti-Multi Races, Group" nor the slash of "Anti-Hispanic/Latino".
 *
 * @example
 * splitBiases('Anti-White/Anti-Hispanic or Latino') // ['Anti-White', 'Anti-Hispanic or Latino']
 */
export function splitBiases(cell: string, separator: RegExp = BIAS_SEPARATOR): string[] {
  return cell.split(separator).map((part) => part.trim()).filter(Boolean)
}

/**
 * The FBI bias a spelling stands for: a layout's own spelling first, then the FBI's name; undefined
 * when no rule knows it.
 *
 * @example
 * lookupBias('Anti-Islamic(Muslim)', AUSTIN_BIASES) // { code: '24', name: 'Anti-Islamic (Muslim)', ... }
 */
export function lookupBias(token: string, spellings: BiasSpellings): Bias | undefined {
  const key = spellingKey(token)
  return spellings.get(key) ?? FBI_NAMES.get(key)
}

/** A Bias cell as the lake stores it: parallel lists, the incident-level category, and flags. */
export interface BiasCell {
  names: string[]
  codes: (string | null)[]
  categories: string[]
  /** The one category of all known biases, `Multiple` when they span several, else `Unknown`. */
  category: string
  flags: readonly string[]
}

const UNKNOWN_BIAS: Bias = { code: null, name: 'Unknown', category: 'Unknown', nonStandard: false }
const NOT_A_CATEGORY = new Set(['Unknown', 'None/Unknown'])

/**
 * A mapper of Bias cells for one layout: splits, maps and classifies each distinct cell once. A bias
 * no rule knows is named `Unknown` with no code and flagged `unmapped_bias` (the text stays in
 * `raw_bias`), never guessed.
 *
 * @example
 * const mapBiasCell = biasCellMapper(AUSTIN_BIASES)
 * mapBiasCell('Anti-Gay (Male); Anti-Jewish').category // 'Multiple'
 * mapBiasCell('Anti-White/Anti-Hispanic or Latino').category // 'Race/Ethnicity/Ancestry'
 */
export function biasCellMapper(spellings: BiasSpellings, separator: RegExp = BIAS_SEPARATOR): (cell: string) => Kept<BiasCell> {
  return perCellKept((cell: string): BiasCell => {
    const flags = new Set<string>()
    const biases = splitBiases(cell, separator).map((token) => {
      const bias = lookupBias(token, spellings)
      if (!bias) flags.add('unmapped_bias')
      else if (bias.nonStandard) flags.add('nonstandard_bias')
      return bias ?? UNKNOWN_BIAS
    })
    if (!biases.length) flags.add('missing_bias')
    const known = new Set(biases.map((bias) => bias.category).filter((category) => !NOT_A_CATEGORY.has(category)))
    return {
      names: biases.map((bias) => bias.name),
      codes: biases.map((bias) => bias.code),
      categories: biases.map((bias) => bias.category),
      category: known.size === 0 ? 'Unknown' : known.size === 1 ? [...known][0] : 'Multiple',
      flags: flags.size ? [...flags] : NO_FLAGS,
    }
  })
}
