import { z } from 'zod'
import { HatecrimesError } from '../core/errors.ts'
import { ObjectMissingError, type ObjectInfo, type ObjectStore } from './object-store.ts'

/**
 * The reader's half of compaction (the writer's half is compaction.ts). A compaction of a
 * partition leaves a manifest `_compaction-<id>.json` in it while it works, naming the file it
 * merges into and the small files that file replaces. A reader lists the partition, reads the
 * manifests of that listing, and applies one rule ({@link liveDataFiles}):
 *
 * - a manifest whose merged file is not in the listing changes nothing (the merge has not been
 *   written, or was abandoned before it was): read the small files;
 * - a manifest whose merged file is in the listing hides the files it replaces: read the merged
 *   file, and whichever small files are still there are not read twice.
 *
 * The writer deletes the small files before the manifest, so a listing never holds a merged file
 * and its small files without the manifest that tells them apart.
 */
const ManifestSchema = z.object({
  merged: z.string().endsWith('.parquet'),
  replaced: z.array(z.string().endsWith('.parquet')).min(1),
  /**
   * The writer's pause between its merged file appearing and its deletes: past it (and a margin),
   * a manifest whose merged file exists belongs to a run that died, and the next run finishes it.
   * Absent in manifests written before it was recorded.
   */
  settleMs: z.number().int().nonnegative().optional(),
})

export type Manifest = z.infer<typeof ManifestSchema>

const MANIFEST = /\/_compaction-[0-9a-f]+\.json$/

/** Whether a key is a compaction manifest. */
export const isManifest = (key: string): boolean => MANIFEST.test(key)

/**
 * The key of the manifest that claims a set of files: the same files always give the same key, so
 * two runs over the same files write the same manifest and its conditional write lets one through.
 *
 * @example
 * manifestKey('incidents/source=austin_apd/year=2017/month=03/', 'a1b2c3d4e5f60718') // incidents/source=austin_apd/year=2017/month=03/_compaction-a1b2c3d4e5f60718.json
 */
export function manifestKey(folder: string, id: string): string {
  return `${folder}_compaction-${id}.json`
}

/**
 * The data files a reader should read, given a listing and the manifests found in it.
 *
 * @example
 * const infos = await store.list('incidents/')
 * const files = liveDataFiles(infos, await readManifests(store, infos))
 */
export function liveDataFiles(infos: readonly ObjectInfo[], manifests: readonly Manifest[]): ObjectInfo[] {
  const present = new Set(infos.map((info) => info.key))
  const hidden = new Set(manifests.filter((m) => present.has(m.merged)).flatMap((m) => m.replaced))
  return infos.filter((info) => info.key.endsWith('.parquet') && !hidden.has(info.key))
}

/**
 * Every key some manifest names, merged or replaced: files another compaction is at work on (or
 * left behind when it died), which a new compaction must not merge again under another name.
 *
 * @example
 * const free = files.filter((info) => !claimedKeys(manifests).has(info.key))
 */
export function claimedKeys(manifests: readonly Manifest[]): Set<string> {
  return new Set(manifests.flatMap((m) => [m.merged, ...m.replaced]))
}

/**
 * Reads the compaction manifests of a listing. A manifest gone since the listing is skipped: it is
 * deleted only after every file it replaced, so the listing's copies of those files no longer
 * exist and a reader that tries them lists again.
 *
 * @example
 * const manifests = await readManifests(store, await store.list('incidents/'))
 */
export async function readManifests(store: ObjectStore, infos: readonly ObjectInfo[]): Promise<Manifest[]> {
  const keys = infos.filter((info) => isManifest(info.key)).map((info) => info.key)
  const read = await Promise.all(keys.map((key) => store.get(key).then((bytes) => parseManifest(bytes, key), skipMissing)))
  return read.filter((manifest) => manifest !== undefined)
}

/**
 * A manifest from its bytes, checked: a file that is not one (cut short, written by hand) stops the
 * reader with its key rather than hiding or showing files by accident.
 *
 * @example
 * parseManifest(await store.get(key), key) // { merged: '.../stream-0-49.parquet', replaced: [...], settleMs: 10000 }
 */
export function parseManifest(bytes: Uint8Array, key: string): Manifest {
  const text = new TextDecoder().decode(bytes)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  const parsed = ManifestSchema.safeParse(json)
  if (parsed.success) return parsed.data
  const problem = json === undefined ? 'not JSON' : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'the object'}: ${issue.message}`).join('; ')
  throw new HatecrimesError(
    'LAKE_READ_FAILED',
    `Expected a compaction manifest {"merged": "<key>.parquet", "replaced": [...]} in ${key} (${problem}; got ${JSON.stringify(text.slice(0, 200))}): delete it if no compaction is running`,
  )
}

/** The bytes of a manifest. */
export function manifestBytes(manifest: Manifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ merged: manifest.merged, replaced: manifest.replaced, settleMs: manifest.settleMs }))
}

function skipMissing(error: unknown): undefined {
  if (error instanceof ObjectMissingError) return undefined
  throw error
}
