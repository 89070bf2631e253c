import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { dirname, join } from 'node:path'
import type { ObjectInfo, ObjectStore } from './object-store.ts'
import { DEAD_LETTER_PREFIX, TABLE } from './partitions.ts'

const INDEX = '.mirror-etags.json'

/** The default cache folder of a remote lake: one folder per lake URL under `.cache/lakes`. */
export function defaultMirrorDir(url: string): string {
  const base = process.env.HATECRIMES_CACHE_DIR || join('.cache', 'lakes')
  return join(base, createHash('sha256').update(url).digest('hex').slice(0, 16))
}

/**
 * Keeps a local copy of a remote lake's data and dead-letter files, for DuckDB, which cannot reach
 * S3 here. Each sync lists the lake, downloads what is new or whose ETag changed, and deletes what
 * the lake no longer has, so the copy shows the lake as it was at that listing.
 *
 * @example
 * const mirror = new LakeMirror(store, '.cache/lakes/austin')
 * const { files, changed } = await mirror.sync()
 */
export class LakeMirror {
  readonly dir: string
  private readonly store: ObjectStore
  private etags: Map<string, string> | undefined

  constructor(store: ObjectStore, dir: string) {
    this.store = store
    this.dir = dir
  }

  async sync(): Promise<{ files: ObjectInfo[]; changed: number }> {
    const etags = (this.etags ??= await this.loadIndex())
    const remote = [...(await this.store.list(`${TABLE}/`)), ...(await this.store.list(`${DEAD_LETTER_PREFIX}/`))]
    let changed = 0
    for (const info of remote) {
      if (etags.get(info.key) === info.etag) continue
      const path = join(this.dir, ...info.key.split('/'))
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, await this.store.get(info.key))
      etags.set(info.key, info.etag)
      changed++
    }
    const present = new Set(remote.map((info) => info.key))
    for (const key of [...etags.keys()]) {
      if (present.has(key)) continue
      await rm(join(this.dir, ...key.split('/')), { force: true })
      etags.delete(key)
      changed++
    }
    if (changed) await writeFile(join(this.dir, INDEX), JSON.stringify(Object.fromEntries(etags)))
    return { files: remote, changed }
  }

  private async loadIndex(): Promise<Map<string, string>> {
    await mkdir(this.dir, { recursive: true })
    try {
      return new Map(Object.entries(JSON.parse(await readFile(join(this.dir, INDEX), 'utf8')) as Record<string, string>))
    } catch {
      return new Map()
    }
  }
}
