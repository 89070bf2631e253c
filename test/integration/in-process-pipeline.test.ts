import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { austinCsv, MESSY_ROWS, rawRow } from '../fixtures/austin-rows.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-run-'))
const BAD_ROWS = [
  rawRow({ incident_number: '2022-9', date_of_incident: '2022-13-45' }),
  rawRow({ incident_number: '', date_of_incident: '01/05/2022 12:00:00 AM' }),
]

function fixtureCsv(name: string): string {
  const path = join(dir, name)
  const lines = austinCsv([...MESSY_ROWS, ...BAD_ROWS]).split('\r\n')
  lines.splice(3, 0, lines[3].split(',').slice(0, 10).join(','))
  writeFileSync(path, lines.join('\r\n'))
  return path
}

test('a fixture CSV runs into a Hive-partitioned lake that DuckDB reads; nothing lost', async () => {
  const input = fixtureCsv('austin.csv')
  const lake = join(dir, 'lake')
  const summary = await runInProcess({ input, lake })
  assert.equal(summary.rows, MESSY_ROWS.length + BAD_ROWS.length + 1)
  assert.equal(summary.written, MESSY_ROWS.length)
  assert.equal(summary.deadLettered, 3)
  assert.equal(summary.rows, summary.written + summary.deadLettered)

  const db = await DuckDBInstance.create(':memory:')
  const connection = await db.connect()
  const glob = `${lake}/incidents/**/*.parquet`
  const read = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson()
  const rows = await read(`SELECT * FROM read_parquet('${glob}', hive_partitioning = true) ORDER BY source_row`)
  assert.equal(rows.length, MESSY_ROWS.length)
  assert.deepEqual(
    rows.map((row) => row.incident_id),
    MESSY_ROWS.map((row) => row.incident_number),
  )
  const types = await read(
    `SELECT typeof(incident_date) AS d, typeof(ingested_at) AS t, typeof(biases) AS b, typeof(zip_code) AS z, typeof(victims_adult) AS v FROM read_parquet('${glob}', hive_partitioning = true) LIMIT 1`,
  )
  assert.deepEqual(types[0], { d: 'DATE', t: 'TIMESTAMP WITH TIME ZONE', b: 'VARCHAR[]', z: 'VARCHAR', v: 'INTEGER' })
  const columns = await read(`SELECT name FROM parquet_schema('${glob}') WHERE name IN ('year', 'month')`)
  assert.deepEqual(columns, [], 'partition columns live only in the folder names, as Spark and pyarrow require')
  const partitions = await read(`SELECT DISTINCT year::INT AS year, month::INT AS month FROM read_parquet('${glob}', hive_partitioning = true) WHERE incident_id = '2019-8000242'`)
  assert.deepEqual(partitions, [{ year: 2018, month: 12 }], 'partitioned by the incident date, not the number prefix')
  const meta = await read(`SELECT DISTINCT compression FROM parquet_metadata('${glob}') WHERE compression <> 'ZSTD' AND total_uncompressed_size >= 1024`)
  assert.deepEqual(meta, [], 'zstd, but for chunks too small to gain from it (parquet-encode.test.ts)')
  const nulls = await read(`SELECT offenders_total FROM read_parquet('${glob}') WHERE incident_id = '2020-1'`)
  assert.deepEqual(nulls, [{ offenders_total: null }], 'unknown counts stay NULL in Parquet')
  connection.closeSync()
})

test('dead letters carry source, layout, row, stage, reason and the raw row, in their source\'s folder; the query layer sees both views', async () => {
  const lake = join(dir, 'lake')
  const query = await openLakeQuery(lake)
  try {
    const letters = await query.query(`SELECT code, stage, message, origin->>'row' AS row FROM dead_letters ORDER BY row::INT`)
    assert.deepEqual(letters.map((l) => [l.code, l.stage, l.row]), [
      ['column_count', 'read', '4'],
      ['bad_date', 'parse', '17'],
      ['missing_incident_number', 'parse', '18'],
    ])
    assert.equal(letters[0].message, 'Expected 15 fields at row 4 of austin.csv (got 10)')
    const from = await query.query(`SELECT DISTINCT source, layout FROM dead_letters`)
    assert.deepEqual(from, [{ source: 'austin_apd', layout: 'austin_apd' }])
    assert.ok(query.files().deadLetters.every((file) => file.key.startsWith('dead_letters/source=austin_apd/')))
    const [{ incidents }] = await query.query('SELECT COUNT(DISTINCT incident_id) AS incidents FROM incidents')
    assert.equal(Number(incidents), MESSY_ROWS.length - 1, 'the two-offense incident counts once')
  } finally {
    await query.close()
  }
})

test('running the same input again replaces its files instead of duplicating rows', async () => {
  const input = join(dir, 'austin.csv')
  const lake = join(dir, 'lake')
  const before = readdirSync(join(lake, 'incidents'), { recursive: true }).filter((f) => String(f).endsWith('.parquet')).sort()
  const again = await runInProcess({ input, lake })
  const after = readdirSync(join(lake, 'incidents'), { recursive: true }).filter((f) => String(f).endsWith('.parquet')).sort()
  assert.deepEqual(after, before)
  assert.equal(again.removedStale, 0)
  const smaller = await runInProcess({ input, lake, fileRows: 1 })
  assert.ok(smaller.removedStale > 0, 'files of the earlier batching are removed')
  const query = await openLakeQuery(lake)
  const [{ n }] = await query.query('SELECT count(*) AS n FROM incidents')
  await query.close()
  assert.equal(Number(n), MESSY_ROWS.length)
})

