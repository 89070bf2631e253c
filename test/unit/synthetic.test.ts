import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import Papa from 'papaparse'
import type { IncidentRecord, RawRow } from '../../src/core/record.ts'
import { AUSTIN_COLUMN_IDS as RAW_COLUMNS, AUSTIN_HEADERS as RAW_HEADERS } from '../../src/layouts/austin-apd/columns.ts'
import { readCsv } from '../../src/sources/csv-source.ts'
import { writeSyntheticCsv } from '../../src/sources/synthetic.ts'
import { shareOut } from '../../src/sources/synthetic-random.ts'
import { GEOGRAPHY, YEAR_WEIGHTS } from '../../src/sources/synthetic-vocabulary.ts'
import { AUSTIN_APD } from '../../src/layouts/austin-apd/layout.ts'

const transformRow = AUSTIN_APD.transform

const dir = mkdtempSync(join(tmpdir(), 'hc-synthetic-'))
const ROWS = 20_000

async function generate(name: string, rows: number, seed: number) {
  const path = join(dir, name)
  await writeSyntheticCsv(path, { rows, seed })
  return path
}

/** The messy sample most tests look at: raw rows and what the transform made of them. */
const sample = (async () => {
  const path = await generate('messy.csv', ROWS, 3)
  const raws: RawRow[] = []
  const records: IncidentRecord[] = []
  let problems = 0
  for await (const item of readCsv(path)) {
    if (item.kind === 'problem') {
      problems++
      continue
    }
    const outcome = transformRow(item.raw, { origin: { kind: 'file', file: path, row: item.row }, source: 'synthetic', ingestedAt: 0n })
    assert.ok(outcome.ok, `row ${item.row} transforms`)
    raws.push(item.raw)
    records.push(outcome.value)
  }
  return { path, raws, records, problems }
})()

test('the same seed writes the same file; another seed another file; the header is the Austin header', async () => {
  const a = readFileSync(await generate('a.csv', 2_000, 11), 'utf8')
  const b = readFileSync(await generate('b.csv', 2_000, 11), 'utf8')
  const c = readFileSync(await generate('c.csv', 2_000, 12), 'utf8')
  assert.equal(a, b)
  assert.notEqual(a, c)
  assert.equal(a.split('\r\n')[0], RAW_COLUMNS.map((column) => RAW_HEADERS[column]).join(','))
})

test('every record has 15 fields and the row count is exact, even for tiny files', async () => {
  const { path, raws, problems } = await sample
  const parsed = Papa.parse<string[]>(readFileSync(path, 'utf8'), { skipEmptyLines: true }).data
  assert.equal(parsed.length, ROWS + 1)
  assert.ok(parsed.every((fields) => fields.length === 15), 'fifteen fields on every line')
  assert.equal(problems, 0)
  assert.equal(raws.length, ROWS)
  for (const rows of [1, 2, 9]) {
    const small = Papa.parse(readFileSync(await generate(`small-${rows}.csv`, rows, 1), 'utf8'), { skipEmptyLines: true }).data
    assert.equal(small.length, rows + 1, `${rows} rows asked, ${rows} written`)
  }
})

test('dates: sorted, years 2017 to a partial 2025 growing like the real file, both formats, dash only where day <= 12', async () => {
  const { raws, records } = await sample
  const dates = records.map((r) => r.incident_date)
  assert.deepEqual(dates, [...dates].sort(), 'sorted by incident date')
  const expected = shareOut(ROWS, YEAR_WEIGHTS)
  expected.forEach((count, i) => {
    const year = 2017 + i
    const got = records.filter((r) => r.year === year).length
    assert.ok(Math.abs(got - count) <= count * 0.02 + 2, `${year}: ${got} rows, about ${count} expected`)
  })
  assert.ok(dates.at(-1)! <= '2025-03-24' && dates.at(-1)! >= '2025-03-01', `the last year stops in March (${dates.at(-1)})`)
  let dash = 0
  for (const raw of raws) {
    const match = /^(\d\d)-(\d\d)-\d{4} 00:00$/.exec(raw.date_of_incident)
    if (match) {
      dash++
      assert.ok(Number(match[2]) <= 12, `a dash date only where day <= 12 (got ${raw.date_of_incident})`)
    } else assert.match(raw.date_of_incident, /^\d\d\/\d\d\/\d{4} 12:00:00 AM$/)
  }
  assert.ok(dash > ROWS * 0.25 && dash < ROWS * 0.5, `both date formats present (${dash} dash)`)
})

