import { describeOrigin, invalid, ok, type Origin, type Outcome } from '../core/record.ts'
import { detached, shown } from './raw-row.ts'

export const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const
export const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

/** A calendar date with the parts the lake partitions and charts by. */
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
// 2.1). The time is always a midnight placeholder, so it is matched and dropped; anything else after
// the date makes the cell unreadable rather than half-read.
const DATE = /^(\d{1,2})([-/])(\d{1,2})\2(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?$/
const EARLIEST_YEAR = 1990
const DAY_MS = 86_400_000
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * Reads a month-first date (Austin's `Date of Incident`, NYPD's `Record Create Date`; `column`
 * names it in messages) into a calendar date, with no Date parsing of strings and so no time-zone
 * drift. Blank, unreadable and impossible dates (02/30/2017) and years outside 1990..next year are
 * invalid; the message names the column, the origin when given, and the cell.
 *
 * @example
 * parseIncidentDate('02-01-2017 00:00') // ok: { iso: '2017-02-01', dayOfWeek: 'Wed', quarter: 1, ... }
 * parseIncidentDate('2017-13-45', { kind: 'file', file: 'austin.csv', row: 17 })
 * // invalid: Expected a date like 03/21/2017 in "Date of Incident" at row 17 of austin.csv (got "2017-13-45")
 */
export function parseIncidentDate(cell: string, origin?: Origin, now?: Date, column = 'Date of Incident'): Outcome<IncidentDate> {
  const known = now ? undefined : ACCEPTED.get(cell)
  if (known) return known
  const text = cell.trim()
  const match = DATE.exec(text)
  if (!match) {
    const code = text ? 'bad_date' : 'missing_date'
    return invalid('parse', code, `Expected a date like 03/21/2017 in "${column}"${at(origin)} (got ${shown(cell)})`)
  }
  const outcome = calendarDate(Number(match[4]), Number(match[1]), Number(match[3]), cell, { column: `"${column}"`, example: 'month first like 03/21/2017', origin, now })
  if (!outcome.ok) return outcome
  // Only dates read against the clock are kept: the clock's latest year never goes down, so an
  // accepted date stays accepted, while a pinned `now` may be any year.
  if (!now) rememberAccepted(cell, outcome)
  return outcome
}

/** Where a date cell was read, for messages: the column as quoted, its format (`like 21-Nov-20`), the origin. */
export interface DateCellPlace {
  column: string
  example: string
  origin?: Origin
  /** The clock that bounds plausible years. */
  now?: Date
}

/**
 * A year, month and day read from a cell into a checked calendar date: impossible dates
 * (02/30/2017) and years outside 1990..next year are invalid, with a message that names the
 * column, the origin and the cell. Every layout's date reader ends here.
 *
 * @example
 * calendarDate(2020, 11, 21, '21-Nov-20', { column: '"INCIDENT_DATE"', example: 'like 21-Nov-20' }) // ok: { iso: '2020-11-21', dayOfWeek: 'Sat', ... }
 */
export function calendarDate(year: number, month: number, day: number, cell: string, place: DateCellPlace): Outcome<IncidentDate> {
  const where = `${place.column}${at(place.origin)} (got ${shown(cell)})`
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return invalid('parse', 'impossible_date', `Expected a real calendar date, ${place.example}, in ${where}`)
  }
  const latest = latestYear(place.now)
  if (year < EARLIEST_YEAR || year > latest) {
    return invalid('parse', 'date_out_of_range', `Expected a year from ${EARLIEST_YEAR} to ${latest} in ${where}`)
  }
  // 1970-01-01 was a Thursday, index 3 of Mon..Sun; Date.UTC is arithmetic, never a local time.
  const weekday = (((Math.floor(Date.UTC(year, month - 1, day) / DAY_MS) + 3) % 7) + 7) % 7
  return ok({
    iso: `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`,
    year,
    month,
    day,
    quarter: Math.ceil(month / 3),
    dayOfWeek: DAY_NAMES[weekday],
  })
}

// Millions of rows share a few thousand date cells; each is read once. Emptied when full.
const ACCEPTED = new Map<string, Outcome<IncidentDate>>()
function rememberAccepted(cell: string, outcome: Outcome<IncidentDate>): void {
  if (ACCEPTED.size >= 20_000) ACCEPTED.clear()
  ACCEPTED.set(detached(cell), outcome)
}

const at = (origin: Origin | undefined) => (origin ? ` at ${describeOrigin(origin)}` : '')

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1]
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
}

/** The latest plausible incident year: next year, by `now` or the clock. */
function latestYear(now: Date | undefined): number {
  return (now ?? new Date()).getUTCFullYear() + 1
}

// Source labels in the spellings seen or likely: Jan, January, Sept, 1, 01; Mon, Monday, Tues, Thurs.
const MONTH_LABELS = new Map<string, number>()
const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
FULL_MONTHS.forEach((name, index) => {
  const labels = [name, name.slice(0, 3), MONTH_NAMES[index], name.charAt(0).toUpperCase() + name.slice(1)]
  for (const label of [...labels, String(index + 1), String(index + 1).padStart(2, '0')]) MONTH_LABELS.set(label, index + 1)
})
MONTH_LABELS.set('sept', 9)
const DAY_LABELS = new Map<string, string>()
const FULL_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']
FULL_DAYS.forEach((name, index) => {
  for (const label of [name, name.slice(0, 3), DAY_NAMES[index], name.charAt(0).toUpperCase() + name.slice(1)]) DAY_LABELS.set(label, DAY_NAMES[index])
})
DAY_LABELS.set('tues', 'Tue').set('thur', 'Thu').set('thurs', 'Thu')

/**
 * Whether a source `Month` label names another month than the date's. Blank is no mismatch; a label
 * that names no month at all is one.
 *
 * @example
 * monthMismatch('Jan', 12) // true: the incident of 2018-12-29 reported in January
 * monthMismatch('December', 12) // false
 */
export function monthMismatch(label: string, month: number): boolean {
  if (!label) return false
  return (MONTH_LABELS.get(label) ?? MONTH_LABELS.get(label.toLowerCase().replace(/\.$/, ''))) !== month
}

/**
 * Whether a source `Day of Week` label names another weekday than the date's (Mon..Sun). Blank is no
 * mismatch; a label that names no weekday at all is one.
 *
 * @example
 * dayMismatch('Sat', 'Thu') // true
 * dayMismatch('Thursday', 'Thu') // false
 */
export function dayMismatch(label: string, dayOfWeek: string): boolean {
  if (!label) return false
  return (DAY_LABELS.get(label) ?? DAY_LABELS.get(label.toLowerCase().replace(/\.$/, ''))) !== dayOfWeek
}

/**
 * The year prefix of an incident number (`2019-8000242` -> 2019), which the source uses as its
 * dataset year and which can differ from the incident's own year; null when there is none.
 *
 * @example
 * datasetYear('2019-8000242') // 2019
 */
export function datasetYear(incidentNumber: string): number | null {
  if (incidentNumber.length < 6 || incidentNumber.charCodeAt(4) !== 45 /* - */) return null
  let year = 0
  for (let i = 0; i < 4; i++) {
    const digit = incidentNumber.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return null
    year = year * 10 + digit
  }
  return year
}
