import { test } from 'node:test'
import assert from 'node:assert/strict'
import { datasetYear, dayMismatch, monthMismatch, parseIncidentDate } from '../../src/transforms/incident-date.ts'

const NOW = new Date('2026-06-01T00:00:00Z')
const parse = (cell: string) => parseIncidentDate(cell, 'row 2 of t.csv', NOW)

test('both Austin date formats read month-first', () => {
  const slash = parse('03/21/2017 12:00:00 AM')
  const dash = parse('02-01-2017 00:00')
  assert.ok(slash.ok && dash.ok)
  assert.equal(slash.value.iso, '2017-03-21')
  assert.equal(dash.value.iso, '2017-02-01', 'dash dates are month-first, not day-first')
  assert.equal(dash.value.dayOfWeek, 'Wed')
  const december = parse('12-11-2021 00:00')
  assert.ok(december.ok)
  assert.equal(december.value.month, 12)
})

test('no time-zone drift whatever the process time zone', () => {
  const previous = process.env.TZ
  process.env.TZ = 'Asia/Kolkata'
  try {
    const outcome = parse('01-01-2017 00:00')
    assert.ok(outcome.ok)
    assert.equal(outcome.value.iso, '2017-01-01')
    assert.equal(outcome.value.dayOfWeek, 'Sun')
  } finally {
    process.env.TZ = previous
  }
})

test('year, month, quarter and weekday come from the date', () => {
  const outcome = parse('12/29/2018 12:00:00 AM')
  assert.ok(outcome.ok)
  assert.deepEqual(outcome.value, { iso: '2018-12-29', year: 2018, month: 12, day: 29, quarter: 4, dayOfWeek: 'Sat' })
})

test('unreadable, impossible and out-of-range dates are invalid with a message naming the row', () => {
  const cases: [string, string][] = [
    ['', 'missing_date'],
    ['2017-13-45', 'bad_date'],
    ['02/30/2017', 'impossible_date'],
    ['13/01/2017', 'impossible_date'],
    ['01/01/1889', 'date_out_of_range'],
    ['01/01/2031', 'date_out_of_range'],
  ]
  for (const [cell, code] of cases) {
    const outcome = parse(cell)
    assert.ok(!outcome.ok, cell)
    assert.equal(outcome.rejection.code, code, cell)
    assert.equal(outcome.rejection.stage, 'parse')
    assert.match(outcome.rejection.message, /"Date of Incident" at row 2 of t\.csv \(got /)
  }
  const bad = parse('2017-13-45')
  assert.ok(!bad.ok)
  assert.equal(bad.rejection.message, 'Expected a date like 03/21/2017 in "Date of Incident" at row 2 of t.csv (got "2017-13-45")')
})

test('month and weekday labels are compared in any common spelling', () => {
  assert.equal(monthMismatch('Jan', 12), true, 'the Jan-labelled 2018-12-29 incident')
  assert.equal(monthMismatch('Dec', 12), false)
  assert.equal(monthMismatch('December', 12), false)
  assert.equal(monthMismatch('12', 12), false)
  assert.equal(monthMismatch('', 12), false)
  assert.equal(dayMismatch('Sat', 'Thu'), true)
  assert.equal(dayMismatch('Thursday', 'Thu'), false)
})

test('the dataset year is the incident-number prefix', () => {
  assert.equal(datasetYear('2019-8000242'), 2019)
  assert.equal(datasetYear('ABC'), null)
})
