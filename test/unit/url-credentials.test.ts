import { test } from 'node:test'
import assert from 'node:assert/strict'
import { HatecrimesError } from '../../src/core/errors.ts'
import { hasUserInfo, hideUserInfo } from '../../src/core/url-credentials.ts'
import { describeS3Error } from '../../src/lake/s3-errors.ts'
import { parseS3Url, s3Settings } from '../../src/lake/s3-store.ts'

const SECRET = 'wJalrXUtnFEMI'

function refusal(run: () => unknown): HatecrimesError {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof HatecrimesError, `Expected a HatecrimesError (got ${error})`)
    return error
  }
  assert.fail('Expected the call to refuse the URL')
}

test('user info is hidden in every URL of a text, and nothing else changes', () => {
  assert.equal(
    hideUserInfo(`at http://AKIA:${SECRET}@127.0.0.1:9000/b and s3://k:${SECRET}@bucket/p`),
    'at http://***@127.0.0.1:9000/b and s3://***@bucket/p',
  )
  assert.equal(hideUserInfo('http://127.0.0.1:9000/a@b?x=y@z'), 'http://127.0.0.1:9000/a@b?x=y@z')
  assert.equal(hideUserInfo('row 17 of me@example.org.csv'), 'row 17 of me@example.org.csv')
  assert.equal(hasUserInfo(`https://user:${SECRET}@s3.example.org`), true)
  assert.equal(hasUserInfo('https://s3.example.org/a@b'), false)
})

test('an S3 endpoint with credentials is refused, naming the variable but not the secret', () => {
  for (const name of ['HATECRIMES_S3_ENDPOINT', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL']) {
    const error = refusal(() => s3Settings({ [name]: `http://AKIA:${SECRET}@127.0.0.1:9000` }))
    assert.equal(error.code, 'BAD_OPTION')
    assert.match(error.message, new RegExp(`Expected ${name} without credentials \\(got "http://\\*\\*\\*@127\\.0\\.0\\.1:9000"\\)`))
    assert.ok(!error.message.includes(SECRET))
  }
  assert.equal(s3Settings({ HATECRIMES_S3_ENDPOINT: 'http://127.0.0.1:9000' }).endpoint, 'http://127.0.0.1:9000')
})

test('an s3:// lake URL with credentials is refused without echoing them', () => {
  const error = refusal(() => parseS3Url(`s3://AKIA:${SECRET}@bucket/prefix`))
  assert.ok(error.message.includes('s3://***@bucket/prefix'), error.message)
  assert.ok(!error.message.includes(SECRET))
})

test('an S3 failure whose message quotes a URL with credentials is reported without them', () => {
  const sdkError = Object.assign(new Error(`getaddrinfo failed for http://AKIA:${SECRET}@s3.invalid/bucket`), { name: 'Error', code: 'EINVAL' })
  const error = describeS3Error(sdkError, { action: 'write', bucket: 'b', prefix: 'p/', key: 'k', endpoint: 'http://s3.invalid' })
  assert.ok(error.message.includes('http://***@s3.invalid/bucket'), error.message)
  assert.ok(!error.message.includes(SECRET))
})
