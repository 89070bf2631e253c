import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { HatecrimesError } from '../core/errors.ts'
import { AUSTIN_COLUMN_IDS, AUSTIN_HEADERS } from '../layouts/austin-apd/columns.ts'
import { DAY_NAMES, MONTH_NAMES } from '../transforms/incident-date.ts'
import { draw, mulberry32, sampler, shareOut, sortedDays } from './synthetic-random.ts'
import { BIAS, FIRST_YEAR, GEOGRAPHY, LAST_DAY, LOCATION, OFFENSE, RACE, YEAR_WEIGHTS } from './synthetic-vocabulary.ts'

// Count cells, weighted as in the real file (data notes 2.5).
const VICTIMS_UNDER_18 = sampler([['0', 95], ['1', 4.5]])
const VICTIMS_OVER_18 = sampler([['1', 87], ['0', 6], ['2', 5.3], ['3', 1.1]])
const OFFENDERS_UNDER_18 = sampler([['0', 93], ['1', 5], ['2', 1.5], ['3', 0.5]])
const OFFENDERS_OVER_18 = sampler([['1', 80], ['0', 9], ['2', 6], ['4', 2], ['3', 1.5], ['5', 0.5]])

const two = (n: number) => (n < 10 ? `0${n}` : String(n))
const quote = (field: string) => (field.includes(',') || field.includes('"') ? `"${field.replaceAll('"', '""')}"` : field)
/** One CSV line; only the vocabulary cells (race to bias) can hold a comma or a quote, the rest are digits and labels. */
function csvLine(fields: readonly string[]): string {
  let line = fields[0]
  for (let i = 1; i < fields.length; i++) line += `,${i >= 8 && i <= 11 ? quote(fields[i]) : fields[i]}`
  return `${line}\r\n`
}
/** Incident numbers stay 7 digits while a year has fewer than this many rows. */
const NUMBER_ROOM = 6_000_000

/** The calendar parts of a day, remembered for the next row: rows are sorted, so many share a day. */
let lastDay = { day: Number.NaN, year: 0, month: 0, dom: 0, weekday: 0 }
function calendar(day: number) {
  if (day !== lastDay.day) {
    const date = new Date(day)
    const weekday = (date.getUTCDay() + 6) % 7
    lastDay = { day, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, dom: date.getUTCDate(), weekday }
  }
  return lastDay
}

/** The date cells of one day: the dash format only where the day is <= 12, as a DD/MM spreadsheet re-saved them. */
function dateCells(day: number, next: () => number) {
  const { year, month, dom, weekday } = calendar(day)
  const text = dom <= 12 && next() < 0.9 ? `${two(month)}-${two(dom)}-${year} 00:00` : `${two(month)}/${two(dom)}/${year} 12:00:00 AM`
  // The real file's one Month error is a late-December incident labelled with the month it was reported in.
  const monthLabel = dom >= 25 && next() < 0.02 ? MONTH_NAMES[month % 12] : MONTH_NAMES[month - 1]
  const dayLabel = next() < 0.015 ? DAY_NAMES[(weekday + 1 + Math.floor(next() * 6)) % 7] : DAY_NAMES[weekday]
  return { year, month, dom, text, monthLabel, dayLabel }
}

/** Victim and offender counts with each era's way of saying "unknown", and the race that goes with it. */
function people(year: number, next: () => number): string[] {
  const victims = [
    year >= 2022 && next() < 0.005 ? 'Unknown' : draw(VICTIMS_UNDER_18, next),
    year >= 2022 && next() < 0.01 ? 'Unknown' : draw(VICTIMS_OVER_18, next),
  ]
  const race = draw(RACE(year), next)
  const unknown = next()
  // Until 2021 an unknown offender count is written 0/0 (always with race Unknown), then as Unknown.
  if (year <= 2021 && unknown < 0.11) return [...victims, '0', '0', 'Unknown']
  if (year >= 2022 && unknown < 0.27) return [...victims, 'Unknown', 'Unknown', 'Unknown']
  if (year >= 2022 && unknown < 0.3) return [...victims, draw(OFFENDERS_UNDER_18, next), 'Unknown', race]
  if (year === 2021 && unknown > 0.96) return [...victims, draw(OFFENDERS_UNDER_18, next), '', race]
  return [...victims, draw(OFFENDERS_UNDER_18, next), draw(OFFENDERS_OVER_18, next), race]
}

/**
 * Per-year incident numbers, rising by random steps so they never repeat; late-December incidents
 * filed under the next year take their numbers from a separate 8000000 series, as in the real file.
 */
