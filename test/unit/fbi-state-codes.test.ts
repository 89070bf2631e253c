import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mapFbiState } from '../../src/layouts/fbi-cde/state-codes.ts'
import { STATE_ABBREVIATIONS } from '../../src/population/place-names.ts'

// Every STATE_ABBR of data/fbi_cde_hate_crime_1991_2020.zip (counted with DuckDB over the unzipped CSV).
const FILE_CODES =
  'AK AL AR AZ CA CO CT DC DE FL FS GA GM HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NB NC ND NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY'.split(' ')

test('every state code of the FBI national file becomes a USPS code, or no state with a flag saying why', () => {
  for (const code of FILE_CODES) {
    const { state, flags } = mapFbiState(code)
    const usps = state !== null && (STATE_ABBREVIATIONS.has(state) || state === 'GU')
    assert.ok(usps || flags.length > 0, `${code} gave ${state} with no flag`)
    assert.ok(!flags.includes('unmapped_state'), `${code} is a code of the file, so it is known`)
  }
  const states = new Set(FILE_CODES.map((code) => mapFbiState(code).state).filter((state) => state !== null))
  assert.equal([...states].filter((state) => STATE_ABBREVIATIONS.has(state)).length, 51, 'the 50 states and DC, Nebraska included')
})

test("the FBI's own codes: NB is Nebraska (NE), GM is Guam (GU), FS (Federal) is no state", () => {
  assert.deepEqual(mapFbiState('NB'), { state: 'NE', flags: ['nonstandard_state_code'] })
  assert.deepEqual(mapFbiState('GM'), { state: 'GU', flags: ['nonstandard_state_code'] })
  assert.deepEqual(mapFbiState('FS'), { state: null, flags: ['federal_agency'] })
  assert.deepEqual(mapFbiState(' ne '), { state: 'NE', flags: [] })
  assert.deepEqual(mapFbiState('PR'), { state: 'PR', flags: [] })
  assert.deepEqual(mapFbiState(''), { state: null, flags: [] })
})

test('a code that is neither USPS nor the FBI\'s own is kept as written and flagged, never guessed', () => {
  assert.deepEqual(mapFbiState('XX'), { state: 'XX', flags: ['unmapped_state'] })
  assert.deepEqual(mapFbiState('Texas'), { state: 'Texas', flags: ['unmapped_state'] })
})
