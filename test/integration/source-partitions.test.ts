import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { FsStore } from '../../src/lake/fs-store.ts'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { austinCsv, MESSY_ROWS } from '../fixtures/austin-rows.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-sources-'))
const lake = join(dir, 'lake')
const input = join(dir, 'austin.csv')
writeFileSync(input, austinCsv(MESSY_ROWS))

const keysOf = async (prefix: string) => (await new FsStore(lake).list(prefix)).map((info) => info.key).sort()

test('each source has its own folder; rerunning one never touches another, and a source removed whole leaves the rest', async () => {
  await runInProcess({ input, lake })
  await runInProcess({ input, lake, source: 'synthetic' })
  const synthetic = await keysOf('incidents/source=synthetic/')
  assert.ok(synthetic.length > 0)
  assert.ok((await keysOf('incidents/')).every((key) => /^incidents\/source=(austin_apd|synthetic)\/year=\d{4}\/month=\d{2}\//.test(key)))
  const stamps = synthetic.map((key) => statSync(join(lake, key)).mtimeMs)

  const again = await runInProcess({ input, lake })
  assert.equal(again.source, 'austin_apd')
  assert.deepEqual(await keysOf('incidents/source=synthetic/'), synthetic)
  assert.deepEqual(synthetic.map((key) => statSync(join(lake, key)).mtimeMs), stamps, 'the other source is not rewritten')

  const query = await openLakeQuery(lake)
  try {
    const counts = await query.query(`SELECT source, COUNT(*)::INTEGER AS n FROM incidents GROUP BY 1 ORDER BY 1`)
    assert.deepEqual(counts, [
      { source: 'austin_apd', n: MESSY_ROWS.length },
      { source: 'synthetic', n: MESSY_ROWS.length },
    ])
  } finally {
    await query.close()
  }

  rmSync(join(lake, 'incidents', 'source=synthetic'), { recursive: true })
  const left = await openLakeQuery(lake)
  try {
    assert.deepEqual(await left.query(`SELECT DISTINCT source FROM incidents`), [{ source: 'austin_apd' }])
  } finally {
    await left.close()
  }
})

test('DuckDB reads `source` from the Hive path and from the files alike, and prunes files by it', async () => {
  await runInProcess({ input, lake, source: 'synthetic' })
  const db = await DuckDBInstance.create(':memory:')
  const connection = await db.connect()
  const glob = `${lake}/incidents/**/*.parquet`
  const read = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson()
  // The files' own column (no Hive reading) always names the folder the file is in...
  const misplaced = await read(
    `SELECT COUNT(*)::INTEGER AS n FROM read_parquet('${glob}', hive_partitioning = false, filename = true) WHERE filename NOT LIKE '%/source=' || source || '/%'`,
  )
  assert.deepEqual(misplaced, [{ n: 0 }])
  // ...so reading the path's value instead gives the same rows per source.
  const bySource = (hive: boolean) => read(`SELECT source, COUNT(*)::INTEGER AS n FROM read_parquet('${glob}', hive_partitioning = ${hive}) GROUP BY 1 ORDER BY 1`)
  assert.deepEqual(await bySource(true), await bySource(false))
  const plan = await read(`EXPLAIN SELECT incident_id FROM read_parquet('${glob}', hive_partitioning = true) WHERE source = 'austin_apd'`)
  const [, scanned, total] = /Scanning Files: (\d+)\/(\d+)/.exec(JSON.stringify(plan)) ?? []
  assert.ok(Number(scanned) > 0 && Number(scanned) < Number(total), `only the source's files are read (${scanned} of ${total})`)
  connection.closeSync()
  db.closeSync()
})
