import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { DEFAULTS } from '../core/config.ts'
import { HatecrimesError } from '../core/errors.ts'
import { LAYOUTS, layoutById } from '../layouts/registry.ts'
import type { ProduceSummary } from '../pipelines/produce.ts'
import type { CsvReadOptions } from '../sources/csv-source.ts'
import { encodingOption, maxRecordOption, positiveInteger } from './options.ts'
import { fileProgress } from './progress.ts'

interface ProduceCommandOptions extends CsvReadOptions {
  input: string
  layout?: string
  source?: string
  topic: string
  dlqTopic?: string
  brokers?: string
  rate?: number
  partitions: number
  replication: number
  progress: boolean
}

/**
 * The line `produce` ends with: the rate over the whole run, then the rate from the first row on
 * (what --rate holds; the first also counts connecting and creating topics).
 *
 * @example
 * produceLine(summary) // produced 29691 of 30000 rows to incidents, 309 dead-lettered to incidents.dlq, 30.3 s (990 rows/s; 1000 rows/s from the first row)
 */
export function produceLine(summary: ProduceSummary): string {
  return (
    `produced ${summary.produced} of ${summary.rows} rows to ${summary.topic}, ` +
    `${summary.deadLettered} dead-lettered to ${summary.dlqTopic}, ` +
    `${summary.seconds.toFixed(1)} s (${Math.round(summary.rate)} rows/s; ${Math.round(summary.sendingRate)} rows/s from the first row)`
  )
}

/**
 * `hatecrimes produce --input file.csv`: streams a CSV into a Kafka topic, one JSON message per row.
 *
 * @example
 * hatecrimes produce --input austin.csv --topic incidents --partitions 6 --rate 500
 */
export function registerProduce(program: Command): void {
  program
    .command('produce')
    .description('stream a CSV into a Kafka topic: one JSON message per row, keyed by incident number')
    .requiredOption('--input <file>', 'the CSV file, in any known layout')
    .addOption(encodingOption())
    .addOption(maxRecordOption())
    .option('--layout <id>', `read the input with this layout instead of detecting it (${LAYOUTS.map((layout) => layout.id).join(', ')})`)
    .option('--source <name>', "source (dataset) the messages are tagged with (default: the layout's, e.g. austin_apd)")
    .option('--topic <name>', 'topic to write', DEFAULTS.topic)
    .option('--dlq-topic <name>', 'dead-letter topic (default <topic>.dlq)')
    .option('--brokers <list>', 'bootstrap brokers host:port,... (default KAFKA_BROKERS)')
    .option('--rate <n>', 'at most this many messages per second', positiveInteger('--rate'))
    .option('--partitions <n>', 'partitions of the topic if it must be created', positiveInteger('--partitions'), 3)
    .option('--replication <n>', 'replication factor of the topic if it must be created', positiveInteger('--replication'), 1)
    .option('--no-progress', 'no progress bar')
    .action(async (options: ProduceCommandOptions) => {
      if (!existsSync(options.input)) {
        throw new HatecrimesError('INPUT_MISSING', `Expected a CSV file at ${options.input} (no such file)`)
      }
      if (options.layout !== undefined) layoutById(options.layout)
      const { describeKafka, loadKafkaConfig } = await import('../core/kafka-config.ts')
      const { produceCsv } = await import('../pipelines/produce.ts')
      const kafka = loadKafkaConfig({ brokers: options.brokers })
      console.error(`kafka mode: ${options.input} -> topic ${options.topic} at ${describeKafka(kafka)}`)
      const bar = options.progress ? fileProgress('producing') : undefined
      const summary = await produceCsv({ ...options, kafka, onProgress: bar?.update })
      bar?.finish()
      console.log(produceLine(summary))
    })
}
