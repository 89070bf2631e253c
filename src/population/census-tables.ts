import Papa from 'papaparse'
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { HatecrimesError } from '../core/errors.ts'
import { placeName, splitPlaceCell, stateAbbreviation } from './place-names.ts'

/** One population figure of a Census table: a city's or a state's residents in one year (July 1 estimate). */
export interface CensusFigure {
  level: 'city' | 'state'
  /** Two-letter abbreviation. */
  state: string
  /** The name incidents carry: `Austin`, or the state's name (`Texas`). */
  place: string
  /** The name as the Census wrote it: `Austin city, Texas`. */
  census_name: string
  year: number
  population: number
  source_file: string
  /** Spreadsheet row (the file's first line is row 1). */
  source_row: number
}

/** A data row that gave no figures, and why. */
export interface SkippedRow {
  file: string
  row: number
  reason: string
}

/** What one file gave: its figures, the rows it could not use, and its title and footnote rows. */
export interface CensusTable {
  file: string
  layout: string
  figures: CensusFigure[]
  skipped: SkippedRow[]
  notes: number
}

type Place = { place: string; state: string; census_name: string }

/** A Census table's shape: how to know its header, and where a row names its place. */
interface TableLayout {
  name: string
  level: CensusFigure['level']
  expected: string
  matches(header: readonly string[]): boolean
  placeOf(cells: readonly string[]): Place | string
}

const isYear = (text: string) => /^\d{4}$/.test(text)

const LAYOUTS: readonly TableLayout[] = [
  {
    name: 'places by year (SUB-IP-EST2019-ANNRES)',
    level: 'city',
    expected: 'a title row, then "Column1,Census,Estimates Base,2010,...,2019" with names like "Austin city, Texas"',
    matches: (header) => header[1] === 'Census' && header[2] === 'Estimates Base',
    placeOf(cells) {
      const split = splitPlaceCell(cells[0])
      if (split) return { place: split.place, state: split.state, census_name: cells[0].trim() }
      return `Expected a place and state like "Austin city, Texas" in "Column1" (got "${cells[0]}")`
    },
  },
  {
    name: 'places by city and state',
    level: 'city',
    expected: '"City,State,2020,...,2023,avg_population" with rows like "Austin city, Texas,..."',
    matches: (header) => header[0] === 'City' && header[1] === 'State',
    placeOf(cells) {
      const state = stateAbbreviation(cells[1] ?? '')
      // A name that holds a comma (Islamorada, Village of Islands village) was split at it by the
      // publisher, which pushed the state out of the row: there is no state left to file it under.
      if (!state) return `Expected a state name in "State" (got "${(cells[1] ?? '').trim()}"; a place name with a comma loses its state in this table)`
      return { place: placeName(cells[0]), state, census_name: `${cells[0].trim()}, ${cells[1].trim()}` }
    },
  },
  {
    name: 'states by year',
    level: 'state',
    expected: '"Geographic Area,2000,...,2009" with one row per state',
    matches: (header) => header[0] === 'Geographic Area' && isYear(header[1] ?? ''),
    placeOf(cells) {
      const state = stateAbbreviation(cells[0])
      const name = cells[0].trim().replace(/^\.+/, '')
      return state ? { place: name, state, census_name: name } : `Expected a state or "District of Columbia" in "Geographic Area" (got "${cells[0]}")`
    },
  },
]

const WHOLE_NUMBER = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/
/** How far down a title may push the header. */
const HEADER_ROWS = 5

/**
 * Reads one Census population table, recognised by its header: the city table of 2010-2019 (a
 * title row, then `Column1,Census,Estimates Base,2010..2019`), the city table of 2020-2023
 * (`City,State,2020..2023,avg_population`) or a state table (`Geographic Area,2000..2009`). Every
 * four-digit column is a year; figures may carry thousands separators. Rows with no figure at all
 * are titles and footnotes (counted as notes); a row with a place that is not in a state, or a
 * figure that is not a whole number, is skipped with its reason.
 *
 * @example
 * const table = await readCensusTable('data/population/census_states_2010_2019.csv')
 * table.figures.find((f) => f.state === 'TX' && f.year === 2019)?.population // 28995881
 */
export async function readCensusTable(path: string): Promise<CensusTable> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new HatecrimesError('INPUT_MISSING', `Expected a Census population table at ${path} (no such file)`)
    throw error
  })
  const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false }).data
  const headerIndex = rows.slice(0, HEADER_ROWS).findIndex((cells) => LAYOUTS.some((l) => l.matches(cells.map((c) => c.trim()))))
  if (headerIndex < 0) throw unrecognised(path, rows)
  const header = rows[headerIndex].map((cell) => cell.trim())
  const layout = LAYOUTS.find((l) => l.matches(header)) as TableLayout
  const years = header.flatMap((cell, index) => (isYear(cell) ? [{ index, year: Number(cell) }] : []))
  if (!years.length) throw unrecognised(path, rows)

  const file = basename(path)
  const table: CensusTable = { file, layout: layout.name, figures: [], skipped: [], notes: 0 }
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const cells = rows[i]
    const row = i + 1
    const values = years.map(({ index }) => (cells[index] ?? '').trim())
    if (values.every((value) => value === '')) {
      if (cells.some((cell) => cell.trim() !== '')) table.notes++
      continue
    }
    const bad = values.findIndex((value) => value !== '' && !WHOLE_NUMBER.test(value))
    const place = layout.placeOf(cells)
    if (typeof place === 'string' || bad >= 0) {
      const reason = typeof place === 'string' ? place : `Expected a whole number like 978,908 in "${years[bad].year}" (got "${values[bad]}")`
      table.skipped.push({ file, row, reason })
      continue
    }
    values.forEach((value, k) => {
      if (value === '') return
      const population = Number(value.replaceAll(',', ''))
      table.figures.push({ level: layout.level, ...place, year: years[k].year, population, source_file: file, source_row: row })
    })
  }
  return table
}

function unrecognised(path: string, rows: readonly string[][]): HatecrimesError {
  const index = rows.findIndex((cells) => cells.some((cell) => cell.trim() !== ''))
  const found = index < 0 ? '' : rows[index].join(',')
  const shown = index < 0 ? 'an empty file' : `"${found.length > 120 ? `${found.slice(0, 120)}...` : found}" in row ${index + 1}`
  const expected = LAYOUTS.map((layout) => `${layout.name}: ${layout.expected}`).join('; or ')
  return new HatecrimesError('BAD_INPUT', `Expected a Census population table in ${path} with a header in its first ${HEADER_ROWS} rows, either ${expected} (got ${shown})`)
}
