import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Papa from 'papaparse'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { openStore } from '../../src/lake/open-store.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { readCensusTable } from '../../src/population/census-tables.ts'
import { buildPopulation, writePopulation } from '../../src/population/population-table.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-cities-'))
const UNMAPPED = "['unmapped_bias', 'unmapped_offense', 'unmapped_location', 'unmapped_race_ethnicity', 'unmapped_victim_type']"

/** The file's data rows, read apart from the pipeline. */
function csvRows(path: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data
}

async function load(input: string, name: string) {
  const lake = join(dir, name)
  const summary = await runInProcess({ input, lake })
  const store = await openStore(lake)
  await writePopulation(store, buildPopulation([await readCensusTable('data/population/census_places_2010_2019.csv')]))
  await store.close()
  return { summary, lake: await openLakeQuery(lake) }
}

const counts = async (lake: Awaited<ReturnType<typeof openLakeQuery>>) => {
  const [row] = await lake.query(
    `SELECT (SELECT count(*) FROM incidents)::INT AS lake, (SELECT count(*) FROM dead_letters)::INT AS dead,
            (SELECT count(*) FROM incidents WHERE list_has_any(quality_flags, ${UNMAPPED}))::INT AS unmapped`,
  )
  return row
}

test('NYPD 2019-2024: every complaint accounted for, every bias word mapped but the flagged age bias', async () => {
  const input = 'data/nypd_hate_crimes_2019_2024.csv'
  const rows = csvRows(input)
  const { summary, lake } = await load(input, 'nypd')
  try {
    assert.equal(summary.header.layout.id, 'nypd')
    assert.equal(summary.rows, rows.length)
    assert.deepEqual(await counts(lake), { lake: rows.length, dead: 0, unmapped: 0 }, 'lake + dead letters == input, nothing unmapped')
    const noCode = await lake.query("SELECT DISTINCT raw_bias, list_contains(quality_flags, 'non_fbi_bias') AS flagged FROM incidents WHERE len(list_filter(bias_codes, c -> c IS NULL)) > 0")
    assert.deepEqual(noCode, [{ raw_bias: '60 YRS AND OLDER', flagged: true }])
    const byYear = await lake.query('SELECT year, COUNT(DISTINCT incident_id)::INT AS n FROM incidents GROUP BY 1 ORDER BY 1')
    const expected = new Map<number, number>()
    for (const row of rows) {
      const year = Number(row['Record Create Date'].split('/')[2])
      expected.set(year, (expected.get(year) ?? 0) + 1)
    }
    assert.deepEqual(byYear, [...expected].sort((a, b) => a[0] - b[0]).map(([year, n]) => ({ year, n })), 'one incident per complaint row')
    const [ny2019] = await lake.query("SELECT incidents::INT AS incidents, population, rate_per_100k FROM rates WHERE place = 'New York' AND year = 2019")
    const n = expected.get(2019) as number
    assert.deepEqual(ny2019, { incidents: n, population: '8336817', rate_per_100k: Math.round((n / 83.36817) * 100) / 100 })
  } finally {
    await lake.close()
  }
})

test('NYPD ids come from the rows alone: the real file in reverse order gives the same id for the same complaint', async () => {
  const input = 'data/nypd_hate_crimes_2019_2024.csv'
  const [header, ...lines] = readFileSync(input, 'utf8').trimEnd().split(/\r?\n/)
  const reversed = join(dir, 'nypd_reversed.csv')
  writeFileSync(reversed, [header, ...lines.reverse()].join('\n') + '\n')
  const idsOf = async (file: string, name: string) => {
    const { lake } = await load(file, name)
    try {
      const sql = `SELECT incident_id, incident_date::VARCHAR AS date, sector, raw_offenses, raw_bias FROM incidents ORDER BY incident_id`
      return await lake.query(sql)
    } finally {
      await lake.close()
    }
  }
  const forward = await idsOf(input, 'nypd-forward')
  const backward = await idsOf(reversed, 'nypd-backward')
  assert.equal(new Set(forward.map((row) => row.incident_id)).size, lines.length, 'one id per complaint row, the 69 exact copies included')
  assert.deepEqual(backward, forward)
  assert.equal(forward.filter((row) => /-r\d+$/.test(String(row.incident_id))).length, 0, 'no id carries its row number')
})

test('San Francisco 2001-2025: every incident accounted for, every bias mapped but the flagged Anti-Citizenship Status', async () => {
  const input = 'data/sf_hate_crimes_2001_2025.csv'
  const rows = csvRows(input)
  const { summary, lake } = await load(input, 'sf')
  try {
    assert.equal(summary.header.layout.id, 'sf_police')
    assert.deepEqual(await counts(lake), { lake: rows.length, dead: 0, unmapped: 0 }, 'lake + dead letters == input, nothing unmapped')
    assert.equal(summary.rows, rows.length)
    const noCode = await lake.query("SELECT raw_bias, list_contains(quality_flags, 'non_fbi_bias') AS flagged, count(*)::INT AS n FROM incidents WHERE len(list_filter(bias_codes, c -> c IS NULL)) > 0 GROUP BY ALL")
    assert.deepEqual(noCode, [{ raw_bias: 'Anti-Citizenship Status', flagged: true, n: 2 }])
    const raw = new Set(rows.map((row) => row.most_serious_location))
    const [locations] = await lake.query('SELECT count(DISTINCT raw_location)::INT AS n, count(*) FILTER (WHERE location IS NULL)::INT AS unplaced FROM incidents')
    assert.deepEqual(locations, { n: raw.size, unplaced: 0 })
    const [sf2019] = await lake.query("SELECT incidents::INT AS incidents, population FROM rates WHERE state = 'CA' AND place = 'San Francisco' AND year = 2019")
    assert.deepEqual(sf2019, { incidents: rows.filter((row) => row.occurence_month.startsWith('2019/')).length, population: '881549' })
  } finally {
    await lake.close()
  }
})
