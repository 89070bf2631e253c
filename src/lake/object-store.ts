/**
 * One small interface over the places a lake can live: a local folder or an S3-compatible bucket.
 * Keys are `/`-separated paths relative to the lake root, e.g. `incidents/year=2017/month=03/x.parquet`.
 */
export interface ObjectInfo {
  key: string
  size: number
  /** A content tag that changes whenever the object changes (S3 ETag, or size+mtime for files). */
  etag: string
  modified: Date
}

export interface PutOptions {
  /** Fail with a `ObjectExistsError` instead of replacing an object that already exists. */
  ifNoneMatch?: boolean
}

export interface ObjectStore {
  /** The lake URL this store was opened from, without credentials. */
  readonly url: string
  /** Writes a whole object atomically: readers see the old object or the new one, never a part. */
  put(key: string, body: Uint8Array, options?: PutOptions): Promise<void>
  get(key: string): Promise<Uint8Array>
  /** Reads `length` bytes from `offset`, for Parquet footers and range reads. */
  getRange(key: string, offset: number, length: number): Promise<Uint8Array>
  head(key: string): Promise<ObjectInfo | undefined>
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>
  delete(key: string): Promise<void>
  /**
   * Removes what writers killed in the middle of a write left behind (a folder's `.tmp-*` files)
   * once it is older than `olderThanMs`, so that no live write loses its file. Returns how many.
   */
  removeLeftovers?(olderThanMs: number): Promise<number>
  close(): Promise<void>
}

/** Temporary files older than this are leftovers of a killed writer, not a write under way (for `removeLeftovers`). */
export const LEFTOVER_AGE_MS = 10 * 60_000

/** Thrown by `put` with `ifNoneMatch` when the key is taken. */
export class ObjectExistsError extends Error {
  readonly key: string
  constructor(key: string) {
    super(`Object ${key} already exists`)
    this.name = 'ObjectExistsError'
    this.key = key
  }
}

/** Thrown by `get`, `getRange` when the key is absent. */
export class ObjectMissingError extends Error {
  readonly key: string
  constructor(key: string) {
    super(`Object ${key} does not exist`)
    this.name = 'ObjectMissingError'
    this.key = key
  }
}
