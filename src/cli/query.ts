import type { Command } from 'commander'
import { HatecrimesError } from '../core/errors.ts'
import { lakeOption } from './options.ts'
import { formatCsv, formatTable } from './table-output.ts'

const FORMATS = ['table', 'csv', 'json'] as const

/**
 * `hatecrimes query "<sql>"`: SQL over the lake through DuckDB. The views are `incidents` (one row
 * per source row), `dead_letters`, `population` (the Census table `hatecrimes population` loads)
 * and `rates` (incidents per 100,000 residents by source, place and year; lake/rate-views.ts).
 *
 * @example
 * hatecrimes query "SELECT year, COUNT(DISTINCT incident_id) AS incidents FROM incidents GROUP BY 1 ORDER BY 1"
 * hatecrimes query "SELECT year, incidents, population, rate_per_100k FROM rates WHERE level = 'city' AND place = 'Austin' AND state = 'TX'"
 */
export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('run SQL over the lake (views: incidents, dead_letters, population, rates) and print the result')
    .argument('<sql>', 'a DuckDB SQL statement')
    .addOption(lakeOption())
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'table')
    .action(async (sql: string, options: { lake: string; format: string }) => {
      if (!(FORMATS as readonly string[]).includes(options.format)) {
        throw new HatecrimesError('BAD_OPTION', `Expected --format to be one of ${FORMATS.join(', ')} (got "${options.format}")`)
      }
      const { openLakeQuery } = await import('../lake/lake-query.ts')
      const lake = await openLakeQuery(options.lake)
      try {
        const rows = await lake.query(sql)
        if (options.format === 'json') console.log(JSON.stringify(rows, null, 2))
        else if (options.format === 'csv') console.log(formatCsv(rows))
        else console.log(formatTable(rows))
      } finally {
        await lake.close()
      }
    })
}
