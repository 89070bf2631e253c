import { HatecrimesError } from '../core/errors.ts'
import { hideUserInfo } from '../core/url-credentials.ts'
import { ObjectExistsError, ObjectMissingError } from './object-store.ts'

/** What an S3 call was doing, for the error message. */
export interface S3Context {
  action: string
  bucket: string
  /** The store's key prefix, with its trailing slash. */
  prefix: string
  key?: string
  endpoint: string
}

interface AwsError {
  name?: string
  code?: string
  Code?: string
  message?: string
  $metadata?: { httpStatusCode?: number }
  $retryable?: unknown
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'])

/** The error code an SDK or socket error carries, whatever its shape. */
export function errorCode(error: unknown): string {
  const aws = error as AwsError & { cause?: AwsError }
  return aws.name && aws.name !== 'Error' ? aws.name : (aws.code ?? aws.Code ?? aws.cause?.code ?? 'Unknown')
}

/**
 * Whether a failed call may succeed if tried again: the network dropped, the server was briefly
 * away, it throttled us or answered 5xx, or (AWS, 409 ConditionalRequestConflict) another
 * conditional write to the same key was under way. Wrong credentials and missing buckets are final.
 */
export function isRetryable(error: unknown): boolean {
  const code = errorCode(error)
  const status = (error as AwsError).$metadata?.httpStatusCode ?? 0
  return (
    NETWORK_CODES.has(code) ||
    NETWORK_CODES.has((error as { cause?: AwsError }).cause?.code ?? '') ||
    status >= 500 ||
    status === 429 ||
    /Throttl|SlowDown|RequestTimeout|TimeoutError|NetworkingError|ConditionalRequestConflict|socket hang up/i.test(`${code} ${(error as Error).message}`)
  )
}

/**
 * Turns an S3 failure into an error a user can act on: what failed, where, and how to fix it. It
 * never includes credentials: only the bucket, key, endpoint and the service's error code.
 *
 * @example
 * throw describeS3Error(error, { action: 'write', bucket: 'lake', prefix: 'austin/', key: 'a.parquet', endpoint: 'http://127.0.0.1:39000' })
 */
export function describeS3Error(error: unknown, context: S3Context): Error {
  const code = errorCode(error)
  const status = (error as AwsError).$metadata?.httpStatusCode
  const where = `s3://${context.bucket}/${context.prefix}${context.key ?? ''} at ${context.endpoint}`
  if (status === 412 || code === 'PreconditionFailed') return new ObjectExistsError(context.key ?? '')
  if (code === 'NoSuchKey' || (status === 404 && code !== 'NoSuchBucket' && context.key)) return new ObjectMissingError(context.key ?? '')
  if (code === 'NoSuchBucket') {
    return new HatecrimesError('LAKE_NOT_FOUND', `Bucket "${context.bucket}" does not exist at ${context.endpoint}: create it or fix --lake`, { cause: error })
  }
  if (code === 'CredentialsProviderError') {
    return new HatecrimesError('LAKE_DENIED', `Found no AWS credentials to ${context.action} ${where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE`, { cause: error })
  }
  if (status === 403 || /AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken/.test(code)) {
    return new HatecrimesError(
      'LAKE_DENIED',
      `S3 refused to ${context.action} ${where} (${code}): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, and the bucket's permissions`,
      { cause: error },
    )
  }
  if (status === 507 || /StorageFull|QuotaExceeded|InsufficientStorage/.test(code)) {
    return new HatecrimesError('LAKE_NO_SPACE', `The store has no space left to ${context.action} ${where} (${code}): free space or raise the bucket's quota`, { cause: error })
  }
  if (isRetryable(error)) {
    return new HatecrimesError(
      'LAKE_UNREACHABLE',
      `Could not ${context.action} ${where} (${code}) after retrying: is the S3 server up? Set HATECRIMES_S3_ENDPOINT (or AWS_ENDPOINT_URL) to the right address`,
      { cause: error },
    )
  }
  const failed = context.action === 'read' || context.action === 'list' ? 'LAKE_READ_FAILED' : 'LAKE_WRITE_FAILED'
  return new HatecrimesError(failed, `Could not ${context.action} ${where} (${code}: ${hideUserInfo((error as Error).message)})`, { cause: error })
}
