import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { RAW_COLUMNS, RAW_HEADERS } from '../core/record.ts'
import { DAY_NAMES, MONTH_NAMES } from '../transforms/incident-date.ts'
import {
  GEOGRAPHY,
  LOCATION_SPELLINGS,
  RACE_SPELLINGS,
  YEAR_WEIGHTS,
  biasSpellings,
  offenseSpellings,
  type Weighted,
} from './synthetic-vocabulary.ts'

/** mulberry32: a small seeded PRNG, so a seed always gives the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function picker(next: () => number) {
  const cache = new Map<Weighted, { values: string[]; cumulative: number[] }>()
  return (table: Weighted): string => {
    let entry = cache.get(table)
    if (!entry) {
      let sum = 0
      entry = { values: table.map(([value]) => value), cumulative: table.map(([, weight]) => (sum += weight)) }
      cache.set(table, entry)
    }
    const target = next() * entry.cumulative[entry.cumulative.length - 1]
    let i = 0
    while (entry.cumulative[i] < target) i++
    return entry.values[i]
  }
}

const two = (n: number) => String(n).padStart(2, '0')
const quote = (field: string) => (/[",\n\r]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)
const DAY_MS = 86_400_000
const LAST_DAY_2025 = Date.UTC(2025, 2, 24)

/** The days (ms, UTC) of `rows` incidents, spread over the years as in the real file and sorted. */
function incidentDays(rows: number, next: () => number): Float64Array {
  const total = YEAR_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0)
  const days = new Float64Array(rows)
  let i = 0
  for (const [yearText, weight] of YEAR_WEIGHTS) {
    const year = Number(yearText)
    const start = Date.UTC(year, 0, 1)
    const end = year === 2025 ? LAST_DAY_2025 : Date.UTC(year, 11, 31)
    const count = yearText === '2025' ? rows - i : Math.round((rows * weight) / total)
    for (let n = 0; n < count && i < rows; n++) days[i++] = start + Math.floor(next() * ((end - start) / DAY_MS + 1)) * DAY_MS
  }
  return days.sort()
}

/**
 * One synthetic row in the Austin layout with the real file's messiness: both date formats (the
 * dash format only where day <= 12), rare Month and Day of Week errors, next-year incident-number
 * prefixes in late December, `Unknown`, blanks and `0/0` in the counts, multi-valued and
 * year-specific spellings, and coherent zip / district / sector.
 */
function row(day: number, next: () => number, pick: (table: Weighted) => string, numbers: IncidentNumbers): string[] {
  const date = new Date(day)
  const [year, month, dom] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]
  const weekday = (date.getUTCDay() + 6) % 7
  const dateText = dom <= 12 && next() < 0.7 ? `${two(month)}-${two(dom)}-${year} 00:00` : `${two(month)}/${two(dom)}/${year} 12:00:00 AM`
  const monthLabel = next() < 0.004 ? MONTH_NAMES[month % 12] : MONTH_NAMES[month - 1]
  const dayLabel = next() < 0.015 ? DAY_NAMES[(weekday + 1 + Math.floor(next() * 6)) % 7] : DAY_NAMES[weekday]
  const prefix = month === 12 && dom >= 26 && next() < 0.3 ? year + 1 : year
  const incident = `${prefix}-${numbers(prefix)}`
  const victimsUnder = next() < 0.005 ? 'Unknown' : next() < 0.05 ? '1' : '0'
  const victimsOver = next() < 0.008 ? 'Unknown' : pick([['1', 87], ['0', 6], ['2', 5], ['3', 1]])
  let race = pick(RACE_SPELLINGS)
  let offenders = [next() < 0.07 ? '1' : '0', pick([['1', 80], ['2', 6], ['3', 2], ['0', 8], ['4', 2]])]
  const unknown = next()
  if (year <= 2021 && unknown < 0.12) [offenders, race] = [['0', '0'], 'Unknown']
  else if (year >= 2022 && unknown < 0.25) [offenders, race] = [['Unknown', 'Unknown'], 'Unknown']
  else if (unknown > 0.995) offenders = [offenders[0], '']
  const [zip, districts, sectors] = next() < 0.004 ? ['', [0], ['']] : GEOGRAPHY_PICK(pick)
  const district = districts[Math.floor(next() * districts.length)]
  return [
    monthLabel, incident, dateText, dayLabel, victimsUnder, victimsOver, offenders[0], offenders[1], race,
    pick(offenseSpellings(year)), pick(LOCATION_SPELLINGS), pick(biasSpellings(year)), zip,
    sectors[Math.floor(next() * sectors.length)], district ? String(district) : '',
  ]
}

/** Incident numbers grow through each year's sequence by random steps, so they never repeat by chance. */
type IncidentNumbers = (year: number) => number

function incidentNumbers(next: () => number): IncidentNumbers {
  const last = new Map<number, number>()
  return (year) => {
    const number = (last.get(year) ?? 1_000_000) + 1 + Math.floor(next() * 12)
    last.set(year, number)
    return number
  }
}

const GEOGRAPHY_TABLE: Weighted = GEOGRAPHY.map(([, , , weight], i) => [String(i), weight] as const)
const GEOGRAPHY_PICK = (pick: (table: Weighted) => string) => GEOGRAPHY[Number(pick(GEOGRAPHY_TABLE))]

/**
 * Writes a synthetic CSV in the Austin layout, streaming (memory stays flat for millions of rows).
 * About 0.4% of incidents get a second row with another offense, as the real file stores a
 * two-offense incident. The same seed always writes the same file.
 *
 * @example
 * await writeSyntheticCsv('sample.csv', { rows: 1_000_000, seed: 7 })
 */
export async function writeSyntheticCsv(
  path: string,
  options: { rows: number; seed?: number; onProgress?: (rows: number) => void },
): Promise<void> {
  const next = random(options.seed ?? 1)
  const pick = picker(next)
  const days = incidentDays(options.rows, next)
  const numbers = incidentNumbers(next)
  const out = createWriteStream(path)
  let chunk = `${RAW_COLUMNS.map((column) => RAW_HEADERS[column]).join(',')}\r\n`
  let previous: string[] | undefined
  for (let i = 0; i < options.rows; i++) {
    let fields = row(days[i], next, pick, numbers)
    if (previous && next() < 0.004) fields = previous.with(9, pick(offenseSpellings(Number(previous[1].slice(0, 4)))))
    previous = fields
    chunk += `${fields.map(quote).join(',')}\r\n`
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
      options.onProgress?.(i + 1)
    }
  }
  out.end(chunk)
  await once(out, 'finish')
  options.onProgress?.(options.rows)
}
