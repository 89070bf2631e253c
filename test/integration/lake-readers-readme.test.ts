// The README tells outside readers how to query the lake with DuckDB; this runs its lines, as
// written there, against a lake of the real Austin file.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DuckDBInstance } from '@duckdb/node-api'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const lake = join(mkdtempSync(join(tmpdir(), 'hc-readers-')), 'lake')

test("the README's DuckDB lines type year and month as integers, so month = 1 and month = '1' both find January", async () => {
  await runInProcess({ input: join(root, 'data/austin_hate_crimes_2017_2025.csv'), lake })
  const lines = readme.split('\n').filter((line) => line.includes("read_parquet('lake/incidents/**/*.parquet'"))
  assert.ok(lines.length >= 2, 'the SQL and the Python example')
  const db = await DuckDBInstance.create(':memory:')
  const connection = await db.connect()
  const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson()
  const january = await rows(`SELECT count(*)::INT AS n FROM read_parquet('${lake}/incidents/**/*.parquet') WHERE month(incident_date) = 1`)
  assert.ok(Number(january[0].n) > 0)
  for (const line of lines) {
    const from = /read_parquet\('lake\/incidents\/\*\*\/\*\.parquet'[^)]*\)/.exec(line)![0].replace("'lake/", `'${lake}/`)
    assert.match(from, /hive_types = \{'year': INTEGER, 'month': INTEGER\}/, `every example gives hive_types: ${line}`)
    assert.deepEqual(await rows(`SELECT DISTINCT typeof(year) AS y, typeof(month) AS m FROM ${from}`), [{ y: 'INTEGER', m: 'INTEGER' }])
    assert.deepEqual(await rows(`SELECT count(*)::INT AS n FROM ${from} WHERE month = '1'`), january)
    assert.deepEqual(await rows(`SELECT count(*)::INT AS n FROM ${from} WHERE month = 1`), january)
  }
  const untyped = await rows(`SELECT count(*)::INT AS n FROM read_parquet('${lake}/incidents/**/*.parquet') WHERE month = '1'`)
  assert.deepEqual(untyped, [{ n: 0 }], 'without hive_types the folders read as text, as the README warns')
  connection.closeSync()
})
