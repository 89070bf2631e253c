// Credentials in a lake URL or an S3 endpoint are refused before any command prints, logs or serves
// the URL: the commands run as users start them, and their whole output is searched for the secret.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SECRET = 'wJalrXUtnFEMI'
const root = fileURLToPath(new URL('../../', import.meta.url))
const csv = 'data/austin_hate_crimes_2017_2025.csv'

function hatecrimes(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['bin/hatecrimes.js', ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

const cases: { name: string; args: string[]; env?: NodeJS.ProcessEnv; shown: string }[] = [
  { name: 'run --lake s3://', args: ['run', '--input', csv, '--no-kafka', '--lake', `s3://AKIA:${SECRET}@bucket/lake`], shown: 's3://***@bucket/lake' },
  { name: 'serve with HATECRIMES_LAKE', args: ['serve', '--port', '39839'], env: { HATECRIMES_LAKE: `s3://AKIA:${SECRET}@bucket/lake` }, shown: 's3://***@bucket/lake' },
  { name: 'query --lake file://', args: ['query', 'SELECT 1', '--lake', `file://me:${SECRET}@localhost/tmp/lake`], shown: 'file://***@localhost/tmp/lake' },
  {
    name: 'compact with an endpoint holding credentials',
    args: ['compact', '--lake', 's3://bucket/lake'],
    env: { HATECRIMES_S3_ENDPOINT: `http://AKIA:${SECRET}@127.0.0.1:39999` },
    shown: 'http://***@127.0.0.1:39999',
  },
  {
    name: 'serve with AWS_ENDPOINT_URL holding credentials',
    args: ['serve', '--lake', 's3://bucket/lake', '--port', '39839'],
    env: { HATECRIMES_S3_ENDPOINT: '', AWS_ENDPOINT_URL_S3: '', AWS_ENDPOINT_URL: `http://AKIA:${SECRET}@127.0.0.1:39999` },
    shown: 'http://***@127.0.0.1:39999',
  },
]

for (const { name, args, env, shown } of cases) {
  test(`${name}: refused with exit 2, the URL shown without its credentials`, () => {
    const { status, output } = hatecrimes(args, env)
    assert.equal(status, 2, output)
    assert.ok(output.includes(shown), output)
    assert.match(output, /without credentials/)
    assert.ok(!output.includes(SECRET), `the secret was printed:\n${output}`)
  })
}
