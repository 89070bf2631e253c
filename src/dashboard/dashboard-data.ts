import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openLakeQuery, type LakeQuery, type Row } from '../lake/lake-query.ts'
import { allChartsSql, cellTableSql, CHART_NAMES, DEAD_LETTERS_SQL, FACT_COLUMNS } from './charts.ts'
import { downloadSelect } from './download-file.ts'
import { whereClause, type Filters } from './filters.ts'
import { incidentSql, PAGE_SIZE, type IncidentQuery } from './incident-list.ts'
import { PLACE_TABLES, placeTableSql } from './place-facts.ts'
import { ServedTables, type ServedQuery } from './served-tables.ts'

export interface LakeStatus {
  version: string
  rows: number
  incidents: number
  /** The first and last year in the lake, for the year filters; null when it is empty. */
  years: [number, number] | null
  /** The newest incident date (YYYY-MM-DD): the last year is partial up to it. */
  lastDate: string | null
  deadLetters: number
  files: number
  lastFile: string | null
  lastModified: string | null
  /** Rows per value of the source column (austin_apd, synthetic, ...), most first. */
  sources: { source: string; rows: number }[]
}

/** One page of the rows behind a bar or cell, with the counts of all matching rows. */
export interface IncidentPage {
  rows: Row[]
  total: { rows: number; incidents: number }
  page: number
  pageSize: number
  sort: string
  dir: string
}

/**
 * What the dashboard reads: per lake version, each chart's table of cells and the rows of multi-row
 * incidents (see charts.ts), chart results cached per version and filter, and the lake's status.
 * The tables are built on the lake's DuckDB connection (which also writes downloads) and served
 * from another (ServedTables), so a rebuild never holds up a chart request.
 *
 * @example
 * const data = await DashboardData.open('./lake')
 * const charts = await data.charts({ year_from: 2020 })
 */
export class DashboardData {
  private readonly lake: LakeQuery
  private readonly served: ServedTables
  private readonly cache = new Map<string, Promise<unknown>>()
  private queue: Promise<unknown> = Promise.resolve()
  private current: LakeStatus | undefined
  /** Month * 100 + day of the newest incident: year to date counts every year up to that date. */
  private cutoff = 1231
  /** Dead letters by stage and code: unfiltered (they have no incident fields), so read once per version. */
  private deadLetters: Row[] = []

  private constructor(lake: LakeQuery, served: ServedTables) {
    this.lake = lake
    this.served = served
  }

  static async open(lakeUrl: string): Promise<DashboardData> {
    const data = new DashboardData(await openLakeQuery(lakeUrl), await ServedTables.open())
    await data.materialise()
    await data.charts({})
    return data
  }

  /** Runs work on the lake's connection after everything queued there before it. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work)
    this.queue = next.catch(() => undefined)
    return next
  }

  private async materialise(): Promise<void> {
    await this.lake.query(`CREATE OR REPLACE TABLE facts AS SELECT ${FACT_COLUMNS.join(', ')} FROM incidents`)
    const [totals] = await this.lake.query(
      `SELECT COUNT(*)::INTEGER AS rows, COUNT(DISTINCT incident_key)::INTEGER AS incidents, MIN(year) AS first_year,
        MAX(year) AS last_year, MAX(incident_date)::VARCHAR AS last_date,
        coalesce(month(MAX(incident_date)) * 100 + day(MAX(incident_date)), 1231) AS cutoff FROM facts`,
    )
    const cutoff = Number(totals.cutoff)
    const sources = await this.lake.query('SELECT source, COUNT(*)::INTEGER AS rows FROM facts GROUP BY ALL ORDER BY rows DESC, source')
    await this.lake.query('CREATE OR REPLACE VIEW facts_single AS SELECT * FROM facts WHERE NOT dup')
    await this.lake.query('CREATE OR REPLACE TABLE facts_dup AS SELECT * FROM facts WHERE dup')
    for (const name of CHART_NAMES) await this.lake.query(cellTableSql(name, cutoff))
    for (const statement of placeTableSql((name, spec) => cellTableSql(name, cutoff, spec))) await this.lake.query(statement)
    await this.lake.query('DROP VIEW facts_single')
    await this.lake.query('DROP TABLE facts')
    const deadLetters = await this.lake.query(DEAD_LETTERS_SQL)
    const { data, deadLetters: deadLetterFiles } = this.lake.files()
    const newest = [...data, ...deadLetterFiles].sort((a, b) => b.modified.getTime() - a.modified.getTime())[0]
    const status: LakeStatus = {
      version: this.lake.version(),
      rows: Number(totals.rows),
      incidents: Number(totals.incidents),
      lastDate: (totals.last_date as string | null) ?? null,
      years: totals.first_year === null ? null : [Number(totals.first_year), Number(totals.last_year)],
      deadLetters: deadLetters.reduce((sum, row) => sum + Number(row.rows), 0),
      files: data.length,
      lastFile: newest?.key ?? null,
      lastModified: newest?.modified.toISOString() ?? null,
      sources: sources.map((row) => ({ source: String(row.source), rows: Number(row.rows) })),
    }
    const tables = [...CHART_NAMES.map((name) => `chart_${name}`), ...PLACE_TABLES, 'facts_dup']
    await this.served.replace(this.lake, tables, () => {
      this.cutoff = cutoff
      this.deadLetters = deadLetters
      this.current = status
      this.cache.clear()
    })
    // Served from the other connection now: the lake's copies need not stay in memory.
    for (const table of tables) await this.lake.query(`DROP TABLE ${table}`)
  }

  /**
   * Looks at the lake again; true when its files changed. The table and caches are then renewed,
   * and the unfiltered view, which every page load starts with, is computed before it is asked for.
   */
  async refresh(): Promise<boolean> {
    const changed = await this.serial(async () => {
      // Compare versions rather than trust refresh(): a query may already have re-listed the lake
      // (after a compaction removed a file), and the chart tables must follow that change too.
      await this.lake.refresh()
      if (this.lake.version() === this.current!.version) return false
      await this.materialise()
      return true
    })
    if (changed) await this.charts({})
    return changed
  }

