/**
 * Zip code, APD sector and council district. Zip codes stay strings (a leading zero elsewhere, and
 * no arithmetic on them); sectors keep their name in title case, including the non-patrol values
 * `Airport` and `University of Texas`.
 */
export interface Geography {
  zipCode: string | null
  zipValid: boolean
  sector: string | null
  councilDistrict: number | null
  flags: string[]
}

const AUSTIN_ZIP = /^78[67]\d\d$/
const APD_SECTORS = new Set(['adam', 'baker', 'charlie', 'david', 'edward', 'frank', 'george', 'henry', 'ida', 'airport'])

const titleCase = (text: string) =>
  text.toLowerCase().replace(/\b([a-z])([a-z]*)/g, (word, first: string, rest: string) => (word === 'of' ? word : first.toUpperCase() + rest))

/**
 * Cleans the three geography cells; values out of their domain are kept as null with a flag.
 *
 * @example
 * parseGeography('78701', 'GEORGE', '9') // { zipCode: '78701', zipValid: true, sector: 'George', councilDistrict: 9, flags: [] }
 */
export function parseGeography(zip: string, sector: string, district: string): Geography {
  const flags: string[] = []
  const zipText = zip.trim()
  // Spreadsheets turn 78701 into 78701.0; the part before the dot is the code.
  const zipCode = zipText ? zipText.replace(/\.0+$/, '') : null
  const zipValid = zipCode !== null && AUSTIN_ZIP.test(zipCode)
  if (zipCode !== null && !zipValid) flags.push('zip_outside_austin')
  const sectorText = sector.trim().replace(/\s+/g, ' ')
  if (sectorText && !APD_SECTORS.has(sectorText.toLowerCase())) flags.push('non_apd_sector')
  const districtText = district.trim().replace(/\.0+$/, '')
  let councilDistrict: number | null = null
  if (/^\d{1,2}$/.test(districtText) && Number(districtText) >= 1 && Number(districtText) <= 10) {
    councilDistrict = Number(districtText)
  } else if (districtText) {
    flags.push('unparsed_council_district')
  }
  if (!zipCode && !sectorText && !districtText) flags.push('missing_geography')
  return { zipCode, zipValid, sector: sectorText ? titleCase(sectorText) : null, councilDistrict, flags }
}
