import { mkdir, open, readdir, readFile, rename, rm, stat, link, unlink } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { randomBytes } from 'node:crypto'
import { ObjectExistsError, ObjectMissingError, type ObjectInfo, type ObjectStore, type PutOptions } from './object-store.ts'

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT'

/**
 * A lake in a local folder. Writes go to a hidden temporary file that is fsynced and then renamed
 * (or hard-linked, for `ifNoneMatch`) into place, so a reader never sees half a file.
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

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<void> {
    const target = this.path(key)
    await mkdir(dirname(target), { recursive: true })
    const temporary = join(dirname(target), `.tmp-${randomBytes(6).toString('hex')}`)
    const handle = await open(temporary, 'w')
    try {
      await handle.writeFile(body)
      await handle.sync()
    } finally {
      await handle.close()
    }
    try {
      if (options.ifNoneMatch) {
        await link(temporary, target).catch((error: NodeJS.ErrnoException) => {
          throw error.code === 'EEXIST' ? new ObjectExistsError(key) : error
        })
        await unlink(temporary)
      } else {
        await rename(temporary, target)
      }
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.path(key)))
    } catch (error) {
      throw isMissing(error) ? new ObjectMissingError(key) : error
    }
  }

  async getRange(key: string, offset: number, length: number): Promise<Uint8Array> {
    const handle = await open(this.path(key), 'r').catch((error) => {
      throw isMissing(error) ? new ObjectMissingError(key) : error
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
      throw error
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const start = this.path(prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '')
    const entries = await readdir(start, { recursive: true, withFileTypes: true }).catch((error) => {
      if (isMissing(error)) return []
      throw error
    })
    const keys = entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.tmp-'))
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix))
      .sort()
    const infos = await Promise.all(keys.map((key) => this.head(key)))
    return infos.filter((info): info is ObjectInfo => info !== undefined)
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true })
  }

  async close(): Promise<void> {}
}
