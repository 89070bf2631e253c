import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { tempDir } from './kafka-harness.ts'
import { uniqueLake } from './s3-harness.ts'

// Executes notebooks/hatecrimes-lake.ipynb top to bottom with nbclient in the project's virtual
// environment (scripts/python-env.sh), against lakes built here, and reads the executed copy.
const NOTEBOOK = 'notebooks/hatecrimes-lake.ipynb'
const EXTENSIONS = join(process.cwd(), '.cache', 'duckdb-extensions')
const EXECUTE = `import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3").execute()
nbformat.write(nb, sys.argv[2])`

interface Output { output_type: string; text?: string | string[]; data?: Record<string, unknown>; ename?: string; evalue?: string }
interface Cell { cell_type: string; metadata: { tags?: string[] }; outputs?: Output[] }

const dir = tempDir('notebook')
const python = process.env.NOTEBOOK_PYTHON ?? execFileSync('bash', ['scripts/python-env.sh'], { encoding: 'utf8' }).trim()
const db = await DuckDBInstance.create(':memory:')
const connection = await db.connect()
const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson()

function execute(lake: string, name: string): Cell[] {
  const out = join(dir, `${name}.ipynb`)
  execFileSync(python, ['-c', EXECUTE, NOTEBOOK, out], {
    // DuckDB's extensions (httpfs, for S3) live under the project's .cache, where python-env.sh put them.
    env: { ...process.env, HATECRIMES_LAKE: lake, JUPYTER_RUNTIME_DIR: join(dir, 'runtime'), DUCKDB_EXTENSION_DIRECTORY: EXTENSIONS },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const cells: Cell[] = JSON.parse(readFileSync(out, 'utf8')).cells
  const errors = cells.flatMap((cell) => cell.outputs ?? []).filter((output) => output.output_type === 'error')
  assert.deepEqual(errors.map((error) => `${error.ename}: ${error.evalue}`), [], 'no cell fails')
  return cells
}

function tagged(cells: Cell[], tag: string): Cell {
  const cell = cells.find((candidate) => candidate.metadata.tags?.includes(tag))
  assert.ok(cell, `Expected a cell tagged ${tag} in ${NOTEBOOK}`)
  return cell
}

const printed = (cell: Cell) => (cell.outputs ?? []).filter((o) => o.output_type === 'stream').map((o) => [o.text ?? ''].flat().join('')).join('')
const images = (cell: Cell) => (cell.outputs ?? []).filter((o) => typeof o.data?.['image/png'] === 'string').length

/** `source year incidents` lines of the yearly table, as "source year" -> incidents. */
function yearlyCounts(cell: Cell): Record<string, number> {
  const lines = printed(cell).matchAll(/^\s*(\S+)\s+(\d{4})\s+(\d+)\s/gm)
  return Object.fromEntries([...lines].map(([, source, year, incidents]) => [`${source} ${year}`, Number(incidents)]))
}

/** A CLI command, as a user runs it, on the lake's folder. */
function hatecrimes(...args: string[]): void {
  execFileSync(process.execPath, ['bin/hatecrimes.js', ...args], { env: { ...process.env, KAFKA_BROKERS: '' }, stdio: 'ignore' })
}

/** The real Austin file run into a lake (a folder or s3://) by the CLI. */
function austinLake(lake: string): string {
  hatecrimes('run', '--input', 'data/austin_hate_crimes_2017_2025.csv', '--lake', lake)
  return lake
}

const lake = austinLake(join(dir, 'lake'))
const glob = `${lake}/incidents/**/*.parquet`
const austinYears = async () => {
  const expected = await rows(`SELECT 'austin_apd ' || year(incident_date) AS k, COUNT(DISTINCT incident_id)::INT AS n FROM read_parquet('${glob}') GROUP BY 1`)
  return Object.fromEntries(expected.map((row) => [row.k, row.n]))
}

test('the notebook runs top to bottom on the real Austin lake; its counts are the lake\'s', async () => {
  const cells = execute(lake, 'austin')
  assert.deepEqual(yearlyCounts(tagged(cells, 'incidents-per-year')), await austinYears())
  assert.match(printed(tagged(cells, 'incidents-per-year')), /2025\s+15\s+3 partial: to 2025-03-24/)
  for (const tag of ['incidents-chart', 'bias', 'offenses', 'offenders']) assert.equal(images(tagged(cells, tag)), 1, `a chart from ${tag}`)
  assert.match(printed(tagged(cells, 'offenders')), /race unknown or not recorded: 69 of 265 incidents \(26%\)/)
  assert.match(printed(tagged(cells, 'places')), /not available in this lake \(there is no population\/ table\)/)
})

test('the notebook reads a Parquet file downloaded from the dashboard, and a lake in S3', async () => {
  // What the dashboard's "Download Parquet" writes: the lake's rows with year and month, one file.
  const file = join(dir, 'incidents.parquet')
  await connection.run(`COPY (SELECT * FROM read_parquet('${glob}', hive_partitioning = true)) TO '${file}' (FORMAT parquet)`)
  assert.deepEqual(yearlyCounts(tagged(execute(file, 'download'), 'incidents-per-year')), await austinYears())
  const s3 = execute(austinLake(uniqueLake('notebook')), 's3')
  assert.deepEqual(yearlyCounts(tagged(s3, 'incidents-per-year')), await austinYears())
  assert.equal(images(tagged(s3, 'bias')), 1)
})

test('with city files, a many-city source and the real population table, each rate takes its own level\'s residents', async () => {
  const multi = join(dir, 'multi')
  hatecrimes('run', '--input', 'data/austin_hate_crimes_2017_2025.csv', '--lake', multi)
  hatecrimes('run', '--input', 'data/nypd_hate_crimes_2019_2024.csv', '--lake', multi)
  // A many-city source as the FBI's file is one, made from the two cities' rows (2019-2020) with
  // the FBI's spelling of places: Austin's incidents, and New York's under its state's name.
  await connection.run(`COPY (
      SELECT * EXCLUDE (source, city, state), 'fbi_cde' AS source, upper(city) AS city,
             CASE state WHEN 'NY' THEN 'New York' ELSE state END AS state
      FROM read_parquet('${multi}/incidents/source=*/**/*.parquet') WHERE year(incident_date) IN (2019, 2020))
    TO '${multi}/incidents' (FORMAT parquet, PARTITION_BY (source, year, month), OVERWRITE_OR_IGNORE)`)
  hatecrimes('population', '--lake', multi, '--input', 'data/population')
  const cells = execute(multi, 'multi')
  const count = async (where: string) =>
    Number((await rows(`SELECT COUNT(DISTINCT incident_id)::INT AS n FROM read_parquet('${multi}/incidents/**/*.parquet', hive_partitioning = true) WHERE ${where}`))[0].n)
  const newYork = await count("source = 'nypd' AND year(incident_date) = 2019")
  const both = (await count("source = 'fbi_cde' AND year(incident_date) = 2019"))
  const rate = (n: number, population: number) => (Math.round((n * 100_000 * 100) / population) / 100).toString()
  const places = printed(tagged(cells, 'places'))
  assert.match(places, /city\s+austin_apd\s+TX\s+Austin\s+2019\s+11\s+978908\s+1\.12/, 'count, population and rate per 100,000 side by side')
  assert.match(places, /city\s+fbi_cde\s+TX\s+AUSTIN\s+2019\s+11\s+978908\s+1\.12/, 'the FBI rows match the Census place by name and state')
  assert.match(places, new RegExp(`city\\s+nypd\\s+NY\\s+New York\\s+2019\\s+${newYork}\\s+8336817\\s+${rate(newYork, 8336817)}\\s`), "New York City's residents, not New York State's")
  assert.match(places, new RegExp(`state\\s+fbi_cde\\s+NY\\s+all agencies\\s+2019\\s+${newYork}\\s+19453561\\s`), "the state's residents for the many-city source")
  assert.match(places, new RegExp(`nation\\s+fbi_cde\\s+United States\\s+2019\\s+${both}\\s+328239523\\s`), "the nation's residents")
  assert.doesNotMatch(places, /state\s+(austin_apd|nypd)\s/, 'a city police file is never set against its state')
  assert.match(places, /city\s+austin_apd\s+TX\s+Austin\s+2024\s+\d+\s+<NA>\s+(?:<NA>|NaN)\s+no population/, 'no rate where no population is known')
  assert.match(places, /city\s+austin_apd\s+TX\s+Austin\s+2025\s+15\s+<NA>\s+(?:<NA>|NaN)\s+partial year: no rate/)
  assert.equal(images(tagged(cells, 'places-chart')), 1)
})

test.after(() => {
  connection.closeSync()
  rmSync(dir, { recursive: true, force: true })
})
