import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api'
import type { LakeQuery, Row } from '../lake/lake-query.ts'

/** Runs one statement on the served tables and returns its rows as plain JSON values. */
export type ServedQuery = (sql: string, params?: DuckDBValue[]) => Promise<Row[]>

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

/**
 * The small tables chart requests read, in a DuckDB of their own. The tables are built from the
 * lake on the lake's connection (seconds on millions of rows) and handed over as Parquet files, so
 * requests keep answering from the previous tables while the next ones are built, and wait at most
 * for the hand-over (a few milliseconds), never for the build. Statements run one at a time.
 *
 * @example
 * const served = await ServedTables.open()
 * await served.replace(lake, ['chart_by_year', 'facts_dup'], () => { version = next })
 * const rows = await served.read((query) => query('SELECT * FROM chart_by_year WHERE year >= ?', [2020]))
 */
export class ServedTables {
  private readonly instance: DuckDBInstance
  private readonly connection: DuckDBConnection
  private queue: Promise<unknown> = Promise.resolve()

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection) {
    this.instance = instance
    this.connection = connection
  }

  static async open(): Promise<ServedTables> {
    const instance = await DuckDBInstance.create(':memory:')
    return new ServedTables(instance, await instance.connect())
  }

  /** Runs work after every statement queued before it. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work)
    this.queue = next.catch(() => undefined)
    return next
  }

  /**
   * Runs work that reads the tables, between two hand-overs: what it reads beside them (the version,
   * the day of year a chart was built with) belongs to the same tables.
   */
  read<T>(work: (query: ServedQuery) => Promise<T>): Promise<T> {
    return this.serial(() => work(async (sql, params) => (await this.connection.runAndReadAll(sql, params)).getRowObjectsJson() as Row[]))
  }

  /**
   * Copies the named tables out of the lake's DuckDB and swaps them in here in one step, between two
   * requests; `swapped` runs in that same step, so state kept beside the tables (the lake version,
   * caches) changes with them.
   */
  async replace(lake: LakeQuery, tables: string[], swapped: () => void): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'hatecrimes-dashboard-tables-'))
    try {
      const file = (table: string) => quote(join(dir, `${table}.parquet`))
      for (const table of tables) await lake.query(`COPY ${table} TO ${file(table)} (FORMAT parquet)`)
      await this.serial(async () => {
        await this.connection.run('BEGIN TRANSACTION')
        try {
          for (const table of tables) await this.connection.run(`CREATE OR REPLACE TABLE ${table} AS FROM read_parquet(${file(table)})`)
          await this.connection.run('COMMIT')
        } catch (error) {
          await this.connection.run('ROLLBACK')
          throw error
        }
        swapped()
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  close(): Promise<void> {
    return this.serial(async () => {
      this.connection.closeSync()
      this.instance.closeSync()
    })
  }
}
