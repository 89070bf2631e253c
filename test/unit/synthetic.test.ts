import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RAW_COLUMNS, RAW_HEADERS, type IncidentRecord } from '../../src/core/record.ts'
import { readCsv } from '../../src/sources/csv-source.ts'
import { writeSyntheticCsv } from '../../src/sources/synthetic.ts'
import { transformRow } from '../../src/transforms/transform.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-synthetic-'))

async function generate(name: string, rows: number, seed: number) {
  const path = join(dir, name)
  await writeSyntheticCsv(path, { rows, seed })
  return path
}

test('the same seed writes the same file; another seed another file', async () => {
  const a = readFileSync(await generate('a.csv', 2_000, 11), 'utf8')
  const b = readFileSync(await generate('b.csv', 2_000, 11), 'utf8')
  const c = readFileSync(await generate('c.csv', 2_000, 12), 'utf8')
  assert.equal(a, b)
  assert.notEqual(a, c)
  assert.equal(a.split('\r\n')[0], RAW_COLUMNS.map((column) => RAW_HEADERS[column]).join(','))
})

test('rows read back as 15 fields each, sorted by date, with the real file\'s messiness', async () => {
  const path = await generate('messy.csv', 20_000, 3)
  const dates: string[] = []
  const records: IncidentRecord[] = []
  let dashDates = 0
  let problems = 0
  for await (const item of readCsv(path)) {
    if (item.kind === 'problem') {
      problems++
      continue
    }
    const dash = /^(\d\d)-(\d\d)-\d{4} 00:00$/.exec(item.raw.date_of_incident)
    if (dash) {
      dashDates++
      assert.ok(Number(dash[2]) <= 12, `a dash date only where day <= 12 (got ${item.raw.date_of_incident})`)
    }
    const outcome = transformRow(item.raw, { origin: { kind: 'file', file: path, row: item.row }, source: 'synthetic', ingestedAt: 0n })
    assert.ok(outcome.ok)
    records.push(outcome.value)
    dates.push(outcome.value.incident_date)
  }
  assert.equal(problems, 0)
  assert.equal(records.length, 20_000)
  assert.deepEqual(dates, [...dates].sort(), 'sorted by incident date')
  assert.ok(dashDates > 1_000 && dashDates < 10_000, `both date formats present (${dashDates} dash)`)
  const flagged = (flag: string) => records.filter((r) => r.quality_flags.includes(flag)).length
  for (const flag of ['month_mismatch', 'dow_mismatch', 'dataset_year_mismatch', 'offenders_zero_zero_unknown', 'missing_geography']) {
    assert.ok(flagged(flag) > 0, `${flag} appears`)
  }
  for (const flag of ['unmapped_bias', 'unmapped_offense', 'unmapped_location', 'unmapped_race_ethnicity']) {
    assert.equal(flagged(flag), 0, `every generated value maps (${flag})`)
  }
  assert.ok(records.some((r) => r.multiple_bias), 'multi-bias cells')
  assert.ok(records.some((r) => r.offenses.length > 1), 'multi-offense cells')
  assert.ok(records.some((r) => r.raw_bias === 'Anti-Multi Races, Group'), 'the quoted comma bias')
  assert.ok(records.some((r) => r.offenders_total === null && r.year >= 2022), 'Unknown offender counts')
  const ids = new Map<string, number>()
  for (const r of records) ids.set(r.incident_id, (ids.get(r.incident_id) ?? 0) + 1)
  assert.ok([...ids.values()].some((n) => n > 1), 'an incident with two rows')
  const years = new Set(records.map((r) => r.year))
  assert.deepEqual([...years].sort(), [2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025])
  assert.ok(records.every((r) => r.incident_date <= '2025-03-24'), 'the last year is partial')
})
