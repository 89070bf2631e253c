import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { DEFAULTS } from '../core/config.ts'
import type { CsvReadOptions } from '../sources/csv-source.ts'
import { encodingOption, maxRecordOption, lakeOption, port, positiveInteger } from './options.ts'
import { runFile } from './run.ts'
import { lakeSummary } from './run-summary.ts'

interface DemoOptions extends CsvReadOptions {
  input?: string
  rows: number
  lake: string
  port: number
  serve: boolean
}

/**
 * `hatecrimes demo` (what `npm start` runs): generate a synthetic sample unless a file is given, run
 * it into the lake (in-process, or through Kafka when KAFKA_BROKERS is set), print the balance and
 * incidents by year and bias category, then serve the dashboard on the lake.
 *
 * @example
 * npm start -- --input austin.csv --no-serve
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a sample (or take --input), run it into the lake, summarise it and serve the dashboard')
    .option('--input <file>', 'a CSV (.csv, .csv.gz, .zip) in any known layout (default: a generated synthetic sample)')
    .addOption(encodingOption())
    .addOption(maxRecordOption())
    .option('--rows <n>', 'rows of the generated sample', positiveInteger('--rows'), 20_000)
    .addOption(lakeOption())
    .option('--port <n>', 'dashboard port', port('--port'), DEFAULTS.port)
    .option('--no-serve', 'stop after the summary instead of serving the dashboard')
    .action(async (options: DemoOptions) => {
      let input = options.input
      // A given file's source is its layout's (austin_apd, fbi_cde, ...).
      let source: string | undefined
      if (!input) {
        mkdirSync(join('.cache', 'demo'), { recursive: true })
        input = join('.cache', 'demo', `synthetic-${options.rows}.csv`)
        source = 'synthetic'
        if (!existsSync(input)) {
          console.error(`no --input given: generating ${options.rows} synthetic rows in the Austin layout into ${input}`)
          const { writeSyntheticCsv } = await import('../sources/synthetic.ts')
          await writeSyntheticCsv(input, { rows: options.rows, seed: 2017 })
        }
      }
      await runFile({ input, lake: options.lake, source, encoding: options.encoding, maxRecordChars: options.maxRecordChars })
      console.log(await lakeSummary(options.lake))
      if (!options.serve) return
      const { startDashboard } = await import('../dashboard/server.ts')
      const dashboard = await startDashboard({ lake: options.lake, port: options.port, host: '127.0.0.1' })
      console.log(`dashboard on ${dashboard.url} (Ctrl-C to stop)`)
    })
}
