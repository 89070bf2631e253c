import { NO_FLAGS, perCell, tidyCell } from './raw-row.ts'

/**
 * Zip code, APD sector and council district (data notes 2.10, Q18-Q20). Zip codes stay strings
 * (no arithmetic on them, and a leading zero elsewhere would matter); sectors keep their name in
 * title case, including the values that are not patrol sectors, `Airport` and `University of Texas`.
 */
export interface Geography {
  zipCode: string | null
  /** Inside Austin's 786xx/787xx range. */
  zipValid: boolean
  sector: string | null
  /** 1..10, else null. */
  councilDistrict: number | null
  flags: readonly string[]
}

interface Part<T> {
  value: T
  flag?: string
}

const AUSTIN_ZIP = /^78[67]\d\d$/
// Spreadsheets write 78701 as 78701.0; a ZIP+4 (78701-1234) names the same five-digit zip.
const ZIP = /^(\d{5})(?:\.0+|-\d{4})?$/
// APD's nine patrol sectors and its airport sector; University of Texas is the campus police.
const APD_SECTORS = new Set(['adam', 'baker', 'charlie', 'david', 'edward', 'frank', 'george', 'henry', 'ida', 'airport'])
const LOWER_WORDS = new Set(['of', 'and', 'at', 'the'])
const DISTRICT = /^(\d{1,2})(?:\.0+)?$/

/**
 * A zip code as a five-character string; a value that is not one is kept as written and flagged.
 *
 * @example
 * parseZip('78701.0') // { value: { zipCode: '78701', zipValid: true } }
 */
export const parseZip = perCell((cell: string): Part<{ zipCode: string | null; zipValid: boolean }> => {
  const text = tidyCell(cell)
  if (!text) return { value: { zipCode: null, zipValid: false } }
  const zip = ZIP.exec(text)
  const zipCode = zip ? zip[1] : text
  if (!zip) return { value: { zipCode, zipValid: false }, flag: 'unparsed_zip_code' }
  const zipValid = AUSTIN_ZIP.test(zipCode)
  return zipValid ? { value: { zipCode, zipValid } } : { value: { zipCode, zipValid }, flag: 'zip_outside_austin' }
})

/**
 * An APD sector in title case as given; one that is not an APD sector is kept and flagged.
 *
 * @example
 * parseSector('UNIVERSITY OF TEXAS') // { value: 'University of Texas', flag: 'non_apd_sector' }
 */
export const parseSector = perCell((cell: string): Part<string | null> => {
  const text = tidyCell(cell)
  if (!text) return { value: null }
  const lower = text.toLowerCase()
  const words = lower.split(' ').map((word, i) => (i > 0 && LOWER_WORDS.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
  return APD_SECTORS.has(lower) ? { value: words.join(' ') } : { value: words.join(' '), flag: 'non_apd_sector' }
})

/**
 * A council district, an integer 1..10; anything else is null with a flag.
 *
 * @example
 * parseCouncilDistrict('14') // { value: null, flag: 'unparsed_council_district' }
 */
export const parseCouncilDistrict = perCell((cell: string): Part<number | null> => {
  const text = tidyCell(cell)
  if (!text) return { value: null }
  const digits = DISTRICT.exec(text)
  const district = digits ? Number(digits[1]) : 0
  return district >= 1 && district <= 10 ? { value: district } : { value: null, flag: 'unparsed_council_district' }
})

/**
 * Cleans the three geography cells; values out of their domain are kept as null or as written,
 * with a flag, and a row with none of the three is flagged `missing_geography`.
 *
 * @example
 * parseGeography('78701', 'GEORGE', '9') // { zipCode: '78701', zipValid: true, sector: 'George', councilDistrict: 9, flags: [] }
 */
export function parseGeography(zip: string, sector: string, district: string): Geography {
  const z = parseZip(zip)
  const s = parseSector(sector)
  const d = parseCouncilDistrict(district)
  let flags = NO_FLAGS
  if (z.flag || s.flag || d.flag) flags = [z.flag, s.flag, d.flag].filter((flag): flag is string => flag !== undefined)
  else if (z.value.zipCode === null && s.value === null && d.value === null) flags = ['missing_geography']
  return { zipCode: z.value.zipCode, zipValid: z.value.zipValid, sector: s.value, councilDistrict: d.value, flags }
}
