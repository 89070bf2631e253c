/**
 * The raw spellings the synthetic generator draws from, taken from the real Austin file (data notes,
 * appendix A), with weights close to the real shares and the same drift by year: each year's
 * dataset spells the same bias, offense, place or race its own way.
 */
import { sampler, type Sampler, type Weighted } from './synthetic-random.ts'

export const FIRST_YEAR = 2017
export const LAST_YEAR = 2025
/** The real file ends here: the last year is partial. */
export const LAST_DAY = Date.UTC(LAST_YEAR, 2, 24)
/** Incidents per year in the real file, 2017 to 2025. */
export const YEAR_WEIGHTS = [17, 20, 11, 24, 26, 43, 51, 59, 15] as const

/** Compiles a table for every year once, so drawing a row costs no table building. */
function byYear(build: (year: number) => Weighted): (year: number) => Sampler {
  const tables = YEAR_WEIGHTS.map((_, i) => sampler(build(FIRST_YEAR + i)))
  return (year) => tables[year - FIRST_YEAR]
}

/** Bias cells, single and multiple (`; `, `/Anti-`, and the comma inside one FBI name). */
export const BIAS = byYear((year) => [
  [year === 2018 ? 'Anti-Black' : 'Anti-Black or African American', 25],
  [year === 2018 ? 'Anti-Gay' : 'Anti-Gay (Male)', 21],
  ['Anti-Jewish', year >= 2023 ? 18 : 10],
  [year === 2018 ? 'Anti-Hispanic' : year === 2019 ? 'Anti-Hispanic/Latino' : 'Anti-Hispanic or Latino', 8],
  [year === 2020 ? 'Anti-Lesbian/Gay/Transgender' : year === 2025 ? 'Anti-Lesbian/Bisexual/Transgender (Mixed Group)' : 'Anti-Lesbian/Gay/Bisexual/Transgender (Mixed Group)', 6],
  ['Anti-White', 5], ['Anti-Transgender', 5], ['Anti-Asian', 3], [year === 2019 ? 'Anti-Islamic(Muslim)' : 'Anti-Islamic (Muslim)', 2.6],
  ['Anti-Arab', 1.1], [year === 2018 || year === 2023 ? 'Anti-Lesbian' : 'Anti-Lesbian (Female)', 1.1],
  [year === 2024 ? 'Anti-Religion (Other)' : 'Anti-Other Religion', 1.1], ['Anti-Female', 0.8], ['Anti-Bisexual', 0.4],
  ['Anti-Buddhist', 0.4], ['Anti-Protestant', 0.4], ['Anti-American Indian/Alaskan Native', 0.4],
  ['Anti-Other Race/Ethnicity/Ancestry', 0.4], [year === 2018 ? 'Anti-Disability' : 'Anti-Physical Disability', 0.7],
  ['Anti-Multi Races, Group', 0.4], ['Anti-Gay (Male); Anti-Transgender', 0.8], ['Anti-Gay (Male); Anti-Jewish', 0.4],
  ['Anti-Black or African American; Anti-Gay (Male)', 0.4], ['Anti-Gay (Male); Anti-Black or African American', 0.4],
  ['Anti-White/Anti-Hispanic or Latino', 0.4], ['Anti-Multi-Races Group; Anti-Islamic', 0.4],
])

/** Offense cells: Simple Assault in 2017, Assault in 2018-19 and 2024-25, three assaults in 2020-23. */
export const OFFENSE = byYear((year) => [
  ...(year === 2017 ? [['Simple Assault', 30], ['Intimidation', 15], ['Destruction', 8]] as const
    : year <= 2019 ? [['Assault', 45], ['Intimidation', 8], ['Vandalism', 10]] as const
    : year <= 2023 ? [['Assault with Injury', 20], ['Assault by Threat', 9], ['Assault by Contact', 4], ['Assault by Injury', 0.5], ['Robbery by Assault', 0.8]] as const
    : [['Assault', 26], ['Robbery', 4]] as const),
  ['Criminal Mischief', year <= 2018 ? 0 : 20], ['Aggravated Assault', 11], ['Terroristic Threat', year >= 2021 ? 11 : 0],
  ['Harassment', year >= 2021 ? 9 : 0], ['Theft', 2.5], ['Robbery', 1], ['Bomb Threat', 1.5], ['Murder', 1],
  ['Aggravated Robbery', 0.8], ['Burglary of Residence', 0.8], ['Burglary of Non Residence', 0.4], ['Arson', 0.4],
  ['Graffiti', 0.4], ['Reckless Driving', 0.4], ['Disorderly Conduct- Abusive Language', 0.4], ['False Report', 0.4],
  ['Injury to Child', 0.4], ['Sodomy', 0.4], ['Burglary/Assault', 0.4], ['Harassment/Criminal Mischief', 0.4],
])

