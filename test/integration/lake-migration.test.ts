import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { HatecrimesError } from '../../src/core/errors.ts'
import { loadKafkaConfig } from '../../src/core/kafka-config.ts'
import { migrateLake } from '../../src/lake/lake-migration.ts'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { openStore } from '../../src/lake/open-store.ts'
import { ingest } from '../../src/pipelines/ingest.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { austinCsv, MESSY_ROWS, rawRow } from '../fixtures/austin-rows.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-migrate-'))

const filesUnder = (folder: string) => readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => /\.(parquet|jsonl)$/.test(name))

/**
 * Puts a lake of today's layout back as lakes were written before sources had folders: files out
 * of their `source=` folders, dead-letter lines without their source and layout.
 */
function toOldLayout(lake: string): void {
  for (const table of ['incidents', 'dead_letters']) {
    for (const name of filesUnder(join(lake, table))) {
      const old = join(lake, table, name.replace(/^source=[^/]+\//, ''))
      mkdirSync(dirname(old), { recursive: true })
      renameSync(join(lake, table, name), old)
    }
    for (const name of readdirSync(join(lake, table)).filter((name) => name.startsWith('source='))) rmSync(join(lake, table, name), { recursive: true })
  }
  for (const name of filesUnder(join(lake, 'dead_letters'))) {
    const path = join(lake, 'dead_letters', name)
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    writeFileSync(path, lines.map(({ source: _source, layout: _layout, ...letter }) => JSON.stringify(letter)).join('\n') + '\n')
  }
}

const needsMigration = (error: unknown) =>
  error instanceof HatecrimesError && error.code === 'LAKE_NEEDS_MIGRATION' && /run "hatecrimes migrate-lake --lake file:\/\/.*" once/.test(error.message)

test('a lake written before sources had folders is refused with how to migrate; migrate-lake moves it and it reads and reruns again', async () => {
  const input = join(dir, 'austin.csv')
  writeFileSync(input, austinCsv(MESSY_ROWS))
  const generated = join(dir, 'generated.csv')
  const unreadable = rawRow({ incident_number: '2022-9', date_of_incident: '2022-13-45' })
  writeFileSync(generated, austinCsv([rawRow({ incident_number: '2019-5', date_of_incident: '06/01/2019 12:00:00 AM' }), unreadable]))
  const lake = join(dir, 'lake')
  await runInProcess({ input, lake })
  await runInProcess({ input: generated, lake, source: 'synthetic' })
  toOldLayout(lake)
  // A compaction of the old layout that had merged one file into another: only the merged one is live.
  const [merged] = filesUnder(join(lake, 'incidents'))
  const replaced = merged.replace('file-', 'file-small-')
  copyFileSync(join(lake, 'incidents', merged), join(lake, 'incidents', replaced))
  const manifest = { merged: `incidents/${merged}`, replaced: [`incidents/${replaced}`] }
  writeFileSync(join(lake, 'incidents', dirname(merged), '_compaction-0123456789abcdef.json'), JSON.stringify(manifest))

  await assert.rejects(openLakeQuery(lake), needsMigration, 'queries and the dashboard say how to migrate')
  await assert.rejects(runInProcess({ input, lake }), needsMigration, 'a run would not find its earlier files to replace')
  const unreachable = loadKafkaConfig({ brokers: '127.0.0.1:1' })
  await assert.rejects(ingest({ kafka: unreachable, topic: 'incidents', group: 'g', lake }), needsMigration, 'an ingest refuses the lake before it looks for the broker')

  const printed = execFileSync(process.execPath, ['bin/hatecrimes.js', 'migrate-lake', '--lake', lake], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  assert.match(printed, /^migrated file:\/\/.*: \d+ data files and 1 dead-letter files moved into their sources' folders\n$/)
  const store = await openStore(lake)
  const again = await migrateLake(store, 'austin_apd')
  await store.close()
  assert.deepEqual([again.moved.size, again.removed, again.deadLetters], [0, 0, 0], 'a migrated lake is left as is')
  const folders = new Set(filesUnder(join(lake, 'incidents')).map((name) => name.split('/')[0]))
  assert.deepEqual([...folders].sort(), ['source=austin_apd', 'source=synthetic'], 'every data file is in its source\'s folder')
  assert.ok(filesUnder(join(lake, 'incidents')).every((name) => !name.includes('file-small-') && !name.includes('_compaction-')), 'the merged-away file is gone')

  const query = await openLakeQuery(lake)
  try {
    const bySource = await query.query('SELECT source, COUNT(*)::INTEGER AS n FROM incidents GROUP BY 1 ORDER BY 1')
    assert.deepEqual(bySource, [{ source: 'austin_apd', n: MESSY_ROWS.length }, { source: 'synthetic', n: 1 }], 'every row once, under the source its file names')
    const letters = await query.query('SELECT source, layout, code FROM dead_letters')
    assert.deepEqual(letters, [{ source: 'synthetic', layout: null, code: 'bad_date' }], 'an old letter takes the source of its run, not --source')
  } finally {
    await query.close()
  }
  // A rerun writes the same file names as the run before the migration: it replaces them, never adds.
  const before = filesUnder(join(lake, 'incidents', 'source=austin_apd')).sort()
  await runInProcess({ input, lake })
  assert.deepEqual(filesUnder(join(lake, 'incidents', 'source=austin_apd')).sort(), before)
  const after = await openLakeQuery(lake)
  const [{ n }] = await after.query("SELECT COUNT(*)::INTEGER AS n FROM incidents WHERE source = 'austin_apd'")
  await after.close()
  assert.equal(n, MESSY_ROWS.length)
})

test.after(() => rmSync(dir, { recursive: true, force: true }))
