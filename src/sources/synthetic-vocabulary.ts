/**
 * The raw spellings the synthetic generator draws from, taken from the real Austin file (data notes,
 * appendix A), with weights close to the real shares and the same drift by year.
 */
export type Weighted = readonly (readonly [value: string, weight: number])[]

/** Builds a year's table once and hands out that same table after, so pickers can cache by table. */
function perYear(build: (year: number) => Weighted): (year: number) => Weighted {
  const tables = new Map<number, Weighted>()
  return (year) => {
    let table = tables.get(year)
    if (!table) tables.set(year, (table = build(year)))
    return table
  }
}

/** Incidents per year in the real file; the last year is partial (to March 24). */
export const YEAR_WEIGHTS: Weighted = [
  ['2017', 17], ['2018', 20], ['2019', 11], ['2020', 24], ['2021', 26],
  ['2022', 43], ['2023', 51], ['2024', 59], ['2025', 15],
]

/** Bias cells by era: the same biases, spelled as that year's dataset spells them. */
export const biasSpellings = perYear((year) => {
  const black = year === 2018 ? 'Anti-Black' : 'Anti-Black or African American'
  const gay = year === 2018 ? 'Anti-Gay' : 'Anti-Gay (Male)'
  const hispanic = year === 2018 ? 'Anti-Hispanic' : year === 2019 ? 'Anti-Hispanic/Latino' : 'Anti-Hispanic or Latino'
  const lgbt = year === 2025 ? 'Anti-Lesbian/Bisexual/Transgender (Mixed Group)' : year === 2020 ? 'Anti-Lesbian/Gay/Transgender' : 'Anti-Lesbian/Gay/Bisexual/Transgender (Mixed Group)'
  return [
    [black, 25], [gay, 21], ['Anti-Jewish', 13], [hispanic, 8], ['Anti-White', 5], ['Anti-Transgender', 5],
    [lgbt, 6], ['Anti-Asian', 3], ['Anti-Arab', 1.2], [year < 2020 ? 'Anti-Islamic(Muslim)' : 'Anti-Islamic (Muslim)', 2.5],
    [year === 2018 ? 'Anti-Lesbian' : 'Anti-Lesbian (Female)', 1.2], ['Anti-Other Religion', 0.8], ['Anti-Religion (Other)', 0.4],
    ['Anti-Female', 0.8], ['Anti-Bisexual', 0.4], ['Anti-Buddhist', 0.4], ['Anti-Protestant', 0.4],
    ['Anti-American Indian/Alaskan Native', 0.4], ['Anti-Other Race/Ethnicity/Ancestry', 0.4],
    ['Anti-Physical Disability', 0.4], [year === 2018 ? 'Anti-Disability' : 'Anti-Physical Disability', 0.3],
    ['Anti-Multi Races, Group', 0.4],
    ['Anti-Gay (Male); Anti-Transgender', 0.8], ['Anti-Gay (Male); Anti-Jewish', 0.4],
    ['Anti-Black or African American; Anti-Gay (Male)', 0.4], ['Anti-White/Anti-Hispanic or Latino', 0.4],
    ['Anti-Multi-Races Group; Anti-Islamic', 0.3],
  ] as Weighted
})

/** Offense cells by era: 2017 says Simple Assault, 2020-23 splits assault three ways, and so on. */
export const offenseSpellings = perYear((year) => {
  const assault: Weighted =
    year === 2017 ? [['Simple Assault', 20], ['Destruction', 8]]
    : year >= 2020 && year <= 2023 ? [['Assault with Injury', 12], ['Assault by Threat', 8], ['Assault by Contact', 5]]
    : [['Assault', 25]]
  return [
    ...assault, ['Criminal Mischief', 22], ['Aggravated Assault', 12], ['Terroristic Threat', 6], ['Harassment', 5],
    ['Graffiti', 3], ['Robbery', 2], ['Aggravated Robbery', 1.5], ['Theft', 2], ['Burglary of Residence', 1],
    ['Arson', 0.5], ['Murder', 0.3], ['Bomb Threat', 0.3], ['Disorderly Conduct- Abusive Language', 0.4],
    ['Burglary/Assault', 0.3], ['Harassment/Criminal Mischief', 0.3], ['Injury to Child', 0.3], ['Reckless Driving', 0.2],
  ] as Weighted
})