/** Location cells: the street and the parking lot change spelling with almost every dataset. */
export const LOCATION = byYear((year) => [
  ['Residence/Home', 25],
  [year === 2017 ? 'Highway/Road/Alley/Street/Sidewalk' : year === 2018 ? 'Highway/Road/Street' : year <= 2021 ? 'Streets/Highway/Road/Alley' : 'Hwy/Road/Alley/Street/Sidewalk', 24],
  [year === 2017 ? 'Parking/Drop Lot' : year <= 2019 ? 'Parking Lot/Garage' : year === 2020 ? 'Parking Lots/ Garage' : year === 2021 ? 'Parking Lots/Garage' : 'Parking/Drop Lot/Garage', 10],
  ['Parking Lot', year === 2020 ? 3 : 0], ['Bar/Nightclub', 7], [year === 2018 ? 'Church/Synagogue' : 'Church/Synagogue/Temple/Mosque', 3.4],
  ['Church/ Synagogue/Temple/Mosque', year === 2023 ? 3 : 0], ['Commercial/Office Building', 3.4], ['Park/Playground', 2.6],
  ['Air/Bus/Train Terminal', 2.6], ['Transportation (Air/Bus/Train Terminals)', 0.4], ['Convenience Store', 2.6],
  ['Restaurant', 1.9], [year === 2021 ? 'Other' : 'Other/Unknown', 1.9], ['School-Elementary/Secondary', 1.1],
  ['Specialty Store', 0.8], ['Grocery/Supermarket', 0.8], ['Shopping Mall', 0.8], [year === 2021 ? 'Gas/Service Stations' : 'Service/Gas Station', 1.1],
  [year >= 2023 ? 'Hotel/ Motel/ Etc.' : 'Hotel/Motel', 0.8], [year === 2020 ? 'Government/ Public Building' : 'Government/Public Building', 0.8],
  [year >= 2025 ? 'Department/ Discount Store' : 'Department/Discount Store', 0.8], ['Hospital', 0.4], ['Dr. Office', 0.4],
  [year === 2019 ? "Drug Store/Dr.'s office/Hospital" : "Drug Store/Doctor's Office/Hospital", 0.8], ['Bank/Savings and Loan', 0.4],
  ['Shelter-Mission/Homeless', 0.4], ['Construction Site', 0.4], ['Camp/Campground', 0.4], ['Community Center', 0.4],
  ['Arena/Stadium/Fairgrounds/Coliseum', 0.4], ['Abandoned/Condemned Structure', 0.4], ['Field/Woods', 0.4], ['Cyberspace', 0.4],
])

/** Offender race/ethnicity cells: "RACE/ETHNICITY" with each year's spelling of both parts. */
export const RACE = byYear((year) => {
  const notHispanic = year === 2018 ? 'NotHispanic' : year === 2017 || year === 2019 ? 'Not Hispanic' : 'Non-Hispanic'
  const black = year === 2017 || (year >= 2021 && year <= 2023) ? 'Black or African American' : 'Black'
  const hispanic = year === 2017 || year === 2021 ? 'Hispanic or Latino' : 'Hispanic'
  return [
    [`White/${notHispanic}`, 34], [`White/${hispanic}`, 18], [`${black}/${notHispanic}`, 17], ['White/Unknown', 6],
    ['Unknown', 5], [`Asian/${notHispanic}`, 2.5], [`${black}/Unknown`, 1], ['Unknown/Hispanic', 0.4],
    ['Group of Multiple Races', year === 2017 ? 6 : 0.3], ['Black and White/Non-Hispanic', 0.3],
    ['White & Asian/Hispanic & Non-Hispanic', 0.3], ['White/Hispanic & Non-Hispanic', 0.3], ['White/Non-Hispanic/Hispanic', 0.3],
    ['White/Hispanic (3)', 0.3], ['White/Hispanic (2) White/NonHispanic (2)', 0.3],
  ]
})

/**
 * Zip code, its weight, then the APD sector and council district pairs seen with it in the real file
 * (`:n` weights a pair), so the three geography columns always agree.
 */
const GEOGRAPHY_TEXT = `78701 44 George 9:20, Baker 9
78745 21 David 3:7, David 5:7, Frank 2:3, Frank 5:2, David 2, Frank 3
78705 20 Baker 9:19, University of Texas 9
78741 18 Henry 3:17, Henry 9
78758 17 Edward 4:9, Adam 7:6, Edward 7:2
78723 14 Ida 4:5, Ida 1:4, Baker 9:3, Charlie 1, Baker 1
78753 14 Edward 4:5, Edward 7:3, Edward 1:3, Ida 4:3
78702 10 Charlie 3:6, Charlie 1:4
78752 10 Ida 4:8, Ida 1:2
78731 10 Baker 10
78744 9 Frank 2
78704 8 David 5:3, David 9:2, Henry 9:2, David 3
78757 7 Ida 7:3, Baker 7:3, Ida 4
78751 6 Baker 9:3, Ida 4:2, Ida 9
78727 6 Adam 7:5, Adam 6
78756 5 Ida 7:2, Baker 10:2, Ida 4
78703 5 Baker 10:4, Baker 9
78717 4 Adam 6
78759 4 Adam 10:3, Adam 7
78721 4 Charlie 1, Charlie 3
78750 3 Adam 6
78726 3 Adam 10
78724 3 Charlie 1
78754 3 Edward 7:2, Edward 1
78617 3 Henry 2:2, Airport 2
78749 2 David 10, David 8
78730 2 Adam 10
78746 2 David 8
78748 2 Frank 5
78747 2 Frank 5, Frank 2
78712 1 Baker 9
78613 1 Adam 6
78719 1 Airport 2
78729 1 Adam 6`

/** Zip, sector, district: one table over every observed triple, weighted by zip then by pair. */
export const GEOGRAPHY: Sampler<readonly [zip: string, sector: string, district: string]> = sampler(
  GEOGRAPHY_TEXT.split('\n').flatMap((line) => {
    const [, zip, zipWeight, pairs] = /^(\d{5}) (\d+) (.*)$/.exec(line)!
    const parsed = pairs.split(', ').map((pair) => /^(.+) (\d+)(?::(\d+))?$/.exec(pair)!)
    const sum = parsed.reduce((total, [, , , weight]) => total + Number(weight ?? 1), 0)
    return parsed.map(([, sector, district, weight]) => [[zip, sector, district], (Number(zipWeight) * Number(weight ?? 1)) / sum] as const)
  }),
)
