import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { NoSuchBucket, NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3'
import { HatecrimesError } from '../../src/core/errors.ts'
import { ObjectExistsError, ObjectMissingError } from '../../src/lake/object-store.ts'
import { describeS3Error, isRetryable } from '../../src/lake/s3-errors.ts'
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

const where = { action: 'write', bucket: 'lake', prefix: 'austin/', key: 'incidents/a.parquet', endpoint: 'http://127.0.0.1:39000' }
const meta = (httpStatusCode: number) => ({ httpStatusCode, attempts: 1, totalRetryDelay: 0 })

/** An error as the SDK builds it from a service answer (class, name, status). */
function serviceError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: meta(status), message: `${name} from the service` })
}

/** An error as Node's socket layer raises it. */
function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:39999`), { code })
}

test('throttling, 5xx, timeouts and dropped connections are retried; refusals and missing things are not', () => {
  for (const error of [serviceError('SlowDown', 503), serviceError('InternalError', 500), serviceError('TooManyRequests', 429), serviceError('ConditionalRequestConflict', 409), socketError('ECONNREFUSED'), socketError('ECONNRESET')]) {
    assert.equal(isRetryable(error), true, `${error.name} ${error.message}`)
  }
  assert.equal(isRetryable(Object.assign(new Error('request failed'), { name: 'TimeoutError' })), true)
  for (const error of [serviceError('AccessDenied', 403), serviceError('SignatureDoesNotMatch', 403), serviceError('PreconditionFailed', 412)]) {
    assert.equal(isRetryable(error), false, error.name)
  }
  assert.equal(isRetryable(new NoSuchBucket({ $metadata: meta(404), message: 'no bucket' })), false)
})

test('a failed conditional write is ObjectExistsError and a missing key is ObjectMissingError', () => {
  const exists = describeS3Error(serviceError('PreconditionFailed', 412), where)
  assert.ok(exists instanceof ObjectExistsError)
  assert.equal(exists.key, 'incidents/a.parquet')
  const missing = describeS3Error(new NoSuchKey({ $metadata: meta(404), message: 'no key' }), { ...where, action: 'read' })
  assert.ok(missing instanceof ObjectMissingError)
  assert.ok(describeS3Error(serviceError('NotFound', 404), { ...where, action: 'read' }) instanceof ObjectMissingError, 'HEAD answers a bare 404')
})

test('a missing bucket says which bucket, where, and how to fix it', () => {
  const error = describeS3Error(new NoSuchBucket({ $metadata: meta(404), message: 'no bucket' }), where) as HatecrimesError
  assert.equal(error.code, 'LAKE_NOT_FOUND')
  assert.ok(!('retryable' in error), 'no flag that nothing reads: the store decided on the raw error')
  assert.equal(error.message, 'Bucket "lake" does not exist at http://127.0.0.1:39000: create it or fix --lake')
})

test('refused credentials say what to check and where', () => {
  const refused = serviceError('SignatureDoesNotMatch', 403)
  refused.message = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'
  const error = describeS3Error(refused, where) as HatecrimesError
  assert.equal(error.code, 'LAKE_DENIED')
  assert.equal(
    error.message,
    "S3 refused to write s3://lake/austin/incidents/a.parquet at http://127.0.0.1:39000 (SignatureDoesNotMatch): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, and the bucket's permissions",
  )
})

test('no credentials anywhere is LAKE_DENIED and says where to put them', () => {
  const none = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })
  const error = describeS3Error(none, where) as HatecrimesError
  assert.equal(error.code, 'LAKE_DENIED')
  assert.match(error.message, /^Found no AWS credentials to write s3:\/\/lake\/austin\/incidents\/a\.parquet at \S+: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE$/)
})

test('an endpoint that never answered is LAKE_UNREACHABLE and names the setting to fix', () => {
  const error = describeS3Error(socketError('ECONNREFUSED'), { ...where, endpoint: 'http://127.0.0.1:39999' }) as HatecrimesError
  assert.equal(error.code, 'LAKE_UNREACHABLE')
  assert.match(error.message, /^Could not write s3:\/\/lake\/austin\/incidents\/a\.parquet at http:\/\/127\.0\.0\.1:39999 \(ECONNREFUSED\) after retrying: is the S3 server up\? Set HATECRIMES_S3_ENDPOINT/)
})

test('anything else keeps the service code and message', () => {
  const error = describeS3Error(serviceError('InvalidArgument', 400), where) as HatecrimesError
  assert.equal(error.code, 'LAKE_WRITE_FAILED')
  assert.match(error.message, /\(InvalidArgument: InvalidArgument from the service\)$/)
  assert.equal((describeS3Error(serviceError('InvalidArgument', 400), { ...where, action: 'list' }) as HatecrimesError).code, 'LAKE_READ_FAILED', 'a list or read is not a write')
  const full = describeS3Error(serviceError('XMinioStorageFull', 507), where) as HatecrimesError
  assert.equal(full.code, 'LAKE_NO_SPACE')
})

test('a failing call is retried by the store alone, not by the SDK under it as well', async () => {
  let requests = 0
  const server = createServer((request, response) => {
    requests++
    request.resume().on('end', () => response.writeHead(503, { 'content-type': 'application/xml' }).end('<Error><Code>SlowDown</Code><Message>busy</Message></Error>'))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // The SDK reads credentials from the process's environment, not from the settings.
  process.env.AWS_ACCESS_KEY_ID ??= 'test'
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test'
  const store = new S3Store('s3://lake/x', s3Settings({ HATECRIMES_S3_ENDPOINT: endpoint, HATECRIMES_S3_RETRY_MS: '1' }))
  try {
    await assert.rejects(store.get('a.parquet'), (error: HatecrimesError) => error.code === 'LAKE_UNREACHABLE')
    assert.equal(requests, 1, 'a retry budget of 1 ms allows one request: the SDK adds no attempts of its own')
  } finally {
    await store.close()
    server.close()
  }
})
