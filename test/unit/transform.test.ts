import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { IncidentRecord, Origin, RawRow } from '../../src/core/record.ts'
import { AUSTIN_COLUMN_IDS } from '../../src/layouts/austin-apd/columns.ts'
import { toRawRow as toRawIn } from '../../src/transforms/raw-row.ts'
import { AUSTIN_APD } from '../../src/layouts/austin-apd/layout.ts'
import { qualityFlags } from '../../src/transforms/transform.ts'

const transformRow = AUSTIN_APD.transform
const toRawRow = (value: unknown) => toRawIn(value, AUSTIN_COLUMN_IDS)
import { MESSY_ROWS, rawRow } from '../fixtures/austin-rows.ts'

const origin: Origin = { kind: 'file', file: 'data/austin.csv', row: 7 }
const context = { origin, source: 'austin_apd', ingestedAt: 123n, now: new Date('2026-06-01T00:00:00Z') }

function record(raw: RawRow): IncidentRecord {
  const outcome = transformRow(raw, context)
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.rejection.message)
  return outcome.value
}

test('a clean row becomes a full canonical record with lineage', () => {
  const r = record(rawRow())
  assert.equal(r.incident_id, '2017-1000001')
  assert.equal(r.incident_date, '2017-03-21')
  assert.deepEqual([r.year, r.month, r.quarter, r.day_of_week], [2017, 3, 1, 'Tue'])
  assert.deepEqual(r.offenses, ['Simple Assault'])
  assert.deepEqual(r.crimes_against, ['Persons'])
  assert.equal(r.offense_group, 'Persons')
  assert.deepEqual([r.biases, r.bias_codes, r.bias_category], [['Anti-Gay (Male)'], ['41'], 'Sexual Orientation'])
  assert.deepEqual([r.offender_race, r.offender_ethnicity], ['White', 'Not Hispanic or Latino'])
  assert.deepEqual([r.victims_total, r.offenders_total, r.has_juvenile_offender], [1, 1, false])
  assert.deepEqual([r.source_file, r.source_row, r.kafka_topic], ['data/austin.csv', 7, null])
  assert.deepEqual(r.quality_flags, [])
  assert.equal(r.ingested_at, 123n)
})

test('the messy patterns of the real file are cleaned and flagged, none rejected', () => {
  const rows = MESSY_ROWS.map(record)
  const byId = (id: string) => rows.find((r) => r.incident_id === id)!
  assert.equal(rows[0].incident_date, '2017-01-01')
  const lateDecember = byId('2019-8000242')
  assert.deepEqual([lateDecember.year, lateDecember.month, lateDecember.dataset_year], [2018, 12, 2019])
  assert.deepEqual(lateDecember.quality_flags, ['month_mismatch', 'dataset_year_mismatch'])
  assert.equal(lateDecember.source_month, 'Jan')
  assert.deepEqual(byId('2019-941819').quality_flags, ['dow_mismatch'])
  assert.deepEqual(byId('2018-120696').quality_flags, ['missing_geography'])
  assert.equal(byId('2018-120696').zip_code, null)
  const zeroZero = byId('2020-1')
  assert.deepEqual([zeroZero.offenders_total, zeroZero.offender_count_known, zeroZero.has_juvenile_offender], [null, false, null])
  assert.equal(byId('2023-2').offenders_juvenile, null)
  assert.equal(byId('2020-3').bias_category, 'Multiple')
  assert.equal(byId('2020-3').multiple_bias, true)
  assert.deepEqual(byId('2020-4').bias_codes, ['11', '32'])
  assert.equal(byId('2020-4').bias_category, 'Race/Ethnicity/Ancestry', 'two biases of one category')
  assert.deepEqual(byId('2021-5').biases, ['Anti-Multiple Races, Group'])
  const burglary = byId('2018-6')
  assert.deepEqual(burglary.offenses, ['Burglary/Breaking & Entering', 'Simple Assault'])
  assert.equal(burglary.offense_group, 'Multiple')
  assert.deepEqual([burglary.bias_codes, burglary.bias_category], [[null], 'Disability'])
  const lgbt = byId('2025-7')
  assert.deepEqual([lgbt.bias_codes, lgbt.offender_ethnicity], [['43'], 'Multiple'])
  assert.ok(lgbt.quality_flags.includes('nonstandard_bias'))
  const twoRows = rows.filter((r) => r.incident_id === '2023-2431066')
  assert.deepEqual(twoRows.map((r) => r.offenses[0]), ['Murder and Nonnegligent Manslaughter', 'Aggravated Assault'])
  const campus = byId('2024-8')
  assert.deepEqual([campus.location, campus.sector, campus.zip_code], ['Parking/Drop Lot/Garage', 'University of Texas', '78712'])
})

