import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { RawRow } from '../../src/core/record.ts'
import { FBI_CDE, mapFbiBias, mapFbiLocation, mapFbiOffenses } from '../../src/layouts/fbi-cde/layout.ts'
import { fullYear, parseFbiDate } from '../../src/layouts/fbi-cde/fbi-date.ts'
import { mapFbiRace, mapVictimTypes } from '../../src/layouts/fbi-cde/vocabulary.ts'
import { rowOf } from '../../src/layouts/layout.ts'
import { detectLayout } from '../../src/layouts/registry.ts'

const UPPER =
  'INCIDENT_ID,DATA_YEAR,ORI,PUB_AGENCY_NAME,PUB_AGENCY_UNIT,AGENCY_TYPE_NAME,STATE_ABBR,STATE_NAME,DIVISION_NAME,REGION_NAME,POPULATION_GROUP_CODE,POPULATION_GROUP_DESC,INCIDENT_DATE,ADULT_VICTIM_COUNT,JUVENILE_VICTIM_COUNT,TOTAL_OFFENDER_COUNT,ADULT_OFFENDER_COUNT,JUVENILE_OFFENDER_COUNT,OFFENDER_RACE,OFFENDER_ETHNICITY,VICTIM_COUNT,OFFENSE_NAME,TOTAL_INDIVIDUAL_VICTIMS,LOCATION_NAME,BIAS_DESC,VICTIM_TYPES,MULTIPLE_OFFENSE,MULTIPLE_BIAS'.split(',')
const LOWER = UPPER.map((name) => name.toLowerCase().replace('pub_agency_name', 'pug_agency_name').replace('population_group_desc', 'population_group_description'))
const ROW = ['1318023', '2020', 'TX2270100', 'Austin', '', 'City', 'TX', 'Texas', 'West South Central', 'South', '2', 'Cities from 500,000 thru 999,999', '21-Nov-20', '1', '0', '2', '', '', 'White', 'Not Hispanic or Latino', '2', 'Simple Assault;Destruction/Damage/Vandalism of Property', '1', 'Residence/Home', 'Anti-Gay (Male);Anti-Other Christian', 'Individual;Business', 'M', 'M']
const context = { origin: { kind: 'file' as const, file: 'hate_crime.csv', row: 2 }, source: 'fbi_cde', ingestedAt: 0n, now: new Date('2026-06-01T00:00:00Z') }

function rawOf(header: readonly string[], fields: readonly string[]): RawRow {
  return rowOf(detectLayout(header, 'row 1 of hate_crime.csv'), fields)
}

test('both FBI headers are the fbi_cde layout: the upper-case 1991-2020 one and the newer lower-case one', () => {
  assert.equal(detectLayout(UPPER, 'a').layout.id, 'fbi_cde')
  const lower = detectLayout(LOWER, 'b')
  assert.equal(lower.layout.id, 'fbi_cde')
  assert.deepEqual([lower.absent, lower.extra], [[], []])
  assert.equal(rawOf(LOWER, ROW).pub_agency_name, 'Austin')
  assert.equal(rawOf(LOWER, ROW).population_group_desc, 'Cities from 500,000 thru 999,999')
})

test('two-digit years take their century from DATA_YEAR', () => {
  assert.equal(fullYear(20, 2020), 2020)
  assert.equal(fullYear(91, 1991), 1991)
  assert.equal(fullYear(99, 2000), 1999, 'an incident of the year before, reported late')
  assert.equal(fullYear(0, 1999), 2000, 'reported in the last year of a century, dated the first of the next')
  const date = parseFbiDate('21-Nov-20', '2020')
  assert.ok(date.ok)
  assert.deepEqual([date.value.iso, date.value.dayOfWeek, date.value.quarter], ['2020-11-21', 'Sat', 4])
  const late = parseFbiDate('31-Dec-99', '2000')
  assert.ok(late.ok && late.value.iso === '1999-12-31')
  const iso = parseFbiDate('2021-03-04', '2021')
  assert.ok(iso.ok && iso.value.iso === '2021-03-04')
})

