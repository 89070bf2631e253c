import type { HeaderMatch } from '../layouts/layout.ts'
import { formatTable } from './table-output.ts'

/** What every run reports, in either mode: rows read == rows in the lake + rows dead-lettered. */
export interface Balance {
  lake: string
  rows: number
  written: number
  deadLettered: number
  seconds: number
  files?: number
  blankLines?: number
  removedStale?: number
  /** The source whose folder of dead letters to point at, when the run had one. */
  source?: string
}

/**
 * The balance line every run ends with: rows read == rows in the lake + rows dead-lettered.
 *
 * @example
 * console.log(balanceLine(summary)) // read 266 rows: 266 in the lake (12 files), 0 dead-lettered; balance ok
 */
export function balanceLine(summary: Balance): string {
  const balanced = summary.rows === summary.written + summary.deadLettered
  const rate = summary.seconds > 0 ? Math.round(summary.rows / summary.seconds) : summary.rows
  return (
    `read ${summary.rows} rows: ${summary.written} in the lake${summary.files ? ` (${summary.files} files)` : ''}, ` +
    `${summary.deadLettered} dead-lettered${summary.deadLettered ? ` (see ${summary.lake}/dead_letters/${summary.source ? `source=${summary.source}/` : ''})` : ''}; ` +
    `balance ${balanced ? 'ok' : 'BROKEN'}; ${summary.seconds.toFixed(1)} s, ${rate} rows/s` +
    (summary.blankLines ? `; ${summary.blankLines} blank lines skipped` : '') +
    (summary.removedStale ? `; replaced ${summary.removedStale} files of an earlier run` : '')
  )
}

/**
 * Which layout a file was read with, and what of its header was not read: optional columns it
 * lacks (read as blank) and columns the layout does not know (ignored).
 *
 * @example
 * console.error(headerLine(summary.header, 'austin_apd')) // layout austin_apd, source austin_apd; extra columns ignored: "Notes"
 */
export function headerLine(header: HeaderMatch, source: string): string {
  const quoted = (names: readonly string[]) => names.map((name) => JSON.stringify(name)).join(', ')
  return (
    `layout ${header.layout.id}, source ${source}` +
    (header.absent.length ? `; columns not in the file (read as blank): ${quoted(header.absent)}` : '') +
    (header.extra.length ? `; extra columns ignored: ${quoted(header.extra)}` : '')
  )
}

const BY_YEAR_AND_CATEGORY = `
  SELECT year,
         COUNT(DISTINCT incident_id) AS incidents,
         COUNT(DISTINCT incident_id) FILTER (bias_category = 'Race/Ethnicity/Ancestry') AS race_ethnicity,
         COUNT(DISTINCT incident_id) FILTER (bias_category = 'Religion') AS religion,
         COUNT(DISTINCT incident_id) FILTER (bias_category = 'Sexual Orientation') AS sexual_orientation,
         COUNT(DISTINCT incident_id) FILTER (bias_category = 'Gender Identity') AS gender_identity,
         COUNT(DISTINCT incident_id) FILTER (bias_category = 'Gender') AS gender,
         COUNT(DISTINCT incident_id) FILTER (bias_category = 'Disability') AS disability,
         COUNT(DISTINCT incident_id) FILTER (bias_category = 'Multiple') AS multiple,
         COUNT(DISTINCT incident_id) FILTER (bias_category = 'Unknown') AS unknown
  FROM incidents GROUP BY year ORDER BY year`

/**
 * A short table of incidents by year and FBI bias category, read back from the lake. DuckDB is
 * loaded here, not with the module: `run` prints its balance line from this file and needs no SQL.
 *
 * @example
 * console.log(await lakeSummary('./lake'))
 */
export async function lakeSummary(lakeUrl: string): Promise<string> {
  const { openLakeQuery } = await import('../lake/lake-query.ts')
  const lake = await openLakeQuery(lakeUrl)
  try {
    return `Incidents by year and bias category (${lakeUrl}):\n${formatTable(await lake.query(BY_YEAR_AND_CATEGORY))}`
  } finally {
    await lake.close()
  }
}
