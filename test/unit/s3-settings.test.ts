import { test } from 'node:test'
import assert from 'node:assert/strict'
import { HatecrimesError } from '../../src/core/errors.ts'
import { parseS3Url, s3Settings, S3Store } from '../../src/lake/s3-store.ts'

test('an s3:// lake URL splits into bucket and prefix, slashes trimmed', () => {
  assert.deepEqual(parseS3Url('s3://hate-crimes/austin/lake/'), { bucket: 'hate-crimes', prefix: 'austin/lake' })
  assert.deepEqual(parseS3Url('s3://hate-crimes'), { bucket: 'hate-crimes', prefix: '' })
  assert.deepEqual(parseS3Url('s3://hate-crimes//a'), { bucket: 'hate-crimes', prefix: 'a' })
})

test('a malformed lake URL is refused, and credentials written into it are not echoed', () => {
  assert.throws(() => parseS3Url('s3://Bad_Bucket/x'), /Expected a lake URL like s3:\/\/bucket\/prefix.*\(got "s3:\/\/Bad_Bucket\/x"\)/)
  assert.throws(
    () => parseS3Url('s3://AKIAEXAMPLE:top-secret-key@bucket/x'),
    (error: HatecrimesError) => {
      assert.equal(error.code, 'BAD_OPTION')
      assert.ok(!error.message.includes('top-secret-key'), error.message)
      assert.match(error.message, /s3:\/\/\*\*\*@bucket\/x/)
      return true
    },
  )
})

test('settings come from the AWS variables, with path-style on whenever an endpoint is set', () => {
  const aws = s3Settings({ AWS_DEFAULT_REGION: 'eu-west-3' })
  assert.deepEqual({ ...aws }, { region: 'eu-west-3', endpoint: undefined, retryMs: 60_000, requestTimeoutMs: 30_000, forcePathStyle: false })
  const local = s3Settings({ AWS_ENDPOINT_URL: 'http://127.0.0.1:39000', HATECRIMES_S3_RETRY_MS: '1500' })
  assert.deepEqual({ ...local }, { region: 'us-east-1', endpoint: 'http://127.0.0.1:39000', retryMs: 1500, requestTimeoutMs: 30_000, forcePathStyle: true })
  const ours = s3Settings({ AWS_ENDPOINT_URL: 'http://a.example', HATECRIMES_S3_ENDPOINT: 'http://b.example', HATECRIMES_S3_PATH_STYLE: 'false' })
  assert.equal(ours.endpoint, 'http://b.example', 'HATECRIMES_S3_ENDPOINT wins over the AWS variable')
  assert.equal(ours.forcePathStyle, false)
  assert.ok(Object.isFrozen(ours))
})

test('bad settings are reported by name, before any request', () => {
  assert.throws(() => s3Settings({ HATECRIMES_S3_ENDPOINT: 'not a url' }), /Expected a valid S3 setting for endpoint/)
  assert.throws(() => s3Settings({ HATECRIMES_S3_PATH_STYLE: 'yes' }), /Expected a valid S3 setting for pathStyle/)
  assert.throws(() => s3Settings({ HATECRIMES_S3_RETRY_MS: '-5' }), /Expected a valid S3 setting for retryMs/)
})

test("a store's url names the bucket and prefix only", async () => {
  const store = new S3Store('s3://hate-crimes/austin/', s3Settings({ AWS_REGION: 'us-east-2' }))
  assert.equal(store.url, 's3://hate-crimes/austin')
  await store.close()
})
