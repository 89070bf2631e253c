import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'hc-cli-modules-'))
const lake = join(dir, 'lake')

/** Packages that cost most of a process's start time and memory, and that few commands need. */
const HEAVY = ['@aws-sdk/client-s3', '@duckdb/node-api', '@platformatic/kafka', 'hono', 'echarts', 'pino', 'prom-client']

/**
 * Preloaded into the command (and any worker it starts): records the package of every module it
 * resolves, in import or require, and appends them to the file HC_LOADED_PACKAGES names at exit.
 */
const RECORDER = `
import { registerHooks } from 'node:module'
import { appendFileSync } from 'node:fs'
const packages = new Set()
registerHooks({ resolve(specifier, context, next) {
  const resolved = next(specifier, context)
  const name = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url)
  if (name) packages.add(name[1])
  return resolved
} })
process.on('exit', () => appendFileSync(process.env.HC_LOADED_PACKAGES, [...packages].map((name) => name + '\\n').join('')))
`

let runs = 0

/** Runs the command with the recorder and gives its exit status, output, and the packages it loaded. */
function loadedBy(args: string[]): { status: number | null; stdout: string; stderr: string; packages: Set<string> } {
  const record = join(dir, `packages-${++runs}.txt`)
  const env: NodeJS.ProcessEnv = { ...process.env, HC_LOADED_PACKAGES: record }
  delete env.KAFKA_BROKERS
  const result = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(RECORDER)}`, 'bin/hatecrimes.js', ...args],
    { cwd: root, env, encoding: 'utf8', timeout: 120_000 },
  )
  const packages = new Set(readFileSync(record, 'utf8').split('\n').filter(Boolean))
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, packages }
}

const heavyIn = (packages: Set<string>) => HEAVY.filter((name) => packages.has(name))

test('--help loads commander and the configuration only, none of the heavy packages', () => {
  const { status, stdout, packages } = loadedBy(['--help'])
  assert.equal(status, 0)
  assert.match(stdout, /^Usage: hatecrimes/)
  assert.ok(packages.has('commander'), 'the recorder sees the packages the command loads')
  assert.deepEqual(heavyIn(packages), [])
})

test('run on a folder lake loads neither the S3 SDK, DuckDB, the Kafka client nor the dashboard', () => {
  const { status, stdout, stderr, packages } = loadedBy(['run', '--input', 'data/austin_hate_crimes_2017_2025.csv', '--lake', lake])
  assert.equal(status, 0, stderr)
  assert.match(stdout, /balance ok/)
  assert.deepEqual(heavyIn(packages), [])
})

test('query loads DuckDB, and still neither the S3 SDK nor the Kafka client on a folder lake', () => {
  const { status, stdout, stderr, packages } = loadedBy(['query', 'SELECT COUNT(DISTINCT incident_id) AS incidents FROM incidents', '--lake', lake, '--format', 'csv'])
  assert.equal(status, 0, stderr)
  assert.match(stdout, /^incidents\n[1-9]\d*\n$/)
  assert.deepEqual(heavyIn(packages), ['@duckdb/node-api'])
})