test('the real file\'s messiness is there, and every value maps', async () => {
  const { raws, records } = await sample
  const flagged = (flag: string) => records.filter((r) => r.quality_flags.includes(flag))
  for (const flag of ['month_mismatch', 'dow_mismatch', 'dataset_year_mismatch', 'offenders_zero_zero_unknown', 'missing_geography']) {
    assert.ok(flagged(flag).length > 0, `${flag} appears`)
  }
  assert.ok(flagged('month_mismatch').length < ROWS * 0.01 && flagged('dow_mismatch').length < ROWS * 0.03, 'mismatches stay rare')
  for (const record of flagged('dataset_year_mismatch')) {
    assert.match(record.incident_date, /-12-(2[6-9]|3[01])$/, 'next-year numbers only in late December')
    assert.equal(record.dataset_year, record.year + 1)
  }
  for (const flag of ['unmapped_bias', 'unmapped_offense', 'unmapped_location', 'unmapped_race_ethnicity']) {
    assert.equal(flagged(flag).length, 0, `every generated value maps (${flag})`)
  }
  assert.ok(raws.every((raw) => /^\d{4}-\d{7}$/.test(raw.incident_number)), 'incident numbers YYYY-NNNNNNN')
  assert.ok(raws.some((raw) => raw.bias.includes('; ')) && raws.some((raw) => raw.bias.includes('/Anti-')), 'multi-bias cells')
  assert.ok(records.some((r) => r.raw_bias === 'Anti-Multi Races, Group' && r.biases.length === 1), 'the quoted comma bias')
  assert.ok(records.some((r) => r.offenses.length > 1), 'multi-offense cells')
  assert.ok(raws.some((raw) => raw.victims_over_18 === 'Unknown'), 'Unknown victim counts')
  assert.ok(raws.some((raw) => raw.offenders_over_18 === ''), 'blank offender counts')
  assert.ok(records.filter((r) => r.offenders_total === null).every((r) => r.offender_race === 'Unknown' || r.year >= 2021))
  assert.ok(records.some((r) => r.offenders_total === null && r.year >= 2022), 'Unknown offender counts')
})

test('vocabulary drifts by year as in the real file', async () => {
  const { raws, records } = await sample
  const yearsOf = (column: keyof RawRow, value: string) =>
    new Set(raws.flatMap((raw, i) => (raw[column] === value ? [records[i].year] : [])))
  assert.deepEqual([...yearsOf('bias', 'Anti-Black')], [2018])
  assert.deepEqual([...yearsOf('offenses', 'Simple Assault')], [2017])
  assert.deepEqual([...yearsOf('offense_location', 'Streets/Highway/Road/Alley')].sort(), [2019, 2020, 2021])
  assert.deepEqual([...yearsOf('race_ethnicity_of_offenders', 'White/NotHispanic')], [2018])
  assert.ok(yearsOf('offenses', 'Assault with Injury').size === 4 && !yearsOf('offenses', 'Assault with Injury').has(2024))
})

test('incidents: numbers unique except a second row of the same incident with another offense', async () => {
  const { raws } = await sample
  const byNumber = new Map<string, RawRow[]>()
  for (const raw of raws) byNumber.set(raw.incident_number, [...(byNumber.get(raw.incident_number) ?? []), raw])
  const repeated = [...byNumber.values()].filter((rows) => rows.length > 1)
  assert.ok(repeated.length > ROWS * 0.002 && repeated.length < ROWS * 0.008, `${repeated.length} two-row incidents`)
  for (const [first, ...others] of repeated) {
    for (const other of others) {
      assert.notEqual(other.offenses, first.offenses, 'a different offense')
      assert.deepEqual({ ...other, offenses: first.offenses }, first, 'otherwise the same row')
    }
  }
})

test('zip, sector and district agree with each other; blank geographies are blank in all three', async () => {
  const { raws } = await sample
  const known = new Set(GEOGRAPHY.values.map((triple) => triple.join('|')))
  const blank = raws.filter((raw) => raw.zip_code === '')
  assert.ok(blank.length > 0 && blank.length < ROWS * 0.01)
  assert.ok(blank.every((raw) => raw.apd_sector === '' && raw.council_district === ''))
  const odd = raws.filter((raw) => raw.zip_code !== '' && !known.has(`${raw.zip_code}|${raw.apd_sector}|${raw.council_district}`))
  assert.deepEqual(odd, [])
  const districts = new Set(raws.filter((raw) => raw.zip_code === '78701').map((raw) => raw.council_district))
  assert.deepEqual([...districts], ['9'], 'downtown is district 9')
})

test('memory stays flat while writing many rows; progress reaches the total', async () => {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
  const before = process.memoryUsage().heapUsed
  let peak = before
  const progress: number[] = []
  await writeSyntheticCsv(join(dir, 'many.csv'), {
    rows: 400_000,
    seed: 9,
    onProgress: (rows) => {
      progress.push(rows)
      if (progress.length % 20 === 0) {
        gc()
        peak = Math.max(peak, process.memoryUsage().heapUsed)
      }
    },
  })
  assert.ok(peak - before < 16 * 1024 * 1024, `heap grew by ${((peak - before) / 1048576).toFixed(0)} MiB`)
  assert.deepEqual(progress, [...progress].sort((a, b) => a - b))
  assert.equal(progress.at(-1), 400_000)
})

test('hatecrimes generate: a bad --rows is a clear error; off a terminal the bar prints one final line', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/hatecrimes.js', 'generate', ...args], { encoding: 'utf8' })
  const bad = cli('--rows', 'abc')
  assert.notEqual(bad.status, 0)
  assert.match(bad.stderr, /Expected a positive whole number for --rows \(got "abc"\)/)
  const out = join(dir, 'cli.csv')
  const good = cli('--rows', '1500', '--seed', '4', '--out', out)
  assert.equal(good.status, 0, good.stderr)
  assert.match(good.stdout, new RegExp(`^wrote 1,500 synthetic rows \\(0\\.\\d MiB\\) to ${out} in \\d+\\.\\d s \\([\\d,]+ rows/s, seed 4\\)`))
  assert.match(good.stderr, /^generating rows \[#+\] 100% 1,500\/1,500 \([\d,]+\/s\)\n$/, 'one line, no redraws')
  assert.equal(readFileSync(out, 'utf8').trimEnd().split('\r\n').length, 1501)
})
