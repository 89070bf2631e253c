import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseFilters, whereClause } from '../../src/dashboard/filters.ts'
import { parseLag } from '../../src/dashboard/lake-watch.ts'

const parse = (query: string) => parseFilters(new URLSearchParams(query))

test('filters parse to typed values: years as numbers, lists from commas or repeated parameters', () => {
  assert.deepEqual(parse(''), { ok: true, filters: {} })
  assert.deepEqual(parse('year_from=2019&year_to=2021'), { ok: true, filters: { year_from: 2019, year_to: 2021 } })
  assert.deepEqual(parse('bias_category=Religion,Multiple'), { ok: true, filters: { bias_category: ['Religion', 'Multiple'] } })
  assert.deepEqual(parse('district=1&district=10'), { ok: true, filters: { district: [1, 10] } })
  assert.deepEqual(parse('offense_group=Persons, Society'), { ok: true, filters: { offense_group: ['Persons', 'Society'] } })
  assert.deepEqual(parse('bias_category=Race%2FEthnicity%2FAncestry'), { ok: true, filters: { bias_category: ['Race/Ethnicity/Ancestry'] } })
})

test('a bad parameter is named, with what was expected and what was found', () => {
  const cases: [string, string][] = [
    ['colour=red', 'Unknown parameter "colour": expected year_from, year_to, bias_category, offense_group, district, source'],
    ['year_to=99', 'Expected a four-digit year for "year_to" (got "99")'],
    ['district=0', 'Expected a council district from 1 to 10 for "district" (got "0")'],
    ['district=3,x', 'Expected a council district from 1 to 10 for "district" (got "3,x")'],
    ['offense_group=Theft', 'Expected one of Persons, Property, Society, Multiple, Unknown for "offense_group" (got "Theft")'],
    ['year_from=2022&year_to=2021', 'Expected a year no later than year_to for "year_from" (got "2022")'],
  ]
  for (const [query, message] of cases) assert.deepEqual(parse(query), { ok: false, error: message }, query)
})

test('hostile parameters: __proto__ is unknown, repeated values count once, long values are refused', () => {
  assert.deepEqual(parse('__proto__=1'), { ok: false, error: 'Unknown parameter "__proto__": expected year_from, year_to, bias_category, offense_group, district, source' })
  assert.deepEqual(parse(`district=${Array(300).fill('1').join(',')}&district=9`), { ok: true, filters: { district: [1, 9] } })
  assert.deepEqual(parse(`bias_category=${Array(50).fill('Religion').join(',')}`), { ok: true, filters: { bias_category: ['Religion'] } })
  assert.deepEqual(parse(`district=${Array(6000).fill('1').join(',')}`), { ok: false, error: 'Expected at most 1000 characters for "district" (got 11999)' })
})

test('the SQL condition binds every value as a parameter, never in the text', () => {
  assert.deepEqual(whereClause({}), { sql: '', params: [] })
  const injected = "Religion'; DROP TABLE facts; --"
  // Validation keeps such text out; the clause must not depend on it.
  const { sql, params } = whereClause({ year_from: 2019, bias_category: [injected as 'Religion', 'Multiple'], district: [9] })
  assert.equal(sql, 'WHERE year >= ? AND bias_category IN (?, ?) AND council_district IN (?)')
  assert.deepEqual(params, [2019, injected, 'Multiple', 9])
  assert.ok(!sql.includes('DROP'))
})

test('the Kafka lag is summed over partitions from Prometheus text; absent metric gives null', () => {
  const metrics = [
    '# HELP hatecrimes_ingest_lag_records records not yet read',
    '# TYPE hatecrimes_ingest_lag_records gauge',
    'hatecrimes_ingest_lag_records{topic="raw",partition="0"} 120',
    'hatecrimes_ingest_lag_records{topic="raw",partition="1"} 30',
    'hatecrimes_ingest_lag_records_other 999',
    'process_cpu_seconds_total 4.5',
  ].join('\n')
  assert.equal(parseLag(metrics), 150)
  assert.equal(parseLag('hatecrimes_ingest_lag_records 0\n'), 0)
  assert.equal(parseLag('process_cpu_seconds_total 4.5\n'), null)
})
