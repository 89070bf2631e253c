import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { IncidentRecord, RawRow } from '../../src/core/record.ts'
import { rowOf } from '../../src/layouts/layout.ts'
import { SF_POLICE } from '../../src/layouts/sf-police/layout.ts'
import { detectLayout } from '../../src/layouts/registry.ts'

const HEADER = (
  'record_id,occurence_month,ncic,total_number_of_victims,total_number_of_individual_victims,suspects_race_as_a_group,total_number_of_suspects,' +
  'most_serious_ucr,most_serious_ucr_type,most_serious_location,most_serious_bias,most_serious_bias_type,most_serious_victim_type,weapon_type,' +
  'offensive_act,is_multiple_bias,total_number_of_individual_victims_adult,total_number_of_individual_victims_juvenile,total_number_of_suspects_adult,' +
  'total_number_of_suspects_juvenile,suspects_ethnicity_as_a_group,data_as_of,data_loaded_at'
).split(',')
// The second row of the real file.
const SECOND = [
  '220197239', '2022/03/01', '', '1', '1', 'Black or African American', '1', 'Intimidation', '', 'Highway/Road/Alley/Street', 'Anti-Female', 'Gender',
  'Person', 'Personal weapons (hands, feet, teeth, etc.)', 'Other', '', '1', '0', '1', '0', 'Unknown', '2026/02/15 12:00:00 AM', '2026/02/20 02:55:37 PM',
]
const match = detectLayout(HEADER, 'row 1 of sf.csv')
const row = (changes: Record<string, string> = {}): RawRow => ({ ...rowOf(match, SECOND), ...changes })
const context = { origin: { kind: 'file' as const, file: 'data/sf.csv', row: 3 }, source: 'sf_police', ingestedAt: 1n, now: new Date('2026-06-01T00:00:00Z') }

function record(raw: RawRow): IncidentRecord {
  const outcome = SF_POLICE.transform(raw, context)
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.rejection.message)
  return outcome.value
}

test('the San Francisco header is recognised', () => {
  assert.equal(match.layout.id, 'sf_police')
  assert.deepEqual([match.missing, match.absent, match.extra], [[], [], []])
})

test('an incident becomes a San Francisco record: month only, its most serious offense, location and bias', () => {
  const r = record(row())
  assert.deepEqual([r.incident_id, r.incident_date, r.year, r.month], ['220197239', '2022-03-01', 2022, 3])
  assert.deepEqual([r.city, r.state, r.agency_ori], ['San Francisco', 'CA', 'CA0380100'])
  assert.deepEqual([r.offenses, r.location, r.biases, r.bias_category], [['Intimidation'], 'Highway/Road/Alley/Street/Sidewalk', ['Anti-Female'], 'Gender'])
  assert.deepEqual([r.offender_race, r.offender_ethnicity], ['Black or African American', 'Unknown'])
  assert.deepEqual([r.victims_total, r.victims_adult, r.victims_juvenile, r.offenders_total, r.offenders_adult, r.has_juvenile_offender], [1, 1, 0, 1, 1, false])
  assert.deepEqual(r.victim_types, ['Individual'])
  assert.deepEqual(r.quality_flags, ['day_unknown'])
})

test("San Francisco's bias variants map to FBI names; Anti-Citizenship Status is kept raw and flagged", () => {
  const bias = (name: string) => record(row({ most_serious_bias: name }))
  assert.deepEqual(bias('Anti-Lesbian').biases, ['Anti-Lesbian (Female)'])
  assert.deepEqual(bias('Anti-Multiple Races (Group)').bias_codes, ['15'])
  assert.deepEqual(bias('Anti-Lesbian/Gay/Bisexual or Transgender (Mixed Group)').bias_codes, ['43'])
  assert.deepEqual(bias('Anti-Other Christian').bias_codes, ['82'])
  const citizenship = bias('Anti-Citizenship Status')
  assert.deepEqual([citizenship.biases, citizenship.bias_codes, citizenship.bias_category], [['Anti-Citizenship Status'], [null], 'Unknown'])
  assert.deepEqual(citizenship.quality_flags, ['day_unknown', 'non_fbi_bias'])
})

test('suspect counts: 0 is unknown (FBI convention), ages that do not add up are unknown; race words map to the FBI vocabulary', () => {
  const none = record(row({ total_number_of_suspects: '0', suspects_adult: '0', suspects_race: 'Unknown' }))
  assert.deepEqual([none.offenders_total, none.offenders_adult, none.offender_count_known], [null, null, false])
  assert.ok(none.quality_flags.includes('offenders_zero_unknown'))
  const split = record(row({ total_number_of_suspects: '2', suspects_adult: '0', suspects_juvenile: '0' }))
  assert.deepEqual([split.offenders_total, split.offenders_adult, split.offenders_juvenile], [2, null, null])
  assert.ok(split.quality_flags.includes('offenders_ages_disagree'))
  const hispanic = record(row({ suspects_race: 'Hispanic', suspects_ethnicity: '' }))
  assert.deepEqual([hispanic.offender_race, hispanic.offender_ethnicity], ['Unknown', 'Hispanic or Latino'])
  assert.equal(record(row({ suspects_race: 'Asian/Pacific Islander' })).offender_race, 'Asian')
})

test('a row without a usable month is a dead letter that names the column', () => {
  const outcome = SF_POLICE.transform(row({ occurence_month: '03/2022' }), context)
  assert.ok(!outcome.ok)
  assert.equal(outcome.rejection.message, 'Expected a month like 2022/02/01 in "occurence_month" at row 3 of sf.csv (got "03/2022")')
})
