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
const nameKey = (f: CensusFigure) => `${f.level}|${f.state}|${f.place.toLowerCase()}|${f.year}`

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
  const first = new Map<string, CensusFigure>()
  const names = new Map<string, number>()
  for (const figure of figures) {
    const key = `${figure.level}|${figure.state}|${figure.census_name}|${figure.year}`
    const earlier = first.get(key)
    if (earlier && earlier.source_file !== figure.source_file) {
      throw new HatecrimesError(
        'BAD_INPUT',
        `Expected each Census place and year in one table only, but "${figure.census_name}" ${figure.year} is in ${earlier.source_file} (row ${earlier.source_row}) and in ${figure.source_file} (row ${figure.source_row}): load one of them`,
      )
    }
    first.set(key, earlier ?? figure)
    names.set(nameKey(figure), (names.get(nameKey(figure)) ?? 0) + 1)
  }
  const rows: PopulationRow[] = figures.map((figure) => ({ ...figure, ambiguous: (names.get(nameKey(figure)) ?? 0) > 1 }))
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
