import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-rates-'))
const lake = join(dir, 'lake')
const cli = (...args: string[]) => execFileSync(process.execPath, ['bin/hatecrimes.js', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

/** Incidents as (source, id, city, state, year) rows, written as one file per lake partition. */
async function writeIncidents(rows: [string, string, string | null, string | null, number][]): Promise<void> {
  const db = await DuckDBInstance.create(':memory:')
  const connection = await db.connect()
  for (const part of new Set(rows.map((row) => `${row[0]}/${row[4]}`))) {
    const [source, year] = part.split('/')
    const folder = join(lake, 'incidents', `source=${source}`, `year=${year}`, 'month=01')
    mkdirSync(folder, { recursive: true })
    const values = rows
      .filter((row) => row[0] === source && row[4] === Number(year))
      .map(([source, id, city, state]) => `('${source}', '${id}', ${city ? `'${city}'` : 'NULL'}, ${state ? `'${state}'` : 'NULL'})`)
    await connection.run(`COPY (SELECT * FROM (VALUES ${values.join(', ')}) t(source, incident_id, city, state)) TO '${folder}/fixture.parquet' (FORMAT parquet)`)
  }
  connection.closeSync()
}

const repeat = (n: number, make: (i: number) => [string, string, string | null, string | null, number]) => Array.from({ length: n }, (_, i) => make(i))

test('population loads from the real Census files: Austin 2019 reads back as the Census figure', async () => {
  const out = cli('population', '--lake', lake)
  assert.match(out, /^population: 273,988 rows \(city 272,948 \(2010-2023\), state 1,020 \(2000-2019\), nation 20 \(2000-2019\)\)/)
  const query = await openLakeQuery(lake)
  try {
    const rows = await query.query("SELECT population FROM population WHERE level = 'city' AND state = 'TX' AND place = 'Austin' AND year = 2019")
    assert.deepEqual(rows, [{ population: '978908' }], 'the July 1, 2019 estimate of "Austin city, Texas"')
  } finally {
    await query.close()
  }
})

test('rates: incidents per 100,000 residents beside the count, NULL where no population is known', async () => {
  await writeIncidents([
    // A city's own file: 11 incidents in Austin in 2019, one of them stored as two rows.
    ...repeat(11, (i) => ['austin_apd', `2019-${i}`, 'Austin', 'TX', 2019]),
    ['austin_apd', '2019-0', 'Austin', 'TX', 2019],
    ['austin_apd', '2025-1', 'Austin', 'TX', 2025],
    // A national file: two Springfields, a place the Census does not list, an ambiguous name, a sheriff.
    ...repeat(3, (i) => ['fbi', `IL-${i}`, 'SPRINGFIELD', 'IL', 2019]),
    ['fbi', 'MA-1', 'Springfield', 'MA', 2019],
    ['fbi', 'TX-1', 'Nowhere Gulch', 'TX', 2019],
    ['fbi', 'TX-2', 'Reno', 'TX', 2019],
    ['fbi', 'TX-3', null, 'TX', 2019],
  ])
  const query = await openLakeQuery(lake)
  try {
    const rates = await query.query('SELECT level, source, state, place, year, incidents, population, rate_per_100k FROM rates ORDER BY ALL')
    const find = (level: string, source: string, state: string | null, place: string | null, year: number) =>
      rates.find((r) => r.level === level && r.source === source && r.state === state && (place === null || r.place === place) && r.year === year)

    // By hand: 11 / (978,908 / 100,000) = 1.1237 per 100,000.
    assert.deepEqual(find('city', 'austin_apd', 'TX', 'Austin', 2019), {
      level: 'city', source: 'austin_apd', state: 'TX', place: 'Austin', year: 2019, incidents: '11', population: '978908', rate_per_100k: 1.12,
    })
    assert.deepEqual(find('city', 'austin_apd', 'TX', 'Austin', 2025)?.population, null, 'the Census tables end in 2023')
    assert.equal(find('city', 'austin_apd', 'TX', 'Austin', 2025)?.rate_per_100k, null)
    assert.equal(find('city', 'austin_apd', 'TX', 'Austin', 2025)?.incidents, '1', 'the count stays when the rate cannot be had')
    assert.equal(rates.filter((r) => r.source === 'austin_apd' && r.level !== 'city').length, 0, 'a city file is not a state or a nation')

    // Springfield, Illinois (114,230 in 2019) and Springfield, Massachusetts (153,606) stay apart.
    assert.equal(find('city', 'fbi', 'IL', 'SPRINGFIELD', 2019)?.rate_per_100k, Math.round((3 / 1.1423) * 100) / 100)
    assert.equal(find('city', 'fbi', 'MA', 'Springfield', 2019)?.population, '153606')
    for (const place of ['Nowhere Gulch', 'Reno']) {
      const row = find('city', 'fbi', 'TX', place, 2019)
      assert.deepEqual([row?.incidents, row?.population, row?.rate_per_100k], ['1', null, null], place)
    }
    // Texas counts every Texas incident of the national file, the sheriff's too: 3 / 289.95881.
    assert.deepEqual(find('state', 'fbi', 'TX', null, 2019), {
      level: 'state', source: 'fbi', state: 'TX', place: 'Texas', year: 2019, incidents: '3', population: '28995881', rate_per_100k: 0.01,
    })
    assert.deepEqual(find('nation', 'fbi', null, null, 2019)?.population, '328239523')
    assert.equal(find('nation', 'fbi', null, null, 2019)?.incidents, '7')
  } finally {
    await query.close()
  }
})

test('a new load replaces the previous one whole, and a lake without places still answers', async () => {
  const out = cli('population', '--lake', lake, '--input', 'data/population/census_states_2010_2019.csv')
  assert.match(out, /^population: 520 rows \(city 0 \(none\), state 510 \(2010-2019\), nation 10 \(2010-2019\)\)/)
  const query = await openLakeQuery(lake)
  try {
    assert.deepEqual(await query.query('SELECT level, count(*)::INT AS n FROM population GROUP BY 1 ORDER BY 1'), [
      { level: 'nation', n: 10 },
      { level: 'state', n: 510 },
    ])
    const austin = await query.query("SELECT incidents, population, rate_per_100k FROM rates WHERE place = 'Austin' AND year = 2019")
    assert.deepEqual(austin, [{ incidents: '11', population: null, rate_per_100k: null }])
  } finally {
    await query.close()
  }
  const empty = await openLakeQuery(join(dir, 'no-lake'))
  try {
    assert.deepEqual(await empty.query('SELECT count(*)::INT AS n FROM rates'), [{ n: 0 }])
    assert.deepEqual(await empty.query('SELECT count(*)::INT AS n FROM population'), [{ n: 0 }])
  } finally {
    await empty.close()
  }
})

test("the real Austin file beside Austin's population: 2019 is 11 incidents, 1.12 per 100,000", async () => {
  const austin = join(dir, 'austin-lake')
  await runInProcess({ input: 'data/austin_hate_crimes_2017_2025.csv', lake: austin })
  cli('population', '--lake', austin, '--input', 'data/population/census_places_2010_2019.csv')
  const query = await openLakeQuery(austin)
  try {
    const rows = await query.query("SELECT level, source, year, incidents::INT AS incidents, population, rate_per_100k FROM rates WHERE place = 'Austin' AND year IN (2019, 2024) ORDER BY year")
    // By hand: 11 / (978,908 / 100,000) = 1.1237; 2024 is past the 2010-2019 table loaded here.
    assert.deepEqual(rows, [
      { level: 'city', source: 'austin_apd', year: 2019, incidents: 11, population: '978908', rate_per_100k: 1.12 },
      { level: 'city', source: 'austin_apd', year: 2024, incidents: 59, population: null, rate_per_100k: null },
    ])
  } finally {
    await query.close()
  }
})