export const LOCATION_SPELLINGS: Weighted = [
  ['Residence/Home', 25], ['Hwy/Road/Alley/Street/Sidewalk', 13], ['Streets/Highway/Road/Alley', 7],
  ['Bar/Nightclub', 7], ['Parking/Drop Lot/Garage', 6], ['Church/Synagogue/Temple/Mosque', 3.5],
  ['Church/ Synagogue/Temple/Mosque', 0.8], ['Commercial/Office Building', 3.4], ['Air/Bus/Train Terminal', 2.6],
  ['Convenience Store', 2.6], ['Park/Playground', 2.6], ['Highway/Road/Alley/Street/Sidewalk', 2.3],
  ['Other/Unknown', 1.9], ['Parking Lot/Garage', 1.9], ['Restaurant', 1.9], ['Highway/Road/Street', 1.5],
  ['Parking Lots/ Garage', 1.5], ['School-Elementary/Secondary', 1.1], ['Grocery/Supermarket', 0.8],
  ['Service/Gas Station', 0.8], ['Shopping Mall', 0.8], ['Specialty Store', 0.8], ['Hotel/ Motel/ Etc.', 0.4],
  ['Dr. Office', 0.4], ["Drug Store/Dr.'s office/Hospital", 0.4], ['Government/ Public Building', 0.4],
  ['Department/ Discount Store', 0.4], ['Field/Woods', 0.4], ['Cyberspace', 0.4], ['Gas/Service Stations', 0.4],
]

export const RACE_SPELLINGS: Weighted = [
  ['White/Non-Hispanic', 70], ['White/Hispanic', 35], ['Black or African American/Non-Hispanic', 21],
  ['White/Unknown', 15], ['Black/Non-Hispanic', 12], ['White/NotHispanic', 10], ['White/Not Hispanic', 9],
  ['Asian/Non-Hispanic', 5], ['White/Hispanic or Latino', 5], ['Group of Multiple Races', 3], ['Black/Unknown', 2],
  ['Asian/NotHispanic', 1], ['Black and White/Non-Hispanic', 1], ['Black/Not Hispanic', 1], ['Unknown/Hispanic', 1],
  ['White & Asian/Hispanic & Non-Hispanic', 1], ['White/Hispanic & Non-Hispanic', 1], ['White/Hispanic (3)', 1],
  ['White/Non-Hispanic/Hispanic', 1], ['White/Hispanic (2) White/NonHispanic (2)', 0.5],
]

/** Austin zip codes with the council districts and APD sectors they overlap, so the three agree. */
export const GEOGRAPHY: readonly (readonly [zip: string, districts: readonly number[], sectors: readonly string[], weight: number])[] = [
  ['78701', [9], ['George'], 44], ['78702', [1, 3], ['Charlie'], 12], ['78704', [5, 9], ['David'], 18],
  ['78705', [9], ['Baker'], 10], ['78741', [3], ['Henry'], 12], ['78744', [2], ['Frank'], 8],
  ['78745', [5], ['David'], 10], ['78748', [5], ['Frank'], 5], ['78751', [4, 9], ['Baker'], 7],
  ['78752', [4], ['Ida'], 8], ['78753', [4, 7], ['Edward'], 10], ['78758', [4, 7], ['Edward'], 10],
  ['78723', [1, 4], ['Charlie', 'Ida'], 9], ['78724', [1], ['Charlie'], 6], ['78703', [9, 10], ['Baker'], 6],
  ['78731', [10], ['Adam'], 3], ['78759', [6, 7, 10], ['Adam'], 5], ['78617', [2], ['Henry'], 3],
  ['78719', [2], ['Airport'], 2], ['78712', [9], ['University of Texas'], 1],
]
