import { parquetWriteBuffer } from 'hyparquet-writer'
import { HatecrimesError } from '../core/errors.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { ZSTD_COMPRESSORS } from '../lake/parquet-file.ts'
import { POPULATION_KEY } from '../lake/partitions.ts'
import type { CensusFigure, CensusTable } from './census-tables.ts'
import { STATE_COUNT } from './place-names.ts'

/**
 * One row of the lake's population table: residents of a city, a state or the nation in a year.
 * The nation is the sum of the 50 states and DC, for the years where the tables give all of them.
 */
export interface PopulationRow {
  level: 'city' | 'state' | 'nation'
  /** Two-letter abbreviation; NULL for the nation. */
  state: string | null
  place: string
  census_name: string
  year: number
  population: number
  /**
   * The place's name names more than one Census place in its state that year (Reno city and Reno
   * city, Texas; Superior city and Superior village, Wisconsin): an incident's city cannot tell
   * which, so rates leave these out rather than guess.
   */
  ambiguous: boolean
  source_file: string | null
  source_row: number | null
}

const NATION = 'United States'
const nameKey = (f: CensusFigure) => `${f.level}|${f.state}|${f.place.toLowerCase()}`

function yearsOf<T>(map: Map<string, Map<number, T>>, key: string): Map<number, T> {
  let years = map.get(key)
  if (!years) map.set(key, (years = new Map()))
  return years
}

/**
 * The population table from the tables read: every figure, flagged when its name is ambiguous in
 * its state, plus the nation per year. The same Census place and year in two files is refused (a
 * folder holding a copy would otherwise double the place and hide it from rates).
 *
 * @example
 * const rows = buildPopulation([await readCensusTable('data/population/census_states_2010_2019.csv')])
 * rows.find((r) => r.level === 'nation' && r.year === 2019)?.population // 328239523
 */
export function buildPopulation(tables: readonly CensusTable[]): PopulationRow[] {
  const figures = tables.flatMap((table) => table.figures)
  // Keyed by place, then by year: some 20,000 place keys rather than a string per figure.
  const byCensusName = new Map<string, Map<number, CensusFigure>>()
  const byName = new Map<string, Map<number, number>>()
  for (const figure of figures) {
    const years = yearsOf(byCensusName, `${figure.level}|${figure.state}|${figure.census_name}`)
    const earlier = years.get(figure.year)
    if (earlier && earlier.source_file !== figure.source_file) {
      throw new HatecrimesError(
        'BAD_INPUT',
        `Expected each Census place and year in one table only, but "${figure.census_name}" ${figure.year} is in ${earlier.source_file} (row ${earlier.source_row}) and in ${figure.source_file} (row ${figure.source_row}): load one of them`,
      )
    }
    if (!earlier) years.set(figure.year, figure)
    const named = yearsOf(byName, nameKey(figure))
    named.set(figure.year, (named.get(figure.year) ?? 0) + 1)
  }
  const rows: PopulationRow[] = figures.map((figure) => ({ ...figure, ambiguous: (byName.get(nameKey(figure))?.get(figure.year) ?? 0) > 1 }))
  rows.push(...nationRows(rows))
  // Sorted so each place's years sit together: Parquet statistics then let readers skip row groups.
  const order = { city: 0, state: 1, nation: 2 }
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  return rows.sort((a, b) => order[a.level] - order[b.level] || text(a.state ?? '', b.state ?? '') || text(a.place, b.place) || a.year - b.year)
}

/** The nation for each year whose states are all there, each once. */
function nationRows(rows: readonly PopulationRow[]): PopulationRow[] {
  const byYear = new Map<number, PopulationRow[]>()
  for (const row of rows) if (row.level === 'state') byYear.set(row.year, [...(byYear.get(row.year) ?? []), row])
  return [...byYear]
    .filter(([, states]) => states.length === STATE_COUNT && new Set(states.map((s) => s.state)).size === STATE_COUNT)
    .map(([year, states]) => ({
      level: 'nation' as const,
      state: null,
      place: NATION,
      census_name: `${NATION} (sum of the 50 states and the District of Columbia)`,
      year,
      population: states.reduce((sum, s) => sum + s.population, 0),
      ambiguous: false,
      source_file: null,
      source_row: null,
    }))
}

/**
 * The table as one zstd Parquet file; `population` is an INT64 (a nation passes 2^31).
 *
 * @example
 * await store.put(POPULATION_KEY, encodePopulation(rows))
 */
export function encodePopulation(rows: readonly PopulationRow[]): Uint8Array {
  const column = <K extends keyof PopulationRow>(name: K) => rows.map((row) => row[name])
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'level', data: column('level'), type: 'STRING' },
      { name: 'state', data: column('state'), type: 'STRING' },
      { name: 'place', data: column('place'), type: 'STRING' },
      { name: 'census_name', data: column('census_name'), type: 'STRING' },
      { name: 'year', data: column('year'), type: 'INT32' },
      { name: 'population', data: rows.map((row) => BigInt(row.population)), type: 'INT64' },
      { name: 'ambiguous', data: column('ambiguous'), type: 'BOOLEAN' },
      { name: 'source_file', data: column('source_file'), type: 'STRING' },
      { name: 'source_row', data: column('source_row'), type: 'INT32' },
    ],
    codec: 'ZSTD',
    compressors: ZSTD_COMPRESSORS,
    // Row groups of 50,000 rather than the writer's 100,000: a fifth less memory while encoding.
    rowGroupSize: 50_000,
    createdBy: 'hatecrimes',
  })
  return new Uint8Array(buffer)
}

/**
 * Replaces the lake's population table with these rows in one write: the table is a single
 * object, and a store's `put` shows either the old object or the new one, never a part or a mix.
 *
 * @example
 * await writePopulation(await openStore('./lake'), rows) // ./lake/population/population.parquet
 */
export async function writePopulation(store: ObjectStore, rows: readonly PopulationRow[]): Promise<string> {
  await store.put(POPULATION_KEY, encodePopulation(rows))
  return POPULATION_KEY
}
