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
  const time = Date.UTC(year, month - 1, day)
  const utc = new Date(time)
  if (month < 1 || month > 12 || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) {
    return invalid('parse', 'impossible_date', `Expected a real calendar date (month first) in "Date of Incident" ${found}`)
  }
  const latest = now.getUTCFullYear() + 1
  if (year < EARLIEST_YEAR || year > latest) {
    return invalid('parse', 'date_out_of_range', `Expected a year from ${EARLIEST_YEAR} to ${latest} in "Date of Incident" ${found}`)
  }
  return ok({
    iso: utc.toISOString().slice(0, 10),
    year,
    month,
    day,
    quarter: Math.ceil(month / 3),
    dayOfWeek: DAY_NAMES[(utc.getUTCDay() + 6) % 7],
  })
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
