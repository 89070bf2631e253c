import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { DEFAULTS, environment } from '../core/config.ts'
import { HatecrimesError } from '../core/errors.ts'
import type { CsvReadOptions } from '../sources/csv-source.ts'
import { LAYOUTS, layoutById } from '../layouts/registry.ts'
import { encodingOption, maxRecordOption, lakeOption, positiveInteger } from './options.ts'
import { fileProgress } from './progress.ts'
import { balanceLine, headerLine, type Balance } from './run-summary.ts'

export interface RunCommandOptions extends CsvReadOptions {
  input: string
  lake: string
  /** The source column; the layout's own when absent. */
  source?: string
  /** A layout id that overrides detection from the header. */
  layout?: string
  fileRows?: number
  /** true: through Kafka; false: in-process; undefined: Kafka when KAFKA_BROKERS is set. */
  kafka?: boolean
  topic?: string
}

/**
 * Runs one CSV into the lake, in this process (the embedded default) or through Kafka when asked
 * to or when `KAFKA_BROKERS` is set, says which mode it runs in, and prints the balance line. Each
 * mode's pipeline is loaded when it runs, so the embedded mode never loads the Kafka client.
 *
 * @example
 * await runFile({ input: 'austin.csv', lake: './lake', source: 'austin_apd' })
 */
export async function runFile(options: RunCommandOptions): Promise<Balance> {
  if (!existsSync(options.input)) {
    throw new HatecrimesError('INPUT_MISSING', `Expected a CSV file at ${options.input} (no such file)`)
  }
  const { kafkaBrokers } = environment()
  const streaming = options.kafka ?? Boolean(kafkaBrokers)
  if (streaming && !kafkaBrokers) {
    throw new HatecrimesError('BAD_OPTION', 'Expected KAFKA_BROKERS (host:port,...) for --kafka (it is not set)')
  }
  let balance: Balance
  const bar = fileProgress(streaming ? 'producing' : 'loading')
  if (streaming) {
    console.error(`kafka mode: ${options.input} -> topic ${options.topic ?? DEFAULTS.topic} at ${kafkaBrokers} -> ${options.lake}`)
    const { runStreaming } = await import('../pipelines/ingest-streaming.ts')
    const summary = await runStreaming({ ...options, onProgress: bar.update })
    balance = summary
  } else {
    console.error(`embedded mode: ${options.input} -> ${options.lake} in this process (no broker; set KAFKA_BROKERS to stream)`)
    const layout = options.layout === undefined ? undefined : layoutById(options.layout)
    const { runInProcess } = await import('../pipelines/run-in-process.ts')
    const summary = await runInProcess({ ...options, layout, onProgress: bar.update })
    console.error(headerLine(summary.header, summary.source))
    balance = summary
  }
  bar.finish()
  console.log(balanceLine(balance))
  return balance
}

/** `hatecrimes run`: CSV to lake, in-process by default, through Kafka with --kafka. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('load a CSV into the lake: parse, clean, enrich, write Parquet (in-process, or through Kafka)')
    .requiredOption('--input <file>', 'the CSV file, in any known layout')
    .addOption(encodingOption())
    .addOption(maxRecordOption())
    .option('--layout <id>', `read the input with this layout instead of detecting it (${LAYOUTS.map((layout) => layout.id).join(', ')})`)
    .addOption(lakeOption())
    .option('--source <name>', "value of the source column (default: the layout's, e.g. austin_apd; synthetic, ...)")
    .option('--file-rows <n>', 'rows per Parquet file (in-process)', positiveInteger('--file-rows'), DEFAULTS.fileRows)
    .option('--kafka', 'stream through Kafka (KAFKA_BROKERS); the default when KAFKA_BROKERS is set')
    .option('--no-kafka', 'run in this process even when KAFKA_BROKERS is set')
    .option('--topic <name>', 'topic for --kafka', DEFAULTS.topic)
    .action(async (options: RunCommandOptions) => {
      const balance = await runFile(options)
      if (balance.rows !== balance.written + balance.deadLettered) process.exitCode = 1
    })
}
