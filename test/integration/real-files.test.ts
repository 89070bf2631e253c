import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-real-'))
const lake = join(dir, 'lake')
const FBI_ZIP = 'data/fbi_cde_hate_crime_1991_2020.zip'
const AUSTIN = 'data/austin_hate_crimes_2017_2025.csv'

/** Incidents per year counted straight from the CSV the zip holds, unpacked by `unzip` and read by DuckDB. */
async function yearsFromCsv(): Promise<Record<string, number>> {
  execFileSync('unzip', ['-q', '-o', FBI_ZIP, '-d', dir])
  const db = await DuckDBInstance.create(':memory:')
  const connection = await db.connect()
  const sql = `SELECT DATA_YEAR::INTEGER AS year, COUNT(DISTINCT INCIDENT_ID)::INTEGER AS n FROM read_csv('${join(dir, 'hate_crime.csv')}', header = true, all_varchar = true) GROUP BY 1`
  const rows = (await connection.runAndReadAll(sql)).getRowObjectsJson()
  connection.closeSync()
  db.closeSync()
  return Object.fromEntries(rows.map((row) => [String(row.year), Number(row.n)]))
}

test('the whole FBI national file (as the FBI serves it, zipped) and the Austin file load into one lake, every row accounted for', async () => {
  const fbi = await runInProcess({ input: FBI_ZIP, lake })
  assert.equal(fbi.header.layout.id, 'fbi_cde')
  assert.equal(fbi.rows, 219_577)
  assert.equal(fbi.rows, fbi.written + fbi.deadLettered)
  assert.equal(fbi.deadLettered, 0)
  const austin = await runInProcess({ input: AUSTIN, lake })
  assert.deepEqual([austin.header.layout.id, austin.rows, austin.written + austin.deadLettered], ['austin_apd', 266, 266])

  const query = await openLakeQuery(lake)
  try {
    const [{ n: lakeRows }] = await query.query(`SELECT COUNT(*)::INTEGER AS n FROM incidents WHERE source = 'fbi_cde'`)
    assert.equal(lakeRows, fbi.written)

    const unmapped = await query.query(
      `SELECT flag, COUNT(*)::INTEGER AS n FROM (SELECT unnest(quality_flags) AS flag FROM incidents WHERE source = 'fbi_cde') WHERE flag LIKE 'unmapped%' GROUP BY flag`,
    )
    assert.deepEqual(unmapped, [], 'no FBI bias, offense, location, race, victim type or state is unmapped')

    // Nebraska's 1,133 rows (the FBI's old code NB) and Guam's 5 (GM) carry USPS codes; the 426 rows of federal agencies no state.
    const states = await query.query(`
      SELECT COUNT(*) FILTER (state = 'NE')::INTEGER AS ne, COUNT(*) FILTER (state IN ('NB', 'GM', 'FS'))::INTEGER AS fbi_codes,
             COUNT(*) FILTER ('nonstandard_state_code' = ANY(quality_flags))::INTEGER AS renamed,
             COUNT(*) FILTER (state IS NULL AND 'federal_agency' = ANY(quality_flags))::INTEGER AS federal,
             COUNT(DISTINCT state)::INTEGER AS codes
      FROM incidents WHERE source = 'fbi_cde'`)
    assert.deepEqual(states, [{ ne: 1133, fbi_codes: 0, renamed: 1138, federal: 426, codes: 52 }])

    // The file's years are its DATA_YEARs, and every incident's date falls in its DATA_YEAR.
    const fromLake = await query.query(`SELECT year::INTEGER AS year, COUNT(DISTINCT incident_id)::INTEGER AS n FROM incidents WHERE source = 'fbi_cde' GROUP BY 1`)
    assert.deepEqual(Object.fromEntries(fromLake.map((row) => [String(row.year), Number(row.n)])), await yearsFromCsv())

    const sideBySide = await query.query(`
      SELECT year::INTEGER AS year,
             COUNT(DISTINCT incident_id) FILTER (source = 'austin_apd')::INTEGER AS austin_apd,
             COUNT(DISTINCT incident_id) FILTER (source = 'fbi_cde')::INTEGER AS fbi_cde
      FROM incidents WHERE agency_ori = 'TX2270100' AND year BETWEEN 2017 AND 2020 GROUP BY 1 ORDER BY 1`)
    assert.deepEqual(sideBySide, [
      { year: 2017, austin_apd: 17, fbi_cde: 18 },
      { year: 2018, austin_apd: 20, fbi_cde: 19 },
      { year: 2019, austin_apd: 11, fbi_cde: 10 },
      { year: 2020, austin_apd: 24, fbi_cde: 22 },
    ])
  } finally {
    await query.close()
  }
})
