// Plain words for the terms the page shows: the FBI's bias categories, NIBRS crime groups, each
// quality flag and each reason a row could not be read. The data-quality panel and the glossary
// both read them from here, so a flag is explained the same way in both places.

export const BIAS_CATEGORIES = {
  'Race/Ethnicity/Ancestry': 'Bias against a race, an ethnicity or an ancestry (for example anti-Black, anti-Hispanic, anti-Arab).',
  Religion: 'Bias against a religion or against people without one (for example anti-Jewish, anti-Islamic).',
  'Sexual Orientation': 'Bias against gay, lesbian, bisexual or heterosexual people.',
  Disability: 'Bias against people with a physical or mental disability.',
  Gender: 'Bias against women or men.',
  'Gender Identity': 'Bias against transgender or gender non-conforming people.',
  Multiple: 'One incident with biases in two or more of these categories.',
  Unknown: 'The source gave no bias this project could match to an FBI category (its text stays in raw_bias).',
}

export const CRIMES_AGAINST = {
  Persons: 'NIBRS crimes against persons: the victim is a person (assault, intimidation, murder, kidnapping, sex offenses).',
  Property: 'Crimes against property: to take or damage property (vandalism, theft, burglary, robbery, arson).',
  Society: 'Crimes against society: society\'s prohibitions, with no single victim (drug offenses, weapon law violations).',
  Multiple: 'An incident with offenses in more than one of these groups.',
}

const COLUMNS = { victims_juvenile: 'victims under 18', victims_adult: 'victims 18 or over', offenders_juvenile: 'offenders under 18',
  offenders_adult: 'offenders 18 or over', zip_code: 'zip code', council_district: 'council district',
  victims_total: 'victims in all', offenders_total: 'offenders in all' }
const ZERO_UNKNOWN = 'The source gives 0, which it uses for "not known" (the FBI\'s reading): the counts are left unknown, not read as none.'
const AGES_DISAGREE = 'The adult and under-18 counts do not add up to the total given: the two parts are left unknown.'

export const FLAGS = {
  month_mismatch: 'The month column disagrees with the incident date (the date is used).',
  dow_mismatch: 'The day-of-week column disagrees with the incident date (the date is used).',
  dataset_year_mismatch: 'The year of the incident number disagrees with the incident date.',
  missing_offense: 'No offense was given.',
  unmapped_offense: 'An offense the project does not recognise (kept as written, charted as Unknown).',
  unmapped_bias: 'A bias the project does not recognise (kept as written, charted as Unknown).',
  nonstandard_bias: 'A bias that is not one of the FBI\'s own (for example "Anti-Disability" without the kind), charted under its category with no FBI code.',
  missing_bias: 'No bias was given (charted as Unknown).',
  missing_location: 'No location type was given (charted as Unknown).',
  zip_outside_austin: 'A zip code that is not an Austin zip code (kept as given).',
  non_apd_sector: 'A sector that is not an APD patrol sector, such as Airport or University of Texas (kept as given).',
  unmapped_location: 'A location type the project does not recognise (kept as written, charted as Unknown).',
  unmapped_race_ethnicity: 'An offender race or ethnicity the project does not recognise (charted as Unknown).',
  multiple_location: 'The source lists several location types for one incident (charted as Multiple).',
  non_fbi_bias: 'A bias the FBI has no code for, such as San Francisco\'s Anti-Citizenship Status or an age bias (kept as written).',
  complaint_id_mangled: 'The source\'s complaint number was damaged by a spreadsheet (2.02105E+14), so the incident key is built from the row.',
  day_unknown: 'The source gives only the month: the date is the first of the month.',
  unmapped_victim_type: 'A victim type that is not one of the FBI\'s (Individual, Business, Government, ...).',
  offenders_zero_unknown: ZERO_UNKNOWN,
  victims_zero_unknown: ZERO_UNKNOWN,
  offenders_ages_disagree: AGES_DISAGREE,
  victims_ages_disagree: AGES_DISAGREE,
  nonstandard_state_code: 'The FBI wrote a state code of its own (NB for Nebraska, GM for Guam): the postal code (NE, GU) is used.',
  federal_agency: 'A federal agency (an FBI field office, a military police force), which belongs to no state: counted for the nation only.',
  unmapped_state: 'A state code that is not a postal code (kept as written; no state population is matched to it).',
  offenders_zero_zero_unknown: 'Zero offenders of any age and an unknown race: read as "offender count unknown", not as no offender.',
  ...Object.fromEntries(Object.entries(COLUMNS).map(([column, words]) => [`unparsed_${column}`, `The ${words} cell is not a number (left out of the counts).`])),
}

export const STAGES = { read: 'reading the file', decode: 'decoding a message', parse: 'reading a row', clean: 'cleaning a row', enrich: 'adding fields', write: 'writing to the lake' }
export const REJECTIONS = {
  bad_date: 'the incident date is not a date',
  missing_date: 'the incident date is empty',
  impossible_date: 'the incident date does not exist (for example February 30)',
  date_out_of_range: 'the incident date is outside the years the project accepts',
  missing_incident_number: 'the incident number is empty',
  column_count: 'the row has the wrong number of columns',
  record_too_long: 'the row is longer than any real row (often a quote left open)',
  not_utf8: 'the row holds bytes that are not UTF-8 text (give the file\'s encoding)',
  not_json: 'the message is not JSON',
  empty_message: 'the message is empty',
  not_an_object: 'the message is not a JSON object',
  missing_fields: 'the message lacks columns',
  wrong_field_type: 'a column of the message has the wrong type',
  unknown_layout: 'the message names no layout the project knows',
  bad_source: 'the message names a source that cannot be a folder name',
}

/** A quality flag in words; an unknown flag shows as its name with spaces. */
export const flagWords = (flag) => FLAGS[flag] ?? flag.replaceAll('_', ' ')
/** Why a row never reached the lake, in words. */
export const rejectionWords = (stage, code) => `${STAGES[stage] ?? stage}: ${REJECTIONS[code] ?? code.replaceAll('_', ' ')}`

const entries = (terms) => Object.entries(terms).flatMap(([term, words]) => [Object.assign(document.createElement('dt'), { textContent: term }), Object.assign(document.createElement('dd'), { textContent: words })])

/** Fills the glossary section: one definition list per kind of term. */
export function renderGlossary(section) {
  const part = (heading, terms) => {
    const h3 = Object.assign(document.createElement('h3'), { textContent: heading })
    const list = document.createElement('dl')
    list.append(...entries(terms))
    return [h3, list]
  }
  section.append(...part('FBI bias categories', BIAS_CATEGORIES), ...part('NIBRS crimes against', CRIMES_AGAINST), ...part('Quality flags', FLAGS))
}