test('values no rule knows are kept raw, flagged, never dropped or guessed', () => {
  const r = record(rawRow({ bias: 'Anti-Martian', offenses: 'Jaywalking', offense_location: 'Moon Base', race_ethnicity_of_offenders: 'Purple/Non-Hispanic' }))
  assert.deepEqual(r.quality_flags, ['unmapped_race_ethnicity', 'unmapped_bias', 'unmapped_offense', 'unmapped_location'])
  assert.deepEqual([r.biases, r.bias_codes, r.bias_category], [['Unknown'], [null], 'Unknown'])
  assert.deepEqual([r.offenses, r.offense_codes, r.offense_group], [['Unknown'], [null], 'Unknown'])
  assert.equal(r.location, null)
  assert.equal(r.raw_location, 'Moon Base')
  assert.equal(r.raw_race_ethnicity, 'Purple/Non-Hispanic')
  assert.equal(r.offender_race, 'Unknown')
})

test('rows without an incident number or a usable date are rejected with where and what', () => {
  const noId = transformRow(rawRow({ incident_number: '  ' }), context)
  assert.ok(!noId.ok)
  assert.equal(noId.rejection.message, 'Expected an incident number in "Incident Number" at row 7 of austin.csv (got "  ")')
  const badDate = transformRow(rawRow({ date_of_incident: '2017-13-45' }), context)
  assert.ok(!badDate.ok)
  assert.deepEqual([badDate.rejection.stage, badDate.rejection.code], ['parse', 'bad_date'])
})

test('Kafka lineage is kept from the message origin', () => {
  const kafka: Origin = { kind: 'kafka', topic: 'incidents', partition: 2, offset: 41n, file: 'a.csv', row: 9 }
  const outcome = transformRow(rawRow(), { ...context, origin: kafka })
  assert.ok(outcome.ok)
  const { kafka_topic, kafka_partition, kafka_offset, source_file, source_row } = outcome.value
  assert.deepEqual([kafka_topic, kafka_partition, kafka_offset, source_file, source_row], ['incidents', 2, 41n, 'a.csv', 9])
})

test('message bodies are checked before they are transformed', () => {
  assert.ok(toRawRow({ ...rawRow(), extra: 'ignored' }).ok)
  const notObject = toRawRow([1, 2])
  assert.ok(!notObject.ok && notObject.rejection.code === 'not_an_object')
  const { bias: _bias, ...missing } = rawRow()
  const lacking = toRawRow(missing)
  assert.ok(!lacking.ok)
  assert.match(lacking.rejection.message, /bias/)
  const wrongType = toRawRow({ ...rawRow(), zip_code: 78701 })
  assert.ok(!wrongType.ok && wrongType.rejection.code === 'wrong_field_type')
})

test('Austin police rows name their agency; synthetic rows in the same layout name none, and what Austin lacks is NULL', () => {
  const austin = record(rawRow())
  assert.deepEqual(
    [austin.agency_ori, austin.agency_name, austin.agency_type, austin.city, austin.state],
    ['TX2270100', 'Austin', 'City', 'Austin', 'TX'],
  )
  assert.equal(austin.population_group, null)
  assert.equal(austin.victim_types, null)
  const outcome = transformRow(rawRow(), { ...context, source: 'synthetic' })
  assert.ok(outcome.ok)
  assert.equal(outcome.value.source, 'synthetic')
  assert.deepEqual([outcome.value.agency_ori, outcome.value.city, outcome.value.state], [null, null, null])
})

test('quality flags: one family is shared as it is, several are joined into a new list, and none is one shared empty list', () => {
  const counts = Object.freeze(['offenders_zero_zero_unknown'])
  const biases = Object.freeze(['nonstandard_bias', 'unmapped_bias'])
  assert.equal(qualityFlags([], counts, []), counts)
  assert.deepEqual(qualityFlags(['dow_mismatch'], counts, [], biases), ['dow_mismatch', 'offenders_zero_zero_unknown', 'nonstandard_bias', 'unmapped_bias'])
  assert.deepEqual([counts, biases], [['offenders_zero_zero_unknown'], ['nonstandard_bias', 'unmapped_bias']], 'the families are left as they were')
  assert.equal(qualityFlags([], []), qualityFlags())
  const a = record(rawRow({ offense_location: 'Nowhere Known' }))
  const b = record(rawRow({ offense_location: 'Nowhere Known', incident_number: '2017-1000002' }))
  assert.deepEqual(a.quality_flags, ['unmapped_location'])
  assert.equal(a.quality_flags, b.quality_flags, 'rows flagged by the same cell share its list')
})
