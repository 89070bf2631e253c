import { NO_FLAGS, perCell } from './raw-row.ts'

/**
 * FBI bias motivations (NIBRS data element 8A, from the CDE reference file NIBRS_BIAS_LIST.csv) and
 * the Austin file's spellings of them. Arab and Hispanic are Race/Ethnicity/Ancestry and Transgender
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

const fbi = (code: string, nonStandard = false): Bias => ({
  code,
  name: FBI_BIASES[code][0],
  category: FBI_BIASES[code][1],
  nonStandard,
})

// Keys are lower-case with single spaces; values cover every spelling seen in the Austin file 2017-2025.
const SPELLINGS = new Map<string, Bias>([
  ['anti-black or african american', fbi('12')],
  ['anti-black', fbi('12')],
  ['anti-white', fbi('11')],
  ['anti-hispanic or latino', fbi('32')],
  ['anti-hispanic', fbi('32')],
  ['anti-hispanic/latino', fbi('32')],
  ['anti-asian', fbi('14')],
  ['anti-arab', fbi('31')],
  ['anti-american indian/alaskan native', fbi('13')],
  ['anti-american indian or alaska native', fbi('13')],
  ['anti-native hawaiian or other pacific islander', fbi('16')],
  ['anti-multi races, group', fbi('15')],
  ['anti-multi-races group', fbi('15')],
  ['anti-multiple races, group', fbi('15')],
  ['anti-other race/ethnicity/ancestry', fbi('33')],
  ['anti-jewish', fbi('21')],
  ['anti-catholic', fbi('22')],
  ['anti-protestant', fbi('23')],
  ['anti-islamic (muslim)', fbi('24')],
  ['anti-islamic(muslim)', fbi('24')],
  ['anti-islamic', fbi('24')],
  ['anti-other religion', fbi('25')],
  ['anti-religion (other)', fbi('25')],
  ['anti-buddhist', fbi('83')],
  ['anti-sikh', fbi('85')],
  ['anti-hindu', fbi('84')],
  ['anti-gay (male)', fbi('41')],
  ['anti-gay', fbi('41')],
  ['anti-lesbian (female)', fbi('42')],
  ['anti-lesbian', fbi('42')],
  ['anti-bisexual', fbi('45')],
  ['anti-heterosexual', fbi('44')],
  ['anti-lesbian/gay/bisexual/transgender (mixed group)', fbi('43')],
  ['anti-lesbian, gay, bisexual, or transgender (mixed group)', fbi('43')],
  ['anti-lesbian/gay/transgender', fbi('43', true)],
  ['anti-lesbian/bisexual/transgender (mixed group)', fbi('43', true)],
  ['anti-transgender', fbi('71')],
  ['anti-gender non-conforming', fbi('72')],
  ['anti-female', fbi('62')],
  ['anti-male', fbi('61')],
  ['anti-physical disability', fbi('51')],
  ['anti-mental disability', fbi('52')],
  // The FBI splits disability into physical (51) and mental (52): the category is sure, the code is not.
  ['anti-disability', { code: null, name: 'Anti-Disability (unspecified)', category: 'Disability', nonStandard: true }],
])

const SEPARATOR = /;|\/(?=\s*Anti-)/i
const WHITESPACE = /\s+/g

/**
 * Splits a Bias cell into its biases: on `;`, and on `/` only where a new `Anti-` follows, never on
 * the comma of "Anti-Multi Races, Group" nor the slash of "Anti-Hispanic/Latino".
 *
 * @example
 * splitBiases('Anti-White/Anti-Hispanic or Latino') // ['Anti-White', 'Anti-Hispanic or Latino']
 */
export function splitBiases(cell: string): string[] {
  return cell.split(SEPARATOR).map((part) => part.trim()).filter(Boolean)
}

/**
 * The FBI bias a spelling stands for, or undefined when no rule knows it.
 *
 * @example
 * lookupBias('Anti-Islamic(Muslim)') // { code: '24', name: 'Anti-Islamic (Muslim)', category: 'Religion', nonStandard: false }
 */
export function lookupBias(token: string): Bias | undefined {
  return SPELLINGS.get(token.toLowerCase().replace(WHITESPACE, ' '))
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
 * Splits, maps and classifies one Bias cell, once per distinct text. A bias no rule knows is named
 * `Unknown` with no code and flagged `unmapped_bias` (the text stays in `raw_bias`), never guessed.
 *
 * @example
 * mapBiasCell('Anti-Gay (Male); Anti-Jewish').category // 'Multiple'
 * mapBiasCell('Anti-White/Anti-Hispanic or Latino').category // 'Race/Ethnicity/Ancestry'
 */
export const mapBiasCell = perCell((cell: string): BiasCell => {
  const flags = new Set<string>()
  const biases = splitBiases(cell).map((token) => {
    const bias = lookupBias(token)
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
