import { invalid, ok, type Outcome } from '../core/record.ts'

export const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const
export const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

export interface IncidentDate {
  /** `YYYY-MM-DD` */
  iso: string
  year: number
  month: number
  day: number
  quarter: number
  /** Mon..Sun */
  dayOfWeek: string
}

// Both Austin formats, `03/21/2017 12:00:00 AM` and `01-01-2017 00:00`, are month-first (data notes
// 2.1); the time is always a midnight placeholder, so it is read past and dropped.
const DATE = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?:[ T].*)?$/
const EARLIEST_YEAR = 1990

/**
 * Reads `Date of Incident` month-first into a calendar date, with no Date parsing of strings and so
 * no time-zone drift. Impossible dates (02/30/2017) and years outside 1990..next year are invalid.
 *
 * @example
 * parseIncidentDate('02-01-2017 00:00', 'row 2 of austin.csv') // ok: { iso: '2017-02-01', dayOfWeek: 'Wed', ... }
 */
export function parseIncidentDate(cell: string, where: string, now = new Date()): Outcome<IncidentDate> {
  const text = cell.trim()
  const found = `at ${where} (got ${JSON.stringify(cell)})`
  if (!text) return invalid('parse', 'missing_date', `Expected a date like 03/21/2017 in "Date of Incident" ${found}`)
  const match = DATE.exec(text)
  if (!match) return invalid('parse', 'bad_date', `Expected a date like 03/21/2017 in "Date of Incident" ${found}`)
  const [month, day, year] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return invalid('parse', 'impossible_date', `Expected a real calendar date (month first) in "Date of Incident" ${found}`)
  }
  const latest = now.getUTCFullYear() + 1
  if (year < EARLIEST_YEAR || year > latest) {
    return invalid('parse', 'date_out_of_range', `Expected a year from ${EARLIEST_YEAR} to ${latest} in "Date of Incident" ${found}`)
  }
  // 1970-01-01 was a Thursday: day 0 of the epoch is index 3 of Mon..Sun.
  const weekday = (Math.floor(Date.UTC(year, month - 1, day) / DAY_MS) + 3) % 7
  return ok({
    iso: `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`,
    year,
    month,
    day,
    quarter: Math.ceil(month / 3),
    dayOfWeek: DAY_NAMES[weekday < 0 ? weekday + 7 : weekday],
  })
}

const DAY_MS = 86_400_000

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
}

/**
 * Whether a source `Month` label (Jan, January, 1, 01) names a different month; blank is no mismatch.
 *
 * @example
 * monthMismatch('Jan', 12) // true
 */
export function monthMismatch(label: string, month: number): boolean {
  const text = label.trim().toLowerCase()
  if (!text) return false
  if (/^\d{1,2}$/.test(text)) return Number(text) !== month
  return !text.startsWith(MONTH_NAMES[month - 1].toLowerCase())
}

/**
 * Whether a source `Day of Week` label (Mon, Monday) names a different weekday; blank is no mismatch.
 *
 * @example
 * dayMismatch('Sat', 'Thu') // true
 */
export function dayMismatch(label: string, dayOfWeek: string): boolean {
  const text = label.trim().toLowerCase()
  if (!text) return false
  return !text.startsWith(dayOfWeek.toLowerCase())
}

/**
 * The year prefix of an incident number (`2019-8000242` -> 2019), which the source uses as its dataset
 * year and which can differ from the incident's own year.
 */
export function datasetYear(incidentNumber: string): number | null {
  const match = /^(\d{4})-/.exec(incidentNumber.trim())
  return match ? Number(match[1]) : null
}
