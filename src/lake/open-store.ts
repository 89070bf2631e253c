import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ObjectStore } from './object-store.ts'
import { FsStore } from './fs-store.ts'

/**
 * Opens the store a lake URL names: a folder path or `file://` URL (the default), or
 * `s3://bucket/prefix`. The S3 client is loaded only for an S3 lake: it is most of the modules a
 * command would otherwise load before its first row.
 *
 * @example
 * const store = await openStore('./lake')
 */
export async function openStore(url: string): Promise<ObjectStore> {
  if (url.startsWith('s3://')) {
    const { S3Store } = await import('./s3-store.ts')
    return new S3Store(url)
  }
  if (url.startsWith('file://')) return new FsStore(fileURLToPath(url))
  return new FsStore(resolve(url))
}
