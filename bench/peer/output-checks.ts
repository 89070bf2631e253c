/**
 * What each pipeline of the peer benchmark wrote, read back with DuckDB, so the throughput figures
 * come with what they bought: rows kept, incident dates read, unknown counts kept unknown or made 0,
 * council districts and zip codes as numbers or not, files and partitions.
 */
import { readdirSync } from 'node:fs'
import { DuckDBInstance } from '@duckdb/node-api'
import { openLakeQuery } from '../../src/lake/lake-query.ts'

/** Column names on each side: the CSV headers (source and the original's Parquet) and our lake's. */
const SOURCE = {
  date: 'Date of Incident',
  counts: ['Number of Victims under 18', 'Number of Victims over 18', 'Number of Offenders under 18', 'Number of Offenders over 18'],
  district: 'Council District',
  zip: 'Zip Code',
}
const OURS = {
  date: 'incident_date',
  counts: ['victims_juvenile', 'victims_adult', 'offenders_juvenile', 'offenders_adult'],
  district: 'council_district',
  zip: 'zip_code',
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`
const sumOver = (columns: string[], predicate: (c: string) => string) => columns.map((c) => `count(*) FILTER (WHERE ${predicate(q(c))})`).join(' + ')

/** One SELECT of the facts compared on both outputs, over `from`. */
function factsSql(from: string, columns: typeof SOURCE): string {
  return `SELECT count(*) AS rows,
    count(*) FILTER (WHERE ${q(columns.date)} IS NULL) AS date_null,
    ${sumOver(columns.counts, (c) => `${c} = 0`)} AS count_zero,
    ${sumOver(columns.counts, (c) => `${c} IS NULL`)} AS count_null,
    count(*) FILTER (WHERE ${q(columns.district)} IS NULL) AS district_null,
    count(*) FILTER (WHERE ${q(columns.zip)} LIKE '%.0') AS zip_float
    FROM ${from}`
}

type Facts = Record<'rows' | 'date_null' | 'count_zero' | 'count_null' | 'district_null' | 'zip_float', number>
const numbers = <T>(row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as T
const n = (value: number) => value.toLocaleString('en-US')

async function withDuckDb<T>(work: (sql: (text: string) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    return await work(async (text) => (await connection.runAndReadAll(text)).getRowObjectsJson() as Record<string, unknown>[])
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

/**
 * One line per output (the source CSV, the original's Parquet folder, our lake) saying what each holds.
 *
 * @example
 * for (const line of await outputChecks('in.csv', 'out/theirs', 'out/lake')) console.log(line)
 */
export async function outputChecks(csv: string, theirFolder: string, ourLake: string): Promise<string[]> {
  const [source, theirs] = await withDuckDb(async (sql) => {
    const counts = await sql(`SELECT ${sumOver(SOURCE.counts, (c) => `NOT regexp_full_match(coalesce(${c}, ''), '[0-9]+')`)} AS unknown,
      ${sumOver(SOURCE.counts, (c) => `${c} = '0'`)} AS zero, count(*) AS rows
      FROM read_csv('${csv}', all_varchar = true, header = true)`)
    const facts = await sql(factsSql(`read_parquet('${theirFolder}/*.parquet')`, SOURCE))
    return [numbers<Record<'unknown' | 'zero' | 'rows', number>>(counts[0]), numbers<Facts>(facts[0])] as const
  })
  const theirFiles = readdirSync(theirFolder).filter((f) => f.endsWith('.parquet')).length

  const lake = await openLakeQuery(ourLake)
  try {
    const ours = numbers<Facts>((await lake.query(factsSql('incidents', OURS)))[0])
    const [{ partitions }] = await lake.query('SELECT count(DISTINCT (year, month)) AS partitions FROM incidents')
    const [{ dead }] = await lake.query('SELECT count(*) AS dead FROM dead_letters')
    const files = lake.files().data.length
    return [
      `source CSV:  ${n(source.rows)} rows; of its ${n(source.rows * 4)} count cells ${n(source.unknown)} are not a number (Unknown, blank) and ${n(source.zero)} are '0'`,
      `theirs:      ${n(theirs.rows)} rows in ${theirFiles} file(s), no partitions; incident date NULL in ${n(theirs.date_null)}; ` +
        `count cells 0 in ${n(theirs.count_zero)} (${n(Math.max(0, theirs.count_zero - source.zero))} more than the source's '0'), NULL in ${n(theirs.count_null)}; ` +
        `council district NULL in ${n(theirs.district_null)}; zip codes like '78731.0' in ${n(theirs.zip_float)}`,
      `ours:        ${n(ours.rows)} rows + ${n(Number(dead))} dead letters in ${files} files over ${n(Number(partitions))} year/month partitions; incident date NULL in ${n(ours.date_null)}; ` +
        `count cells 0 in ${n(ours.count_zero)}, NULL in ${n(ours.count_null)} (also 0/0 offenders of race Unknown); ` +
        `council district NULL in ${n(ours.district_null)}; zip codes like '78731.0' in ${n(ours.zip_float)}`,
    ]
  } finally {
    await lake.close()
  }
}
