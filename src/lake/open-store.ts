import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ObjectStore } from './object-store.ts'
import { FsStore } from './fs-store.ts'
import { S3Store } from './s3-store.ts'

/**
 * Opens the store a lake URL names: a folder path or `file://` URL (the default), or
 * `s3://bucket/prefix`.
 *
 * @example
 * const store = await openStore('./lake')
 */
export async function openStore(url: string): Promise<ObjectStore> {
  if (url.startsWith('s3://')) return new S3Store(url)
  if (url.startsWith('file://')) return new FsStore(fileURLToPath(url))
  return new FsStore(resolve(url))
}
