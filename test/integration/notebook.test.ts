import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { tempDir } from './kafka-harness.ts'
import { uniqueLake } from './s3-harness.ts'

// Executes notebooks/hatecrimes-lake.ipynb top to bottom with nbclient in the project's virtual
// environment (scripts/python-env.sh), against lakes built here, and reads the executed copy.
const NOTEBOOK = 'notebooks/hatecrimes-lake.ipynb'
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
    env: { ...process.env, HATECRIMES_LAKE: lake, JUPYTER_RUNTIME_DIR: join(dir, 'runtime') },
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

/** The real Austin file run into a lake (a folder or s3://) by the CLI. */
function austinLake(lake: string): string {
  execFileSync(process.execPath, ['bin/hatecrimes.js', 'run', '--input', 'data/austin_hate_crimes_2017_2025.csv', '--lake', lake], {
    env: { ...process.env, KAFKA_BROKERS: '' },
    stdio: 'ignore',
  })
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

test('with two sources, place columns and a population table, places get counts and rates side by side', async () => {
  const multi = join(dir, 'multi')
  mkdirSync(join(multi, 'population'), { recursive: true })
  // The layout the many-sources lake has: source in the folder names, agency and place columns.
  await connection.run(`COPY (
      SELECT * EXCLUDE (source, city, state), 'austin_apd' AS source, 'Austin' AS city, 'TX' AS state FROM read_parquet('${glob}')
      UNION ALL BY NAME
      SELECT * EXCLUDE (source, city, state, agency_ori, agency_name), 'fbi_cde' AS source, 'AUSTIN' AS city, 'Texas' AS state, 'TX2270100' AS agency_ori,
             'Austin Police Department' AS agency_name FROM read_parquet('${glob}') WHERE year(incident_date) <= 2020)
    TO '${multi}/incidents' (FORMAT parquet, PARTITION_BY (source, year, month))`)
  await connection.run(`COPY (SELECT * FROM (VALUES ('Austin city', 'Texas', 2019, 978908), ('Austin city', 'Texas', 2020, 961855),
      ('Austin city', 'Minnesota', 2019, 25233)) AS p(city, state, year, population)) TO '${multi}/population/places.parquet' (FORMAT parquet)`)
  const cells = execute(multi, 'multi')
  const yearly = yearlyCounts(tagged(cells, 'incidents-per-year'))
  assert.equal(yearly['fbi_cde 2019'], 11)
  assert.equal(yearly['austin_apd 2019'], 11)
  const places = printed(tagged(cells, 'places'))
  assert.match(places, /austin_apd\s+TX\s+Austin\s+2019\s+11\s+978908\s+1\.12/, 'count, population and rate per 100,000 side by side')
  assert.match(places, /fbi_cde\s+TX\s+AUSTIN\s+2019\s+11\s+978908\s+1\.12/, 'the FBI rows match the Census place by name and state')
  assert.match(places, /austin_apd\s+TX\s+Austin\s+2018\s+20\s+<NA>\s+<NA>\s+no population/, 'no rate where no population is known')
  assert.match(places, /austin_apd\s+TX\s+Austin\s+2025\s+15\s+<NA>\s+<NA>\s+partial year: no rate/)
  assert.equal(images(tagged(cells, 'places-chart')), 1)
})

test.after(() => {
  connection.closeSync()
  rmSync(dir, { recursive: true, force: true })
})
