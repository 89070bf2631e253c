import { test } from 'node:test'
import assert from 'node:assert/strict'
import { HatecrimesError } from '../../src/core/errors.ts'
import { AUSTIN_APD } from '../../src/layouts/austin-apd/layout.ts'
import { headerKey, matchHeader, rowOf } from '../../src/layouts/layout.ts'
import { detectLayout, layoutById, LAYOUTS } from '../../src/layouts/registry.ts'

const AUSTIN_2017_2025 = AUSTIN_APD.columns.map((column) => column.names[0])

test('header keys ignore case, spacing, punctuation and a byte-order mark', () => {
  assert.equal(headerKey('\uFEFF Offense (S) '), headerKey('Offense(s)'))
  assert.equal(headerKey('race_ethnicity_of_offenders'), headerKey('Race/Ethnicity of Offenders'))
  assert.notEqual(headerKey('Offense Location'), headerKey('Offense'))
})

test('the Austin header is found in any order, with renames, misspellings and extra columns, and what was not read is reported', () => {
  const header = [
    'Notes',
    'BIAS MOTIVATION',
    'incident_number',
    'Date of Incident',
    'Number of Vicitms under 18',
    'number of victims over 18',
    'Number of Offenders Under 18',
    'Number of Offenders Over 18',
    'Offenders Race/Ethnicity',
    'Offence(s)',
    'Offense Location',
    'Sector',
    'District',
  ]
  const match = detectLayout(header, 'row 1 of austin-2019.csv')
  assert.equal(match.layout.id, 'austin_apd')
  assert.deepEqual(match.missing, [])
  assert.deepEqual(match.absent, ['Month', 'Day of Week', 'Zip Code'])
  assert.deepEqual(match.extra, ['Notes'])
  const fields = header.map((_, i) => `v${i}`)
  const raw = rowOf(match, fields)
  assert.equal(raw.bias, 'v1')
  assert.equal(raw.offenses, 'v9')
  assert.equal(raw.council_district, 'v12')
  assert.equal(raw.zip_code, '', 'an optional column the file lacks reads as blank')
})

test('the first header cell that claims a column wins; a duplicate is reported as extra', () => {
  const match = matchHeader(AUSTIN_APD, [...AUSTIN_2017_2025, 'Bias'])
  assert.equal(match.indexes[match.columns.indexOf('bias')], AUSTIN_2017_2025.indexOf('Bias'))
  assert.deepEqual(match.extra, ['Bias'])
})

test('a header of no known layout names the known layouts and what the closest one was missing', () => {
  assert.throws(
    () => detectLayout(AUSTIN_2017_2025.filter((name) => name !== 'Bias' && name !== 'Offense(s)'), 'row 1 of odd.csv'),
    (error: unknown) => {
      assert.ok(error instanceof HatecrimesError)
      assert.equal(error.code, 'BAD_INPUT')
      const known = LAYOUTS.map((layout) => layout.id).join(', ')
      assert.ok(error.message.startsWith(`Expected the header of a known layout (${known}) in row 1 of odd.csv; the closest, austin_apd, is missing "Offense(s)", "Bias"`), error.message)
      return true
    },
  )
})

test('a forced layout is used as given, and an unknown layout id is a clear option error', () => {
  assert.equal(detectLayout(AUSTIN_2017_2025, 'row 1 of a.csv', layoutById('austin_apd')).layout, AUSTIN_APD)
  assert.throws(() => detectLayout(['a', 'b'], 'row 1 of b.csv', AUSTIN_APD), /^HatecrimesError: Expected the austin_apd header \(Austin Police Department hate crimes\) in row 1 of b\.csv; the closest, austin_apd, is missing "Incident Number"/)
  assert.throws(() => layoutById('chicago'), (error: unknown) => error instanceof HatecrimesError && error.code === 'BAD_OPTION' && /one of austin_apd.* \(got "chicago"\)/.test(error.message))
})
