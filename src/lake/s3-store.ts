import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { HatecrimesError } from '../core/errors.ts'
import { hideUserInfo, refuseUserInfo } from '../core/url-credentials.ts'
import { ObjectMissingError, type ObjectInfo, type ObjectStore, type PutOptions } from './object-store.ts'
import { describeS3Error, isRetryable } from './s3-errors.ts'

/** Bodies larger than this go up in parts (lib-storage), so a large file never needs one huge request. */
const MULTIPART_BYTES = 8 * 1024 * 1024

const S3Settings = z.object({
  region: z.string().min(1).default('us-east-1'),
  endpoint: z.url().optional(),
  pathStyle: z.enum(['0', '1', 'true', 'false']).optional(),
  /** How long one operation may keep retrying before it fails, in ms. */
  retryMs: z.coerce.number().int().positive().default(60_000),
  /** How long one request may go without a byte from the server before it is abandoned, in ms. */
  requestTimeoutMs: z.coerce.number().int().positive().default(30_000),
})

/** The S3 settings of the environment: AWS's own variables plus an endpoint for S3-compatible stores. */
export function s3Settings(env: NodeJS.ProcessEnv = process.env) {
  const endpointName = ['HATECRIMES_S3_ENDPOINT', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL'].find((name) => env[name])
  // The SDK would keep user info in the endpoint and its errors would repeat it; S3 never reads it.
  if (endpointName) refuseUserInfo(env[endpointName]!, endpointName)
  const parsed = S3Settings.safeParse({
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    endpoint: endpointName ? env[endpointName] : undefined,
    pathStyle: env.HATECRIMES_S3_PATH_STYLE || undefined,
    retryMs: env.HATECRIMES_S3_RETRY_MS || undefined,
    requestTimeoutMs: env.HATECRIMES_S3_REQUEST_TIMEOUT_MS || undefined,
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new HatecrimesError('BAD_OPTION', `Expected a valid S3 setting for ${issue.path.join('.')}: ${issue.message}`)
  }
  const { pathStyle, ...rest } = parsed.data
  // S3-compatible servers (S3Proxy, MinIO, Ceph, versitygw) want path-style addressing.
  return Object.freeze({ ...rest, forcePathStyle: pathStyle ? pathStyle === '1' || pathStyle === 'true' : Boolean(rest.endpoint) })
}

/** Splits `s3://bucket/prefix` into its bucket and key prefix (no leading or trailing slash). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url)
  // Credentials belong in the AWS configuration, never in the URL; if someone put them there, do not echo them.
  if (!match) throw new HatecrimesError('BAD_OPTION', `Expected a lake URL like s3://bucket/prefix, with credentials in the AWS configuration (got "${hideUserInfo(url)}")`)
  return { bucket: match[1], prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') }
}

/**
 * A lake in an S3 bucket (AWS or any S3-compatible store). Every call retries with backoff on
 * network errors, throttling and 5xx until `retryMs` has passed; a stuck request times out. An
 * object becomes visible only when its upload completes, so readers never see half a file, and
 * `ifNoneMatch` writes are conditional (`If-None-Match: *`).
 *
 * @example
 * const store = new S3Store('s3://my-bucket/hate-crimes')
 * await store.put('incidents/year=2017/month=03/a.parquet', bytes)
 */
export class S3Store implements ObjectStore {
  readonly url: string
  private readonly bucket: string
  private readonly prefix: string
  private readonly client: S3Client
  private readonly settings: ReturnType<typeof s3Settings>

  constructor(url: string, settings = s3Settings()) {
    const { bucket, prefix } = parseS3Url(url)
    this.bucket = bucket
    this.prefix = prefix ? `${prefix}/` : ''
    this.url = `s3://${bucket}/${prefix}`
    this.settings = settings
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      // One attempt per send: `call` below is the only retry loop, bounded by retryMs. With the
      // SDK's own retries under it, every attempt of ours was three requests and the time to fail
      // was no longer the retryMs users set.
      maxAttempts: 1,
      // Without throwOnRequestTimeout the SDK only warns about a request past its timeout and keeps waiting.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: settings.requestTimeoutMs, throwOnRequestTimeout: true },
    })
  }

  private get endpoint(): string {
    return this.settings.endpoint ?? `AWS S3 (${this.settings.region})`
  }

  /** Runs one S3 call, retrying what may pass on a later try, and describes what finally fails. */
  private async call<T>(action: string, key: string | undefined, run: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.settings.retryMs
    for (let attempt = 1; ; attempt++) {
      try {
        return await run()
      } catch (error) {
        if (!isRetryable(error) || Date.now() > deadline) throw describeS3Error(error, { action, bucket: this.bucket, prefix: this.prefix, key, endpoint: this.endpoint })
        await sleep(Math.min(5_000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2))
      }
    }
  }

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<void> {
    const params = { Bucket: this.bucket, Key: this.prefix + key, Body: body, IfNoneMatch: options.ifNoneMatch ? '*' : undefined }
    await this.call('write', key, async () => {
      if (body.byteLength <= MULTIPART_BYTES) await this.client.send(new PutObjectCommand(params))
      else await new Upload({ client: this.client, params, partSize: MULTIPART_BYTES, leavePartsOnError: false }).done()
    })
  }

  async get(key: string): Promise<Uint8Array> {
    return this.call('read', key, async () => {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }))
      return response.Body!.transformToByteArray()
    })
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0)
    return this.call('read', key, async () => {
      const Range = `bytes=${offset}-${offset + length - 1}`
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Range }))
      return response.Body!.transformToByteArray()
    })
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const response = await this.call('read', key, () => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key })))
      return { key, size: response.ContentLength ?? 0, etag: response.ETag ?? '', modified: response.LastModified ?? new Date(0) }
    } catch (error) {
      if (error instanceof ObjectMissingError) return undefined
      throw error
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const infos: ObjectInfo[] = []
    let token: string | undefined
    do {
      const page = await this.call('list', prefix, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token })),
      )
      for (const item of page.Contents ?? []) {
        const key = item.Key!.slice(this.prefix.length)
        infos.push({ key, size: item.Size ?? 0, etag: item.ETag ?? '', modified: item.LastModified ?? new Date(0) })
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
    return infos.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  }

  async delete(key: string): Promise<void> {
    await this.call('delete', key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key })))
  }

  async close(): Promise<void> {
    this.client.destroy()
  }
}
