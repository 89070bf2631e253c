import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { IncidentRecord, Origin, RawRow } from '../../src/core/record.ts'
import { rowOf } from '../../src/layouts/layout.ts'
import { complaintKey, NYPD } from '../../src/layouts/nypd/layout.ts'
import { detectLayout } from '../../src/layouts/registry.ts'

const HEADER = [
  'Full Complaint ID', 'Complaint Year Number', 'Month Number', 'Record Create Date', 'Complaint Precinct Code', 'Patrol Borough Name',
  'County', 'Law Code Category Description', 'Offense Description', 'PD Code Description', 'Bias Motive Description', 'Offense Category',
  'Arrest Date', 'Arrest Id',
]
// The first row of the real file, and a copy of it as the file's next row.
const FIRST = [
  '2.02105E+14', '2021', '5', '5/1/2021', '50', 'PATROL BORO BRONX', 'BRONX', 'FELONY', 'BURGLARY', 'BURGLARY,UNCLASSIFIED,NIGHT',
  'ANTI-JEWISH', 'Religion/Religious Practice', '5/1/2021', 'B33683676',
]
const match = detectLayout(HEADER, 'row 1 of nypd.csv')
const row = (changes: Record<string, string> = {}): RawRow => ({ ...rowOf(match, FIRST), ...changes })
const at = (line: number): Origin => ({ kind: 'file', file: 'data/nypd.csv', row: line })

function record(raw: RawRow, origin = at(2)): IncidentRecord {
  const outcome = NYPD.transform(raw, { origin, source: 'nypd', ingestedAt: 1n, now: new Date('2026-06-01T00:00:00Z') })
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.rejection.message)
  return outcome.value
}

test('the NYPD header is recognised by its display names and by the API field names', () => {
  assert.equal(match.layout.id, 'nypd')
  assert.deepEqual([match.missing, match.absent, match.extra], [[], [], []])
  const api = HEADER.map((name) => name.toLowerCase().replaceAll(' ', '_'))
  assert.equal(detectLayout(api, 'row 1 of bqiq-cu78.csv').layout.id, 'nypd')
})

test('a complaint becomes a New York record with FBI names, no offender race and no location', () => {
  const r = record(row())
  assert.deepEqual([r.incident_date, r.year, r.month, r.day_of_week], ['2021-05-01', 2021, 5, 'Sat'])
  assert.deepEqual([r.city, r.state, r.agency_ori, r.agency_name, r.agency_type], ['New York', 'NY', 'NY0303000', 'New York', 'City'])
  assert.deepEqual([r.biases, r.bias_codes, r.bias_category], [['Anti-Jewish'], ['21'], 'Religion'])
  assert.deepEqual([r.offenses, r.offense_codes, r.offense_group], [['Burglary/Breaking & Entering'], ['220'], 'Property'])
  assert.deepEqual([r.offender_race, r.offender_ethnicity, r.location, r.victims_total, r.offenders_total], [null, null, null, null, null])
  assert.deepEqual([r.dataset_year, r.source_month, r.sector], [2021, '5', 'Precinct 50'])
  assert.deepEqual(r.quality_flags, ['complaint_id_mangled'])
})

test('NYPD bias words map to FBI names; an age bias keeps its words and is flagged', () => {
  const bias = (words: string) => record(row({ bias_motive: words }))
  assert.deepEqual(bias('ANTI-MALE HOMOSEXUAL (GAY)').biases, ['Anti-Gay (Male)'])
  assert.deepEqual(bias('ANTI-MALE HOMOSEXUAL(GAY)').biases, ['Anti-Gay (Male)'])
  assert.deepEqual(bias('ANTI-LGBT (MIXED GROUP)').bias_codes, ['43'])
  assert.deepEqual(bias('ANTI-OTHER ETHNICITY').biases, ['Anti-Other Race/Ethnicity/Ancestry'])
  assert.deepEqual(bias('ANTI-TRANSGENDER').bias_category, 'Gender Identity')
  const age = bias('60 YRS AND OLDER')
  assert.deepEqual([age.biases, age.bias_codes, age.bias_category, age.raw_bias], [['60 YRS AND OLDER'], [null], 'Unknown', '60 YRS AND OLDER'])
  assert.deepEqual(age.quality_flags, ['complaint_id_mangled', 'non_fbi_bias'])
  assert.deepEqual(bias('ANTI-MARTIAN').quality_flags, ['complaint_id_mangled', 'unmapped_bias'])
})

test('the built key is stable for a row, differs between rows, and tells identical rows apart by their place', () => {
  assert.equal(complaintKey(row()), complaintKey(row()))
  assert.notEqual(complaintKey(row()), complaintKey(row({ precinct: '52' })))
  assert.match(complaintKey(row()), /^NYPD-[0-9a-f]{16}$/)
  assert.notEqual(record(row(), at(2)).incident_id, record(row(), at(3)).incident_id)
  assert.equal(record(row(), at(2)).incident_id, `${complaintKey(row())}-r2`)
  const kept = record(row({ full_complaint_id: '202105000123456' }))
  assert.deepEqual([kept.incident_id, kept.quality_flags], ['202105000123456', []])
})

test('over a whole input, exact copies are numbered among themselves, so the ids do not depend on the rows\' order', () => {
  const other = row({ precinct: '52' })
  const idsOf = (rows: RawRow[]) => {
    const repeats = new Map<string, number>()
    return rows.map((raw, i) => NYPD.transform(raw, { origin: at(i + 2), source: 'nypd', ingestedAt: 1n, repeats })).map((outcome) => (outcome.ok ? outcome.value.incident_id : ''))
  }
  const forward = idsOf([row(), other, row()])
  assert.deepEqual(forward, [complaintKey(row()), complaintKey(other), `${complaintKey(row())}-2`])
  assert.deepEqual(idsOf([row(), row(), other]).sort(), [...forward].sort())
  assert.deepEqual(idsOf([other, row(), row()]).sort(), [...forward].sort())
})

test('the complaint year and month are kept and checked; a row without a usable date is a dead letter', () => {
  const late = record(row({ complaint_year: '2020', month_number: '12', record_create_date: '1/4/2021' }))
  assert.deepEqual([late.dataset_year_mismatch, late.month_mismatch], [true, true])
  const outcome = NYPD.transform(row({ record_create_date: '2021-05-01' }), { origin: at(9), source: 'nypd', ingestedAt: 1n })
  assert.ok(!outcome.ok)
  assert.equal(outcome.rejection.message, 'Expected a date like 03/21/2017 in "Record Create Date" at row 9 of nypd.csv (got "2021-05-01")')
})
