import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { Origin } from '../../src/core/record.ts'
import { datasetYear, dayMismatch, monthMismatch, parseIncidentDate } from '../../src/transforms/incident-date.ts'

const NOW = new Date('2026-06-01T00:00:00Z')
const ORIGIN: Origin = { kind: 'file', file: 'data/t.csv', row: 2 }
const parse = (cell: string) => parseIncidentDate(cell, ORIGIN, NOW)

test('both Austin date formats read month-first', () => {
  const slash = parse('03/21/2017 12:00:00 AM')
  const dash = parse('02-01-2017 00:00')
  assert.ok(slash.ok && dash.ok)
  assert.equal(slash.value.iso, '2017-03-21')
  assert.equal(dash.value.iso, '2017-02-01', 'dash dates are month-first, not day-first')
  assert.equal(dash.value.dayOfWeek, 'Wed')
  const december = parse('12-11-2021 00:00')
  assert.ok(december.ok)
  assert.deepEqual([december.value.month, december.value.day], [12, 11])
  const bare = parse('1/5/2020')
  assert.ok(bare.ok, 'a date without its time placeholder')
  assert.equal(bare.value.iso, '2020-01-05')
})

test('the clock-bounded reading gives the same dates, read again from its memo', () => {
  const first = parseIncidentDate('07/04/2021 12:00:00 AM')
  const second = parseIncidentDate('07/04/2021 12:00:00 AM')
  assert.ok(first.ok && second.ok)
  assert.equal(first.value.iso, '2021-07-04')
  assert.equal(second.value.dayOfWeek, 'Sun')
})

test('no time-zone drift whatever the process time zone', () => {
  const previous = process.env.TZ
  try {
    for (const zone of ['Asia/Kolkata', 'Pacific/Kiritimati', 'America/Adak']) {
      process.env.TZ = zone
      const outcome = parse('01-01-2017 00:00')
      assert.ok(outcome.ok)
      assert.deepEqual([outcome.value.iso, outcome.value.dayOfWeek], ['2017-01-01', 'Sun'], zone)
    }
  } finally {
    if (previous === undefined) delete process.env.TZ
    else process.env.TZ = previous
  }
})

test('year, month, quarter and weekday come from the date, leap days included', () => {
  const outcome = parse('12/29/2018 12:00:00 AM')
  assert.ok(outcome.ok)
  assert.deepEqual(outcome.value, { iso: '2018-12-29', year: 2018, month: 12, day: 29, quarter: 4, dayOfWeek: 'Sat' })
  const leap = parse('02/29/2024 12:00:00 AM')
  assert.ok(leap.ok)
  assert.deepEqual([leap.value.quarter, leap.value.dayOfWeek], [1, 'Thu'])
  const weekdays = ['03/20/2017', '03/21/2017', '03/22/2017', '03/23/2017', '03/24/2017', '03/25/2017', '03/26/2017'].map((cell) => {
    const day = parse(cell)
    return day.ok ? day.value.dayOfWeek : 'invalid'
  })
  assert.deepEqual(weekdays, ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])
})

test('blank, unreadable, impossible and out-of-range dates are invalid, each with its code', () => {
  const cases: [string, string][] = [
    ['', 'missing_date'],
    ['   ', 'missing_date'],
    ['2017-13-45', 'bad_date'],
    ['March 3rd', 'bad_date'],
    ['03/21-2017', 'bad_date'],
    ['03/21/2017 lunchtime', 'bad_date'],
    ['02/30/2017', 'impossible_date'],
    ['02/29/2023', 'impossible_date'],
    ['13/01/2017', 'impossible_date'],
    ['00/10/2017', 'impossible_date'],
    ['01/01/1889', 'date_out_of_range'],
    ['01/01/2028', 'date_out_of_range'],
  ]
  for (const [cell, code] of cases) {
    const outcome = parse(cell)
    assert.ok(!outcome.ok, cell)
    assert.deepEqual([outcome.rejection.stage, outcome.rejection.code], ['parse', code], cell)
    assert.ok(outcome.rejection.message.endsWith(`in "Date of Incident" at row 2 of t.csv (got ${JSON.stringify(cell)})`), outcome.rejection.message)
  }
  assert.ok(parse('12/31/2027').ok, 'next year is still plausible')
})

test('rejection messages say what was expected, where, and what was found', () => {
  const messageOf = (cell: string, origin?: Origin) => {
    const outcome = parseIncidentDate(cell, origin, NOW)
    return outcome.ok ? '' : outcome.rejection.message
  }
  assert.equal(messageOf('2017-13-45', ORIGIN), 'Expected a date like 03/21/2017 in "Date of Incident" at row 2 of t.csv (got "2017-13-45")')
  assert.equal(messageOf('2017-13-45'), 'Expected a date like 03/21/2017 in "Date of Incident" (got "2017-13-45")')
  assert.equal(messageOf('02/30/2017'), 'Expected a real calendar date, month first like 03/21/2017, in "Date of Incident" (got "02/30/2017")')
  assert.equal(messageOf('01/01/2031'), 'Expected a year from 1990 to 2027 in "Date of Incident" (got "01/01/2031")')
  const kafka: Origin = { kind: 'kafka', topic: 'raw', partition: 1, offset: 9n }
  assert.match(messageOf('x', kafka), / at offset 9 of raw\/1 /)
})

test('month labels are compared in any common spelling', () => {
  assert.equal(monthMismatch('Jan', 12), true, 'the Jan-labelled 2018-12-29 incident')
  for (const label of ['Dec', 'December', 'DEC', 'dec.', '12']) assert.equal(monthMismatch(label, 12), false, label)
  for (const label of ['Sep', 'Sept', 'September', '9', '09']) assert.equal(monthMismatch(label, 9), false, label)
  assert.equal(monthMismatch('1', 12), true)
  assert.equal(monthMismatch('Decembre', 12), true, 'a label naming no month is a mismatch')
  assert.equal(monthMismatch('', 12), false, 'a blank label is no mismatch')
})

test('weekday labels are compared in any common spelling', () => {
  assert.equal(dayMismatch('Sat', 'Thu'), true, 'the Sat-labelled 2019-04-04 incident')
  for (const label of ['Thu', 'Thursday', 'THURS', 'Thur', 'thu.']) assert.equal(dayMismatch(label, 'Thu'), false, label)
  assert.equal(dayMismatch('Mon', 'Tue'), true)
  assert.equal(dayMismatch('Someday', 'Tue'), true)
  assert.equal(dayMismatch('', 'Tue'), false)
})

test('the dataset year is the incident-number prefix', () => {
  assert.equal(datasetYear('2019-8000242'), 2019)
  assert.equal(datasetYear('2025-9001420'), 2025)
  assert.equal(datasetYear('ABC'), null)
  assert.equal(datasetYear('20X9-1234'), null)
  assert.equal(datasetYear('201912345'), null)
})
