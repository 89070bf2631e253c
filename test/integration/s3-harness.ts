import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { S3Store, s3Settings } from '../../src/lake/s3-store.ts'

/** The test S3 server from the environment scripts/s3.sh prints; the S3 tests fail (not skip) without it. */
export function testBucket(): string {
  const missing = ['HATECRIMES_S3_ENDPOINT', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'HATECRIMES_TEST_BUCKET'].filter((name) => !process.env[name])
  if (missing.length) {
    throw new Error(`Expected ${missing.join(', ')} for the S3 tests (start a server with: bash scripts/s3.sh start, and export what it prints)`)
  }
  return process.env.HATECRIMES_TEST_BUCKET!
}

/** A lake URL in the test bucket that no other test uses. */
export function uniqueLake(name: string): string {
  return `s3://${testBucket()}/${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

/** An S3 store on a lake of its own, with optional overrides of the environment (endpoint, retry time). */
export function testStore(name: string, env: NodeJS.ProcessEnv = {}): S3Store {
  return new S3Store(uniqueLake(name), s3Settings({ ...process.env, ...env }))
}

/**
 * A second S3Proxy of the test's own on another port, which the test may stop and start again
 * without disturbing the shared server (scripts/s3.sh with S3_PORT and S3_HOME_DIR).
 */
export function ownS3Server(port: number) {
  const env = { ...process.env, S3_PORT: String(port), S3_HOME_DIR: mkdtempSync(join(tmpdir(), 'hatecrimes-s3-')) }
  const script = (command: string) => execFileSync('bash', ['scripts/s3.sh', command], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  return {
    endpoint: `http://127.0.0.1:${port}`,
    start: () => script('start'),
    stop: () => script('stop'),
  }
}
