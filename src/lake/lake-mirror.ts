import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { createHash, randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { environment } from '../core/config.ts'
import { HatecrimesError } from '../core/errors.ts'
import { isManifest, liveDataFiles, parseManifest } from './compaction-manifest.ts'
import { ObjectMissingError, type ObjectInfo, type ObjectStore } from './object-store.ts'
import { DEAD_LETTER_PREFIX, POPULATION_KEY, TABLE, safeName } from './partitions.ts'

const INDEX = '.mirror-etags.json'
/** The index's shape: lake key -> the ETag of the copy downloaded. */
const MirrorIndex = z.record(z.string(), z.string())
/** How many times a sync lists again when files vanish under it (a compaction deleting them). */
const ATTEMPTS = 5

/**
 * The default cache folder of a remote lake: one folder per lake URL under HATECRIMES_CACHE_DIR
 * (else `.cache/lakes`, see core/config.ts), named by its bucket and a hash of the whole URL.
 *
 * @example
 * defaultMirrorDir('s3://my-bucket/austin') // .cache/lakes/my-bucket-<16 hex digits>
 */
export function defaultMirrorDir(url: string): string {
  const base = environment().cacheDir
  const bucket = safeName(url.replace(/^[a-z0-9]+:\/\//i, '').split('/')[0])
  return join(base, `${bucket}-${createHash('sha256').update(url).digest('hex').slice(0, 16)}`)
}

/** Replaces a local file in one step, so DuckDB (here or in another process on the same cache) never reads half of it. */
async function writeWhole(path: string, body: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(temporary, body)
  await rename(temporary, path)
}

/**
 * Keeps a local copy of a remote lake's live data files, dead-letter files and population table,
 * for DuckDB, which cannot reach S3 here. Each sync lists the lake, reads the compaction manifests,
 * downloads the live files that are new or whose ETag changed, and deletes local files the lake no
 * longer shows.
 * The manifests are judged from the same copies as the files, so the copy never holds a merged
 * file next to the files it replaced; a file that vanishes during the sync makes it list again.
 *
 * @example
 * const mirror = new LakeMirror(store, '.cache/lakes/austin')
 * const { files, changed } = await mirror.sync() // files: what a reader should read, under mirror.dir
 */
export class LakeMirror {
  readonly dir: string
  private readonly store: ObjectStore
  private etags: Map<string, string> | undefined

  constructor(store: ObjectStore, dir: string) {
    this.store = store
    this.dir = dir
  }

  /**
   * Brings the copy up to date; `files` are the live data files, the dead-letter files and the
   * population table. Some S3-compatible servers (S3Proxy 4.0.0 on a folder) silently leave part of
   * a folder out of a listing taken while a file in it is deleted, as a compaction does; so the copy
   * is made again until the listing after it agrees with the one it was made from. A lake that never
   * holds still (a live ingest writing files) gets the copy of its last listing, as a reader of it
   * would expect.
   */
  async sync(): Promise<{ files: ObjectInfo[]; changed: number }> {
    const etags = (this.etags ??= await this.loadIndex())
    let remote = await this.listAll()
    let changed = 0
    for (let attempt = 1; ; attempt++) {
      try {
        const { files, fetched } = await this.copy(remote, etags)
        changed += fetched
        const again = attempt < ATTEMPTS ? await this.listAll() : remote
        if (sameListing(remote, again)) {
          changed += await this.prune(new Set([...remote.filter((info) => isManifest(info.key)), ...files].map((info) => info.key)), etags)
          if (changed) await writeWhole(join(this.dir, INDEX), JSON.stringify(Object.fromEntries(etags)))
          return { files, changed }
        }
        remote = again
      } catch (error) {
        if (!(error instanceof ObjectMissingError)) throw error
        if (attempt === ATTEMPTS) {
          throw new HatecrimesError('LAKE_UNREACHABLE', `Expected the files of ${this.store.url} to hold still for one copy to ${this.dir}, but they changed in each of ${ATTEMPTS} tries (the last time, ${error.key} vanished): is something deleting files in a loop?`, { cause: error })
        }
        remote = await this.listAll()
      }
    }
  }

  private async listAll(): Promise<ObjectInfo[]> {
    return [...(await this.store.list(`${TABLE}/`)), ...(await this.store.list(`${DEAD_LETTER_PREFIX}/`)), ...(await this.store.list(POPULATION_KEY))]
  }

  /** Downloads what a listing shows that the copy lacks; the live files, judged from the copied manifests. */
  private async copy(remote: ObjectInfo[], etags: Map<string, string>): Promise<{ files: ObjectInfo[]; fetched: number }> {
    let fetched = 0
    const manifests = remote.filter((info) => isManifest(info.key))
    for (const info of manifests) fetched += await this.fetch(info, etags)
    const parsed = await Promise.all(manifests.map(async (info) => parseManifest(await readFile(this.pathOf(info.key)), info.key)))
    const data = liveDataFiles(remote.filter((info) => info.key.startsWith(`${TABLE}/`)), parsed)
    const files = [...data, ...remote.filter((info) => info.key.startsWith(`${DEAD_LETTER_PREFIX}/`) || info.key === POPULATION_KEY)]
    for (const info of files) fetched += await this.fetch(info, etags)
    return { files, fetched }
  }

  private pathOf(key: string): string {
    return join(this.dir, ...key.split('/'))
  }

  /** Downloads one object unless the copy has its ETag already; 1 when it did. */
  private async fetch(info: ObjectInfo, etags: Map<string, string>): Promise<number> {
    if (etags.get(info.key) === info.etag) return 0
    const path = this.pathOf(info.key)
    await mkdir(dirname(path), { recursive: true })
    await writeWhole(path, await this.store.get(info.key))
    etags.set(info.key, info.etag)
    return 1
  }

  /** Deletes the local copies of everything not kept; returns how many. */
  private async prune(keep: Set<string>, etags: Map<string, string>): Promise<number> {
    let removed = 0
    for (const key of [...etags.keys()]) {
      if (keep.has(key)) continue
      await rm(this.pathOf(key), { force: true })
      etags.delete(key)
      removed++
    }
    return removed
  }

  /**
   * The ETags of the copies already here. The index is a cache: missing, cut short or not of its
   * shape (key -> ETag), it is started afresh, which costs one download of each file, never a file
   * read with the wrong content (a copy without its ETag in the index is fetched again).
   */
  private async loadIndex(): Promise<Map<string, string>> {
    await mkdir(this.dir, { recursive: true })
    const text = await readFile(join(this.dir, INDEX), 'utf8').catch(() => '')
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return new Map()
    }
    const index = MirrorIndex.safeParse(json)
    return new Map(index.success ? Object.entries(index.data) : [])
  }
}

const sameListing = (a: readonly ObjectInfo[], b: readonly ObjectInfo[]) => a.length === b.length && a.every((info, i) => info.key === b[i].key && info.etag === b[i].etag)
