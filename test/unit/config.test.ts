import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULTS, parseEnvironment } from '../../src/core/config.ts'
import type { HatecrimesError } from '../../src/core/errors.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]))
const sources = files(join(root, 'src')).filter((file) => file.endsWith('.ts'))
/** A source file without its comments (JSDoc examples may show any value). */
const code = (file: string) => readFileSync(file, 'utf8').replace(/^\s*(\*|\/\/).*$/gm, '')

test('unset and empty variables give the defaults, frozen', () => {
  const environment = parseEnvironment({ HATECRIMES_LAKE: '', KAFKA_BROKERS: '  ' })
  assert.deepEqual({ ...environment }, { lake: './lake', cacheDir: join('.cache', 'lakes'), kafkaBrokers: undefined, logLevel: 'info' })
  assert.ok(Object.isFrozen(environment) && Object.isFrozen(DEFAULTS))
  assert.equal(parseEnvironment({ HATECRIMES_LAKE: 's3://b/p', LOG_LEVEL: 'debug', KAFKA_BROKERS: 'k:9092' }).logLevel, 'debug')
})

test('a wrong variable is refused with its name, what was expected and what was found', () => {
  assert.throws(
    () => parseEnvironment({ LOG_LEVEL: 'loud' }),
    (error: HatecrimesError) => error.code === 'BAD_OPTION' && /^Invalid environment: LOG_LEVEL: .*"info".*\(got "loud"\)$/.test(error.message),
  )
  assert.throws(
    () => parseEnvironment({ HATECRIMES_LAKE: 's3://AKIA:secret-key@bucket/lake' }),
    (error: HatecrimesError) => error.code === 'BAD_OPTION' && error.message.includes('s3://***@bucket/lake') && !error.message.includes('secret-key'),
  )
})

test('a wrong variable stops any command at once, with exit 2 and no stack', () => {
  const result = spawnSync(process.execPath, ['bin/hatecrimes.js', 'query', 'SELECT 1'], { cwd: root, env: { ...process.env, LOG_LEVEL: 'loud' }, encoding: 'utf8', timeout: 60_000 })
  assert.equal(result.status, 2, result.stderr)
  assert.match(result.stderr, /^error: Invalid environment: LOG_LEVEL/m)
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace')
})

test('the project reads environment variables only through its config modules', () => {
  const readers = sources.filter((file) => /process\.env\b/.test(code(file)))
  assert.deepEqual(readers.map((file) => file.slice(root.length)).sort(), ['src/core/config.ts', 'src/core/kafka-config.ts', 'src/lake/s3-store.ts'])
})

test('the defaults are written once: no other source file spells the default topic, group or source as a fallback', () => {
  const spelled = sources
    .filter((file) => !file.endsWith('core/config.ts'))
    .filter((file) => /(?:\?\?|, ) *'(?:incidents|hatecrimes-ingest|austin_apd)'\)?$/m.test(code(file)))
  assert.deepEqual(spelled.map((file) => file.slice(root.length)), [])
})

test("the commands' options take their defaults from DEFAULTS, not from literals of their own", () => {
  const flags = ['topic', 'group', 'source', 'file-rows', 'flush-rows', 'flush-bytes', 'flush-ms', 'fetch-max-bytes', 'stall-ms', 'grace-ms', 'settle-ms', 'port']
  const literal = sources
    .filter((file) => file.includes('/src/cli/'))
    .flatMap((file) => code(file).split('\n'))
    .filter((line) => flags.some((flag) => line.includes(`.option('--${flag} <`)) && /, (?:[\d_ *]+|'[^']*')\)\s*$/.test(line))
  assert.deepEqual(literal, [])
})
