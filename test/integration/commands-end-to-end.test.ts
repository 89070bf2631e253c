// The commands a user starts, as child processes of the real CLI: demo, then serve and compact on
// the lake it made. Each asserts what the user sees and what the lake holds afterwards.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { freePort } from './kafka-harness.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const lake = join(mkdtempSync(join(tmpdir(), 'hc-commands-')), 'lake')
const PORT = await freePort()

/** Runs a command in the embedded mode (the test suite sets KAFKA_BROKERS, which would switch demo and run to Kafka). */
function hatecrimes(args: string[]) {
  const env = { ...process.env, KAFKA_BROKERS: '' }
  const result = spawnSync(process.execPath, ['bin/hatecrimes.js', ...args], { cwd: root, env, encoding: 'utf8', timeout: 180_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

async function lakeCount(sql: string): Promise<number> {
  const query = await openLakeQuery(lake)
  try {
    return Number((await query.query(sql))[0].n)
  } finally {
    await query.close()
  }
}

const dataFiles = () => readdirSync(join(lake, 'incidents'), { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.parquet'))

test('demo --no-serve runs the real Austin file into the lake and prints the balance and the summary', async () => {
  const demo = hatecrimes(['demo', '--no-serve', '--input', 'data/austin_hate_crimes_2017_2025.csv', '--lake', lake])
  assert.equal(demo.status, 0, demo.stderr)
  assert.match(demo.stderr, /^embedded mode: data\/austin_hate_crimes_2017_2025\.csv -> /m)
  assert.match(demo.stdout, /^read 266 rows: 266 in the lake \(\d+ files\), 0 dead-lettered; balance ok/m)
  assert.match(demo.stdout, /^Incidents by year and bias category/m)
  assert.match(demo.stdout, /^2017 +\d+/m)
  assert.equal(await lakeCount('SELECT count(*) AS n FROM incidents'), 266)
})

/** Starts `serve` on the lake; resolves with what it printed once it says where the dashboard is. */
async function startServe() {
  const server = spawn(process.execPath, ['bin/hatecrimes.js', 'serve', '--lake', lake, '--port', String(PORT)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  server.stdout.setEncoding('utf8')
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 60 s (printed ${JSON.stringify(stdout)})`)), 60_000)
    server.stdout.on('data', (text: string) => {
      stdout += text
      if (stdout.includes('dashboard on ')) (clearTimeout(timer), resolve())
    })
    server.once('exit', (code) => (clearTimeout(timer), reject(new Error(`serve exited with ${code}`))))
  })
  return { server, stdout }
}

test('serve answers the page and the API on the lake, and stops on SIGTERM', async () => {
  const { server, stdout } = await startServe()
  try {
    assert.match(stdout, new RegExp(`^dashboard on http://127\\.0\\.0\\.1:${PORT}/? for ${lake.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(Ctrl-C to stop\\)`, 'm'))
    const page = await fetch(`http://127.0.0.1:${PORT}/`)
    assert.equal(page.status, 200)
    assert.match(await page.text(), /<html/i)
    const status = (await (await fetch(`http://127.0.0.1:${PORT}/api/status`)).json()) as { rows: number; files: number }
    assert.equal(status.rows, 266)
    assert.equal(status.files, dataFiles().length)
    const charts = await fetch(`http://127.0.0.1:${PORT}/api/charts/by_year`)
    assert.equal(charts.status, 200)
  } finally {
    server.kill('SIGTERM')
    const [code] = await once(server, 'exit')
    assert.equal(code, 0, 'SIGTERM closes the server and exits 0')
  }
})

test('serve stopped the moment it prints its address still closes and exits 0', async () => {
  const { server } = await startServe()
  server.kill('SIGTERM')
  const [code, signal] = await once(server, 'exit')
  assert.deepEqual([code, signal], [0, null], 'the stop signal is handled from the first line on')
})

test('compact merges each partition of the lake into one file, and the rows stay the same', async () => {
  const small = hatecrimes(['run', '--input', 'data/austin_hate_crimes_2017_2025.csv', '--lake', lake, '--file-rows', '3'])
  assert.equal(small.status, 0, small.stderr)
  assert.match(small.stdout, /replaced|balance ok/)
  const before = dataFiles().length
  const rows = await lakeCount('SELECT count(*) AS n FROM incidents')
  const compact = hatecrimes(['compact', '--lake', lake, '--grace-ms', '0', '--settle-ms', '0'])
  assert.equal(compact.status, 0, compact.stderr)
  const partitions = new Set(dataFiles().map((path) => path.split('/').slice(0, 3).join('/')))
  assert.match(compact.stdout, new RegExp(`^compacted \\d+ of ${partitions.size} partitions: \\d+ files merged in file://`, 'm'))
  assert.ok(before > partitions.size, `small files to merge (${before} in ${partitions.size} partitions)`)
  assert.equal(dataFiles().length, partitions.size, `one file per partition (was ${before} files)`)
  assert.equal(await lakeCount('SELECT count(*) AS n FROM incidents'), rows)
  assert.equal(await lakeCount('SELECT count(DISTINCT (source_file, source_row)) AS n FROM incidents'), rows, 'no row doubled or lost')
})