test('inputs of the same name from other folders, with look-alike names or another source never replace each other', async () => {
  const lake = join(dir, 'lake-names')
  const inputs = ['a/data.csv', 'b/data.csv', 'x y.csv', 'x_y.csv', `${'long'.repeat(40)}.csv`, `${'long'.repeat(40)}!.csv`]
  for (const name of inputs) {
    mkdirSync(dirname(join(dir, 'names', name)), { recursive: true })
    copyFileSync(join(dir, 'austin.csv'), join(dir, 'names', name))
    const summary = await runInProcess({ input: join(dir, 'names', name), lake })
    assert.equal(summary.removedStale, 0, `${name} replaced nothing of another input`)
  }
  await runInProcess({ input: join(dir, 'names', 'a/data.csv'), lake, source: 'synthetic' })
  const again = await runInProcess({ input: join(dir, 'names', 'a/data.csv'), lake, fileRows: 1 })
  assert.ok(again.removedStale > 0, 'a rerun of the same input and source still replaces its own files')
  const query = await openLakeQuery(lake)
  const [{ n }] = await query.query('SELECT count(*) AS n FROM incidents')
  await query.close()
  assert.equal(Number(n), MESSY_ROWS.length * (inputs.length + 1))
})

test('the CLI runs a file, prints the balance and queries the lake', () => {
  const input = fixtureCsv('cli.csv')
  const lake = join(dir, 'cli-lake')
  const cli = (...args: string[]) => execFileSync(process.execPath, ['bin/hatecrimes.js', ...args], { encoding: 'utf8', env: { ...process.env, KAFKA_BROKERS: '' } })
  const out = cli('run', '--input', input, '--lake', lake)
  assert.match(out, /read 17 rows: 14 in the lake \(\d+ files\), 3 dead-lettered .*balance ok/)
  const table = cli('query', 'SELECT year, COUNT(DISTINCT incident_id) AS incidents FROM incidents GROUP BY 1 ORDER BY 1', '--lake', lake)
  assert.match(table, /^year\s+incidents\n/)
  assert.match(table, /2023\s+2\n/)
  assert.match(table, /\(8 rows\)/)
})

test('bad CLI input gives clear errors and exit codes', () => {
  const run = (...args: string[]) => {
    try {
      execFileSync(process.execPath, ['bin/hatecrimes.js', ...args], { encoding: 'utf8', stdio: 'pipe' })
      return { code: 0, stderr: '' }
    } catch (error) {
      const failed = error as { status: number; stderr: string }
      return { code: failed.status, stderr: failed.stderr }
    }
  }
  const missing = run('run', '--input', join(dir, 'nope.csv'), '--lake', join(dir, 'x'), '--no-kafka')
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /Expected a CSV file at .*nope\.csv \(no such file\)/)
  const rows = run('generate', '--rows', 'abc')
  assert.notEqual(rows.code, 0)
  assert.match(rows.stderr, /Expected a positive whole number for --rows \(got "abc"\)/)
  const format = run('query', 'SELECT 1', '--format', 'xml', '--lake', join(dir, 'lake'))
  assert.equal(format.code, 2)
  assert.match(format.stderr, /Expected --format to be one of table, csv, json \(got "xml"\)/)
  const sql = run('query', 'SELEC nonsense', '--lake', join(dir, 'lake'))
  assert.equal(sql.code, 5)
  assert.match(sql.stderr, /Query failed/)
})

test('a row that is not UTF-8 and a record past --max-record-chars go to the dead letters; the rows after them reach the lake', async () => {
  const rows = [
    rawRow({ incident_number: '2021-1' }),
    rawRow({ incident_number: '2021-2', offense_location: 'x'.repeat(5_000) }),
    rawRow({ incident_number: '2021-3', offense_location: 'R\u00e9sidence' }),
    rawRow({ incident_number: '2021-4' }),
  ]
  const input = join(dir, 'mixed.csv')
  writeFileSync(input, Buffer.from(austinCsv(rows), 'latin1'))
  const lake = join(dir, 'lake-mixed')
  const summary = await runInProcess({ input, lake, maxRecordChars: 2_000 })
  assert.deepEqual([summary.rows, summary.written, summary.deadLettered], [4, 2, 2], 'the balance, read back from the lake')
  const query = await openLakeQuery(lake)
  try {
    const letters = await query.query(`SELECT origin->>'row' AS row, code FROM dead_letters ORDER BY row::INT`)
    assert.deepEqual(letters.map((l) => [l.row, l.code]), [['3', 'record_too_long'], ['4', 'not_utf8']])
    const ids = await query.query('SELECT incident_id FROM incidents ORDER BY source_row')
    assert.deepEqual(ids.map((r) => r.incident_id), ['2021-1', '2021-4'])
  } finally {
    await query.close()
  }
})