function incidentNumbers(rows: number, next: () => number): (prefix: number, late: boolean) => string {
  const perYear = shareOut(rows, YEAR_WEIGHTS)
  const last = new Map<string, number>()
  return (prefix, late) => {
    const key = `${prefix}${late}`
    const rowsThatYear = perYear[prefix - FIRST_YEAR] ?? 1
    const step = Math.max(1, Math.min(40, Math.floor(NUMBER_ROOM / Math.max(1, rowsThatYear))))
    const number = (last.get(key) ?? (late ? 8_000_000 : 1_000_000)) + 1 + Math.floor(next() * step)
    last.set(key, number)
    return `${prefix}-${number}`
  }
}

/** Every row's incident day, year by year with the real file's growth, in ascending order. */
function* incidentDays(rows: number, next: () => number): Generator<number> {
  const counts = shareOut(rows, YEAR_WEIGHTS)
  for (let i = 0; i < counts.length; i++) {
    const year = FIRST_YEAR + i
    const lastDay = Math.min(Date.UTC(year, 11, 31), LAST_DAY)
    yield* sortedDays(Date.UTC(year, 0, 1), lastDay, counts[i], next)
  }
}

/** Another offense for the second row of a two-offense incident. */
function otherOffense(year: number, offense: string, next: () => number): string {
  let other = offense
  for (let tries = 0; other === offense && tries < 100; tries++) other = draw(OFFENSE(year), next)
  return other === offense ? 'Aggravated Assault' : other
}

function writeFailure(error: NodeJS.ErrnoException, path: string): HatecrimesError {
  return new HatecrimesError('BAD_OPTION', `Expected a writable file at ${path} (got ${error.code ?? error.message})`, { cause: error })
}

/**
 * Writes a synthetic CSV in the Austin layout (AUSTIN_HEADERS order, CRLF), streaming: memory stays
 * flat for millions of rows. Distributions, vocabulary drift by year and messiness follow the real
 * file: both date formats, rare Month and Day of Week errors, next-year incident numbers in late
 * December, `Unknown`, blanks and `0/0` counts, multi-bias and multi-offense cells, the quoted
 * `"Anti-Multi Races, Group"`, coherent zip / sector / district and a few blank geographies. About
 * 0.4% of incidents take a second row with another offense, as the real file stores a two-offense
 * incident. The same seed always writes the same file. It is not Austin data.
 *
 * @example
 * await writeSyntheticCsv('sample.csv', { rows: 1_000_000, seed: 7, onProgress: (rows) => bar.update(rows) })
 */
export async function writeSyntheticCsv(
  path: string,
  options: { rows: number; seed?: number; onProgress?: (rows: number) => void },
): Promise<void> {
  const next = mulberry32(options.seed ?? 1)
  const numbers = incidentNumbers(options.rows, next)
  const days = incidentDays(options.rows, next)
  // A large buffer lets the next rows be built while the disk takes the last ones.
  const out = createWriteStream(path, { highWaterMark: 1 << 20 })
  const failed = new Promise<never>((_, reject) => out.once('error', (error) => reject(writeFailure(error, path))))
  failed.catch(() => {}) // handled where it is raced; this only keeps an early failure from going unhandled
  let chunk = `${AUSTIN_COLUMN_IDS.map((column) => AUSTIN_HEADERS[column]).join(',')}\r\n`
  let previous: string[] | undefined
  for (let written = 0; written < options.rows; written++) {
    const day = days.next().value as number
    let fields: string[]
    if (previous && next() < 0.004) {
      fields = previous.with(9, otherOffense(Number(previous[2].slice(6, 10)), previous[9], next))
    } else {
      const { year, month, dom, text, monthLabel, dayLabel } = dateCells(day, next)
      const late = month === 12 && dom >= 26 && next() < 0.3
      const [victimsUnder, victimsOver, offendersUnder, offendersOver, race] = people(year, next)
      const [zip, sector, district] = next() < 0.004 ? ['', '', ''] : draw(GEOGRAPHY, next)
      fields = [
        monthLabel, numbers(late ? year + 1 : year, late), text, dayLabel, victimsUnder, victimsOver, offendersUnder,
        offendersOver, race, draw(OFFENSE(year), next), draw(LOCATION(year), next), draw(BIAS(year), next), zip, sector, district,
      ]
    }
    previous = fields
    chunk += csvLine(fields)
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed])
      chunk = ''
      options.onProgress?.(written + 1)
    }
  }
  out.end(chunk)
  await Promise.race([once(out, 'finish'), failed])
  options.onProgress?.(options.rows)
}
