import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api'
import { join } from 'node:path'
import { HatecrimesError } from '../core/errors.ts'
import type { ObjectInfo, ObjectStore } from './object-store.ts'
import { liveDataFiles, readManifests } from './compaction-manifest.ts'
import { FsStore } from './fs-store.ts'
import { LakeMirror, defaultMirrorDir } from './lake-mirror.ts'
import { openStore } from './open-store.ts'
import { LAKE_COLUMNS } from './lake-columns.ts'
import { refuseLegacyLake } from './lake-migration.ts'
import { DEAD_LETTER_PREFIX, POPULATION_KEY, TABLE } from './partitions.ts'
import { defineRateViews } from './rate-views.ts'

export type Row = Record<string, unknown>

/**
 * SQL access to a lake: the views `incidents` (Parquet), `dead_letters` (JSON lines, with the
 * source and layout of each rejected row), and
 * `population` and `rates` (rate-views.ts).
 */
export interface LakeQuery {
  /** Runs SQL and returns plain JSON-ready rows (BIGINT and DATE values come back as strings). */
  query(sql: string, params?: DuckDBValue[]): Promise<Row[]>
  /** Re-reads the lake's file list; true when files changed and the views now show them. */
  refresh(): Promise<boolean>
  /** A string that changes whenever the lake's files change. */
  version(): string
  /** The data and dead-letter files the views read now. */
  files(): { data: ObjectInfo[]; deadLetters: ObjectInfo[] }
  close(): Promise<void>
}

const DUCK_TYPES = {
  string: 'VARCHAR',
  int32: 'INTEGER',
  int64: 'BIGINT',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMPTZ',
  strings: 'VARCHAR[]',
} as const

const EMPTY_INCIDENTS = `SELECT ${LAKE_COLUMNS.map((c) => `NULL::${DUCK_TYPES[c.kind]} AS ${c.name}`).join(', ')}, NULL::INTEGER AS year, NULL::INTEGER AS month LIMIT 0`
const EMPTY_DEAD_LETTERS = `SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS layout, NULL::VARCHAR AS stage, NULL::VARCHAR AS code,
  NULL::VARCHAR AS message, NULL::JSON AS origin, NULL::JSON AS raw, NULL::VARCHAR AS "at" LIMIT 0`

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`
const fileList = (dir: string, files: ObjectInfo[]) => `[${files.map((f) => quote(join(dir, f.key))).join(', ')}]`

/**
 * Opens a lake for SQL through DuckDB. A folder lake is read in place; any other store is mirrored
 * to a local cache folder by ETag (`.cache/lakes/<bucket>-<hash of the URL>`, or `cacheDir`), because DuckDB
 * cannot reach S3 here without its httpfs extension.
 *
 * @example
 * const lake = await openLakeQuery('./lake')
 * const rows = await lake.query('SELECT year, COUNT(DISTINCT incident_id) AS incidents FROM incidents GROUP BY year')
 */
export async function openLakeQuery(lakeUrl: string, options: { cacheDir?: string } = {}): Promise<LakeQuery> {
  const store = await openStore(lakeUrl)
  const local = await localView(store, options.cacheDir)
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  let current = ''
  let listed = { data: [] as ObjectInfo[], deadLetters: [] as ObjectInfo[] }

  async function refresh(): Promise<boolean> {
    const { dir, files } = await local.sync()
    const tableFiles = files.filter((f) => f.key.startsWith(`${TABLE}/`))
    refuseLegacyLake(store.url, tableFiles)
    const data = liveDataFiles(tableFiles, await readManifests(store, tableFiles))
    const deadLetters = files.filter((f) => f.key.startsWith(`${DEAD_LETTER_PREFIX}/`) && f.key.endsWith('.jsonl'))
    const population = files.find((f) => f.key === POPULATION_KEY)
    const next = [...data, ...deadLetters, ...(population ? [population] : [])].map((f) => `${f.key}@${f.etag}`).join('\n')
    if (next === current && current !== '') return false
    await defineViews(connection, dir, data, deadLetters)
    await defineRateViews(connection, population && join(dir, population.key))
    current = next
    listed = { data, deadLetters }
    return true
  }

  await refresh()
  return {
    async query(sql, params) {
      try {
        return (await connection.runAndReadAll(sql, params)).getRowObjectsJson() as Row[]
      } catch (error) {
        // A file listed at the last refresh may since have been compacted away: list again, once.
        if (/No files found|Cannot open file|No such file/i.test((error as Error).message) && (await refresh())) {
          return (await connection.runAndReadAll(sql, params)).getRowObjectsJson() as Row[]
        }
        throw new HatecrimesError('QUERY_FAILED', `Query failed: ${(error as Error).message}`, { cause: error })
      }
    },
    refresh,
    version: () => String(hashOf(current)),
    files: () => listed,
    async close() {
      connection.closeSync()
      instance.closeSync()
      await store.close()
    },
  }
}

async function defineViews(connection: DuckDBConnection, dir: string, data: ObjectInfo[], dead: ObjectInfo[]) {
  const incidents = data.length
    ? `SELECT * FROM read_parquet(${fileList(dir, data)}, hive_partitioning = true, hive_types = {'source': VARCHAR, 'year': INTEGER, 'month': INTEGER}, union_by_name = true)`
    : EMPTY_INCIDENTS
  const deadLetters = dead.length
    ? // A letter names its source and layout; one written before letters did takes its folder's source, if any.
      `SELECT coalesce(source, nullif(regexp_extract(filename, '/source=([^/]+)/', 1), '')) AS source, layout, stage, code, message,
         origin::JSON AS origin, raw::JSON AS raw, "at"
       FROM read_json(${fileList(dir, dead)}, format = 'newline_delimited', filename = true, columns = {source: 'VARCHAR', layout: 'VARCHAR',
         stage: 'VARCHAR', code: 'VARCHAR', message: 'VARCHAR', origin: 'JSON', raw: 'JSON', "at": 'VARCHAR'})`
    : EMPTY_DEAD_LETTERS
  await connection.run(`CREATE OR REPLACE VIEW incidents AS ${incidents}`)
  await connection.run(`CREATE OR REPLACE VIEW dead_letters AS ${deadLetters}`)
}

/** Where DuckDB reads the lake from (the folder itself, or a local mirror), and how to bring it up to date. */
async function localView(store: ObjectStore, cacheDir?: string) {
  if (store instanceof FsStore) {
    return { sync: async () => ({ dir: store.root, files: await store.list('') }) }
  }
  const mirror = new LakeMirror(store, cacheDir ?? defaultMirrorDir(store.url))
  return { sync: async () => ({ dir: mirror.dir, files: (await mirror.sync()).files }) }
}

function hashOf(text: string): number {
  let hash = 0
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0
  return hash >>> 0
}