  status(): LakeStatus {
    return this.current!
  }

  /** Every chart's rows for these filters, plus the dead letters; cached per lake version. */
  charts(filters: Filters): Promise<Record<string, Row[]>> {
    return this.cachedRead(`charts:${JSON.stringify(filters)}`, async (query) => {
      const { sql, params } = whereClause(filters)
      const [row] = await query(allChartsSql(sql, this.cutoff), CHART_NAMES.flatMap(() => [...params, ...params]))
      const result: Record<string, Row[]> = {}
      for (const name of CHART_NAMES) result[name] = row[name] === null ? [] : (JSON.parse(row[name] as string) as Row[])
      result.dead_letters = this.deadLetters
      return result
    })
  }

  /**
   * Runs `work` on the served tables, cached per lake version and `key`: the promise is cached, so
   * identical requests that arrive together share one query. `work` also gets the year-to-date cutoff
   * the tables were built with.
   */
  cachedRead<T>(key: string, work: (query: ServedQuery, cutoff: number) => Promise<T>): Promise<T> {
    const versioned = `${this.current!.version}:${key}`
    const cached = this.cache.get(versioned)
    if (cached) return cached as Promise<T>
    const answer = this.served.read((query) => work(query, this.cutoff))
    if (this.cache.size > 500) this.cache.clear()
    this.cache.set(versioned, answer)
    answer.catch(() => this.cache.delete(versioned))
    return answer
  }

  /** Writes the filtered rows to a temporary CSV or Parquet file and returns its path and a clean-up. */
  download(filters: Filters, format: 'csv' | 'parquet'): Promise<{ path: string; remove: () => void }> {
    return this.serial(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hatecrimes-download-'))
      const path = join(dir, `incidents.${format}`)
      const { sql, params } = whereClause(filters)
      const options = format === 'csv' ? '(FORMAT csv, HEADER true)' : '(FORMAT parquet, COMPRESSION zstd)'
      await this.lake.query(`COPY (${downloadSelect(format, sql)}) TO '${path}' ${options}`, params)
      return { path, remove: () => rmSync(dir, { recursive: true, force: true }) }
    })
  }

  /** One page of the lake's rows behind a clicked bar or cell, sorted, with their raw source values. */
  incidents(query: IncidentQuery): Promise<IncidentPage> {
    return this.serial(async () => {
      const { pageSql, countSql, params } = incidentSql(query)
      const [counts] = await this.lake.query(countSql, params)
      const rows = await this.lake.query(pageSql, params)
      const total = { rows: Number(counts.rows), incidents: Number(counts.incidents) }
      return { rows, total, page: query.page, pageSize: PAGE_SIZE, sort: query.sort, dir: query.dir }
    })
  }

  async close(): Promise<void> {
    await this.serial(() => this.lake.close())
    await this.served.close()
  }
}
