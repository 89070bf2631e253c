/**
 * The soak's verdict on a lake: is every (partition, offset) of the topic in it exactly once?
 * Positions come from the Parquet rows (kafka_partition, kafka_offset) and from the dead-letter
 * JSON lines (origin.partition, origin.offset), read with DuckDB straight from the files, so the
 * check depends on neither the query layer nor the ingest under test.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'

export interface LakeVerdict {
  /** Positions in the lake: data rows plus dead letters, counted with repeats. */
  positions: number
  deadLetters: number
  /** Extra copies: a position found three times counts 2. */
  duplicates: number
  /** Offsets 0..end-1 of a partition found nowhere. */
  missing: number
  /** Positions outside the topic: an unknown partition or an offset at or past its end. */
  stray: number
  /** A few of the faulty positions as `p:o`, to start an investigation from. */
  examples: string[]
}

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`

function hasFile(folder: string, suffix: string, recursive: boolean): boolean {
  if (!existsSync(folder)) return false
  return readdirSync(folder, { recursive, encoding: 'utf8' }).some((name) => name.endsWith(suffix))
}

/**
 * Counts duplicates, missing and stray positions of a lake against a topic's end offsets
 * (offsets are contiguous from 0, as for any topic a plain producer wrote).
 *
 * @example
 * const verdict = await checkLake('.cache/soak/r1/lake', new Map([[0, 500n], [1, 498n]]))
 * verdict.duplicates === 0 && verdict.missing === 0
 */
export async function checkLake(lake: string, ends: Map<number, bigint>): Promise<LakeVerdict> {
  const sources: string[] = []
  if (hasFile(join(lake, 'incidents'), '.parquet', true)) {
    const glob = sqlText(join(lake, 'incidents', '**', '*.parquet'))
    sources.push(`SELECT kafka_partition::INTEGER AS p, kafka_offset::BIGINT AS o, false AS dead FROM read_parquet(${glob})`)
  }
  const deadLetters = hasFile(join(lake, 'dead_letters'), '.jsonl', true)
  if (deadLetters) {
    // Only the origin is read; the raw row may hold anything, so it is not parsed.
    // Each source's letters are in its own folder (dead_letters/source=<source>/).
    const glob = sqlText(join(lake, 'dead_letters', '**', '*.jsonl'))
    sources.push(
      `SELECT origin.partition::INTEGER AS p, origin.offset::BIGINT AS o, true AS dead ` +
        `FROM read_json(${glob}, format = 'newline_delimited', columns = {origin: 'STRUCT(partition INTEGER, "offset" VARCHAR)'})`,
    )
  }
  if (sources.length === 0) sources.push('SELECT NULL::INTEGER AS p, NULL::BIGINT AS o, false AS dead WHERE false')
  const endRows = [...ends].map(([partition, end]) => `(${partition}, ${end})`).join(', ')
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    await connection.run(`CREATE TEMP TABLE pos AS ${sources.join(' UNION ALL ')}`)
    await connection.run(`CREATE TEMP TABLE ends(p INTEGER, e BIGINT)`)
    if (endRows) await connection.run(`INSERT INTO ends VALUES ${endRows}`)
    const query = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson()
    const [totals] = await query(`SELECT count(*) AS positions, count(*) FILTER (dead) AS dead FROM pos`)
    const dupes = await query(`SELECT p, o, count(*) - 1 AS extra FROM pos GROUP BY p, o HAVING count(*) > 1 ORDER BY p, o`)
    const [missing] = await query(
      `WITH wanted AS (SELECT p, unnest(range(e)) AS o FROM ends) ` +
        `SELECT count(*) AS n, list(p || ':' || o ORDER BY p, o)[1:5] AS examples FROM wanted ANTI JOIN pos USING (p, o)`,
    )
    const [stray] = await query(
      `SELECT count(*) AS n, list(pos.p || ':' || pos.o)[1:5] AS examples FROM pos LEFT JOIN ends USING (p) WHERE ends.e IS NULL OR pos.o >= ends.e OR pos.o < 0`,
    )
    const examples = [
      ...dupes.slice(0, 5).map((row) => `dup ${row.p}:${row.o}`),
      ...((missing.examples as string[] | null) ?? []).map((position) => `missing ${position}`),
      ...((stray.examples as string[] | null) ?? []).map((position) => `stray ${position}`),
    ]
    return {
      positions: Number(totals.positions),
      deadLetters: Number(totals.dead),
      duplicates: dupes.reduce((sum, row) => sum + Number(row.extra), 0),
      missing: Number(missing.n),
      stray: Number(stray.n),
      examples,
    }
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}
