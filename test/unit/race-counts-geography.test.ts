import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseCounts, total } from '../../src/transforms/counts.ts'
import { parseGeography } from '../../src/transforms/geography.ts'
import { parseRaceEthnicity } from '../../src/transforms/race-ethnicity.ts'

test('every race/ethnicity composite in the Austin file maps to the FBI vocabularies', () => {
  const cases: [string, string, string][] = [
    ['White/Non-Hispanic', 'White', 'Not Hispanic or Latino'],
    ['White/NotHispanic', 'White', 'Not Hispanic or Latino'],
    ['White/Not Hispanic', 'White', 'Not Hispanic or Latino'],
    ['White/Hispanic', 'White', 'Hispanic or Latino'],
    ['White/Hispanic or Latino', 'White', 'Hispanic or Latino'],
    ['White/Unknown', 'White', 'Unknown'],
    ['Black/Non-Hispanic', 'Black or African American', 'Not Hispanic or Latino'],
    ['Black or African American/Not Hispanic', 'Black or African American', 'Not Hispanic or Latino'],
    ['Black/NotHispanic', 'Black or African American', 'Not Hispanic or Latino'],
    ['Asian/NotHispanic', 'Asian', 'Not Hispanic or Latino'],
    ['Unknown', 'Unknown', 'Unknown'],
    ['Unknown/Hispanic', 'Unknown', 'Hispanic or Latino'],
    ['Group of Multiple Races', 'Multiple', 'Unknown'],
    ['Black and White/Non-Hispanic', 'Multiple', 'Not Hispanic or Latino'],
    ['White & Asian/Hispanic & Non-Hispanic', 'Multiple', 'Multiple'],
    ['White/Hispanic & Non-Hispanic', 'White', 'Multiple'],
    ['White/Non-Hispanic/Hispanic', 'White', 'Multiple'],
    ['White/Hispanic (2) White/NonHispanic (2)', 'White', 'Multiple'],
    ['White/Hispanic (3)', 'White', 'Hispanic or Latino'],
    ['Hispanic', 'Unknown', 'Hispanic or Latino'],
  ]
  for (const [cell, race, ethnicity] of cases) assert.deepEqual(parseRaceEthnicity(cell), { race, ethnicity }, cell)
  assert.equal(parseRaceEthnicity('Martian/Non-Hispanic'), undefined)
})

const cells = (v0: string, v1: string, o0: string, o1: string, race = 'White/Hispanic') => ({
  victimsUnder18: v0,
  victimsOver18: v1,
  offendersUnder18: o0,
  offendersOver18: o1,
  offenderRace: race,
})

test('unknown counts are NULL, never 0', () => {
  const counts = parseCounts(cells('Unknown', '', 'unknown', '2'))
  assert.equal(counts.victimsJuvenile, null)
  assert.equal(counts.victimsAdult, null)
  assert.equal(counts.offendersJuvenile, null)
  assert.equal(counts.offendersAdult, 2)
  assert.equal(counts.offenderCountKnown, false)
  assert.equal(total(counts.victimsJuvenile, 1), null)
})

test('0/0 offenders with race Unknown means the count is unknown', () => {
  const unknown = parseCounts(cells('0', '1', '0', '0', 'Unknown'))
  assert.equal(unknown.offendersJuvenile, null)
  assert.equal(unknown.offendersAdult, null)
  assert.deepEqual(unknown.flags, ['offenders_zero_zero_unknown'])
  const known = parseCounts(cells('0', '0', '0', '0', 'White/Hispanic'))
  assert.equal(known.offendersAdult, 0, 'a 0/0 with a known race stays 0')
  assert.equal(known.victimsAdult, 0)
})

test('a count that is not a whole number is NULL and flagged, not guessed', () => {
  const counts = parseCounts(cells('two', '1.5', '0', '1'))
  assert.equal(counts.victimsJuvenile, null)
  assert.equal(counts.victimsAdult, null)
  assert.deepEqual(counts.flags, ['unparsed_victims_juvenile', 'unparsed_victims_adult'])
})

test('zip codes stay strings; sector and district are cleaned and checked', () => {
  assert.deepEqual(parseGeography('78701', 'GEORGE', '9'), {
    zipCode: '78701',
    zipValid: true,
    sector: 'George',
    councilDistrict: 9,
    flags: [],
  })
  const blank = parseGeography('', '', '')
  assert.equal(blank.zipCode, null)
  assert.equal(blank.councilDistrict, null)
  assert.deepEqual(blank.flags, ['missing_geography'])
  const odd = parseGeography('12345', 'University of Texas', '14')
  assert.equal(odd.zipCode, '12345')
  assert.equal(odd.zipValid, false)
  assert.equal(odd.sector, 'University of Texas')
  assert.equal(odd.councilDistrict, null)
  assert.deepEqual(odd.flags, ['zip_outside_austin', 'non_apd_sector', 'unparsed_council_district'])
  assert.equal(parseGeography('78617', 'Airport', '2').sector, 'Airport')
})
