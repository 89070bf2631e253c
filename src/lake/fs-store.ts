import { mkdir, open, readdir, readFile, rename, rm, stat, link, unlink } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { randomBytes } from 'node:crypto'
import { describeFsError, type FsContext } from './fs-errors.ts'
import { ObjectExistsError, ObjectMissingError, type ObjectInfo, type ObjectStore, type PutOptions } from './object-store.ts'

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT'

/**
 * A lake in a local folder. Writes go to a hidden temporary file that is fsynced and then renamed
 * (or hard-linked, for `ifNoneMatch`) into place, so a reader never sees half a file; a write that
 * fails (a full disk) removes its temporary file. File-system failures come out as LAKE_* errors
 * (see fs-errors.ts).
 *
 * @example
 * const store = new FsStore('/data/lake')
 * await store.put('incidents/year=2017/month=01/a.parquet', bytes)
 */
export class FsStore implements ObjectStore {
  readonly url: string
  readonly root: string

  constructor(root: string) {
    this.root = root
    this.url = `file://${root}`
  }

  private path(key: string): string {
    return join(this.root, ...key.split('/'))
  }

  private failure(error: unknown, action: FsContext['action'], key: string): unknown {
    if (action !== 'write' && isMissing(error)) return new ObjectMissingError(key)
    return describeFsError(error, { action, path: this.path(key), root: this.root })
  }

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<void> {
    const target = this.path(key)
    const temporary = join(dirname(target), `.tmp-${randomBytes(6).toString('hex')}`)
    try {
      await mkdir(dirname(target), { recursive: true })
      const handle = await open(temporary, 'w')
      try {
        await handle.writeFile(body)
        await handle.sync()
      } finally {
        await handle.close()
      }
      if (options.ifNoneMatch) {
        await link(temporary, target).catch((error: NodeJS.ErrnoException) => {
          throw error.code === 'EEXIST' ? new ObjectExistsError(key) : error
        })
        await unlink(temporary)
      } else {
        await rename(temporary, target)
      }
    } catch (error) {
      // A full disk fails the write or the fsync: the part written must not stay behind. (When the
      // folder itself could not be made there is nothing to remove, and that error is not the one to report.)
      await rm(temporary, { force: true }).catch(() => {})
      throw this.failure(error, 'write', key)
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.path(key)))
    } catch (error) {
      throw this.failure(error, 'read', key)
    }
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    const handle = await open(this.path(key), 'r').catch((error) => {
      throw this.failure(error, 'read', key)
    })
    try {
      const buffer = new Uint8Array(length)
      const { bytesRead } = await handle.read(buffer, 0, length, offset)
      return buffer.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const info = await stat(this.path(key))
      return { key, size: info.size, etag: `${info.size}-${info.mtimeMs}`, modified: info.mtime }
    } catch (error) {
      if (isMissing(error)) return undefined
      throw this.failure(error, 'read', key)
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const start = this.path(prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '')
    const entries = await readdir(start, { recursive: true, withFileTypes: true }).catch((error) => {
      if (isMissing(error)) return []
      throw this.failure(error, 'list', prefix)
    })
    const keys = entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.tmp-'))
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix))
      .sort()
    const infos = await Promise.all(keys.map((key) => this.head(key)))
    return infos.filter((info): info is ObjectInfo => info !== undefined)
  }

  async removeLeftovers(olderThanMs: number): Promise<number> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true }).catch((error) => {
      if (isMissing(error)) return []
      throw this.failure(error, 'list', '')
    })
    let removed = 0
    for (const entry of entries.filter((e) => e.isFile() && e.name.startsWith('.tmp-'))) {
      const path = join(entry.parentPath, entry.name)
      const info = await stat(path).catch(() => undefined)
      if (!info || Date.now() - info.mtimeMs < olderThanMs) continue
      await rm(path, { force: true })
      removed++
    }
    return removed
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true }).catch((error) => {
      throw this.failure(error, 'delete', key)
    })
  }

  async close(): Promise<void> {}
}
