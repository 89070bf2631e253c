import { describeOrigin, invalid, type Origin, type Outcome } from '../../core/record.ts'
import { calendarDate, type IncidentDate } from '../../transforms/incident-date.ts'
import { shown } from '../../transforms/raw-row.ts'

const MONTHS = new Map(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((name, i) => [name, i + 1]))
// `21-Nov-20` (the 1991-2020 file) or an ISO `2021-11-21` (the newer exports), either with a time.
const DAY_MONTH_YY = /^(\d{1,2})-([A-Za-z]{3})-(\d{2})(?:\s.*)?$/
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/
const COLUMN = '"INCIDENT_DATE"'

/**
 * The full year of a two-digit year, from the row's DATA_YEAR: the year of that century nearest
 * to it, and never more than one year after it (an incident is reported in its own year or later).
 *
 * @example
 * fullYear(99, 2000) // 1999
 * fullYear(20, 2020) // 2020
 */
export function fullYear(twoDigits: number, dataYear: number): number {
  const year = Math.floor(dataYear / 100) * 100 + twoDigits
  if (year > dataYear + 1) return year - 100
  return year < dataYear - 98 ? year + 100 : year
}

// 30 years of a few hundred dates each: the memo stays small, and most rows hit it.
const memo = new Map<string, Outcome<IncidentDate>>()

/**
 * Reads the FBI's INCIDENT_DATE (`21-Nov-20`, century from DATA_YEAR; or ISO `2021-11-21`) into
 * a checked calendar date. A missing or unreadable DATA_YEAR makes a two-digit year unreadable.
 *
 * @example
 * parseFbiDate('21-Nov-20', '2020') // ok: { iso: '2020-11-21', dayOfWeek: 'Sat', ... }
 * parseFbiDate('31-Dec-99', '2000') // ok: { iso: '1999-12-31', ... }
 */
export function parseFbiDate(cell: string, dataYear: string, origin?: Origin, now?: Date): Outcome<IncidentDate> {
  const key = `${dataYear}|${cell}`
  const known = now ? undefined : memo.get(key)
  if (known) return known
  const outcome = readDate(cell.trim(), dataYear.trim(), cell, origin, now)
  if (!now && outcome.ok) {
    if (memo.size >= 20_000) memo.clear()
    memo.set(key, outcome)
  }
  return outcome
}

function readDate(text: string, dataYear: string, cell: string, origin: Origin | undefined, now: Date | undefined): Outcome<IncidentDate> {
  const place = { column: COLUMN, example: 'like 21-Nov-20', origin, now }
  const iso = ISO.exec(text)
  if (iso) return calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]), cell, place)
  const parts = DAY_MONTH_YY.exec(text)
  const month = parts ? MONTHS.get(parts[2].toLowerCase()) : undefined
  const where = `${COLUMN}${origin ? ` at ${describeOrigin(origin)}` : ''} (got ${shown(cell)})`
  if (!parts || month === undefined) {
    return invalid('parse', text ? 'bad_date' : 'missing_date', `Expected a date like 21-Nov-20 in ${where}`)
  }
  if (!/^\d{4}$/.test(dataYear)) {
    return invalid('parse', 'bad_date', `Expected a DATA_YEAR like 2020 to give the century of ${where}; DATA_YEAR is ${shown(dataYear)}`)
  }
  return calendarDate(fullYear(Number(parts[3]), Number(dataYear)), month, Number(parts[1]), cell, place)
}