test('unreadable FBI dates are rejected with the column, the cell and why', () => {
  const bad = parseFbiDate('31-Foo-20', '2020')
  assert.ok(!bad.ok && bad.rejection.code === 'bad_date' && /Expected a date like 21-Nov-20 in "INCIDENT_DATE" \(got "31-Foo-20"\)/.test(bad.rejection.message))
  const impossible = parseFbiDate('30-Feb-20', '2020')
  assert.ok(!impossible.ok && impossible.rejection.code === 'impossible_date')
  const noYear = parseFbiDate('21-Nov-20', '')
  assert.ok(!noYear.ok && /DATA_YEAR/.test(noYear.rejection.message))
})

test('multi-valued cells split on ";" and map to FBI names with no unmapped value', () => {
  const biases = mapFbiBias('Anti-Gay (Male);Anti-Other Christian')
  assert.deepEqual([biases.codes, biases.category, biases.flags], [['41', '82'], 'Multiple', []])
  assert.deepEqual(mapFbiBias("Unknown (offender's motivation not known)").categories, ['None/Unknown'])
  assert.deepEqual(mapFbiBias('Anti-Sikh;Anti-Mormon').category, 'Religion')
  const offenses = mapFbiOffenses('Simple Assault;Destruction/Damage/Vandalism of Property')
  assert.deepEqual([offenses.codes, offenses.against, offenses.group], [['13B', '290'], ['Persons', 'Property'], 'Multiple'])
  assert.deepEqual(mapFbiOffenses('Human Trafficking, Commercial Sex Acts').codes, ['64A'], 'a comma inside one name')
  assert.deepEqual(mapFbiLocation('Highway/Road/Alley/Street/Sidewalk;Residence/Home'), { location: 'Multiple', flags: ['multiple_location'], raw: 'Highway/Road/Alley/Street/Sidewalk;Residence/Home' })
  assert.deepEqual(mapFbiLocation('Residence/Home;Residence/Home').location, 'Residence/Home')
  assert.deepEqual(mapVictimTypes('Individual;Society/Public'), { types: ['Individual', 'Society/Public'], flags: [] })
  assert.deepEqual(mapVictimTypes(''), { types: null, flags: [] })
  assert.deepEqual(mapFbiRace('Martian', '').flags, ['unmapped_race_ethnicity'])
})

test('an FBI row becomes the canonical record with its agency; blank counts are unknown, never 0', () => {
  const outcome = FBI_CDE.transform(rawOf(UPPER, ROW), context)
  assert.ok(outcome.ok)
  const record = outcome.value
  assert.deepEqual(
    [record.agency_ori, record.agency_name, record.agency_type, record.city, record.state, record.population_group],
    ['TX2270100', 'Austin', 'City', 'Austin', 'TX', 'Cities from 500,000 thru 999,999'],
  )
  assert.deepEqual([record.incident_id, record.incident_date, record.year, record.dataset_year], ['1318023', '2020-11-21', 2020, 2020])
  assert.deepEqual([record.victims_adult, record.victims_juvenile, record.victims_total], [1, 0, 1])
  assert.deepEqual([record.offenders_total, record.offenders_adult, record.offenders_juvenile, record.offender_count_known], [2, null, null, true])
  assert.deepEqual([record.offender_race, record.offender_ethnicity, record.raw_race_ethnicity], ['White', 'Not Hispanic or Latino', 'White/Not Hispanic or Latino'])
  assert.deepEqual(record.victim_types, ['Individual', 'Business'])
  assert.equal(record.multiple_bias, true)
  assert.deepEqual(record.quality_flags, [])
  assert.equal(record.zip_code, null)
  const unknownOffenders = FBI_CDE.transform(rawOf(UPPER, ROW.map((cell, i) => (i === 15 ? '0' : i === 0 ? '7' : cell))), context)
  assert.ok(unknownOffenders.ok)
  assert.deepEqual([unknownOffenders.value.offenders_total, unknownOffenders.value.offender_count_known], [null, false])
  const county = FBI_CDE.transform(rawOf(UPPER, ROW.map((cell, i) => (i === 5 ? 'County' : cell))), context)
  assert.ok(county.ok && county.value.city === null)
})
