import { InvalidArgumentError, type Command } from 'commander'
import { DEFAULTS } from '../core/config.ts'
import { partitionPath, sourceNameProblem, TABLE, type PartitionKey } from '../lake/partitions.ts'
import { lakeOption, positiveInteger } from './options.ts'

function partitionOption(value: string): PartitionKey {
  const match = /^source=([^/]+)\/year=(\d{4})\/month=(\d{1,2})$/.exec(value.trim())
  if (!match || sourceNameProblem(match[1]) || Number(match[3]) < 1 || Number(match[3]) > 12) {
    throw new InvalidArgumentError(`Expected a partition like source=austin_apd/year=2017/month=03 for --partition (got "${value}")`)
  }
  return { source: match[1], year: Number(match[2]), month: Number(match[3]) }
}

const whole = (flag: string) => (value: string) => (value === '0' ? 0 : positiveInteger(flag)(value))

interface CompactCommandOptions {
  lake: string
  partition?: PartitionKey
  minFiles: number
  graceMs: number
  settleMs: number
}

/**
 * `hatecrimes compact`: merges the small files of each partition (streaming writes many) into one per stream,
 * without a moment when the project's readers (query, dashboard) see rows missing or doubled; readers
 * that glob the files see a merged partition twice for --settle-ms (README, "The lake").
 *
 * @example
 * hatecrimes compact --lake s3://bucket/austin --partition source=austin_apd/year=2024/month=11
 */
export function registerCompact(program: Command): void {
  program
    .command('compact')
    .description('merge the small Parquet files of each partition into one per stream (query and the dashboard never see doubles; file globs may, for --settle-ms)')
    .addOption(lakeOption())
    .option('--partition <source=S/year=YYYY/month=MM>', 'only this partition (default: all)', partitionOption)
    .option('--min-files <n>', "merge a stream's files in a partition only when there are at least this many (2 at least)", positiveInteger('--min-files'), 2)
    .option('--grace-ms <n>', 'leave files younger than this alone (a live writer may own them)', whole('--grace-ms'), DEFAULTS.compactGraceMs)
    .option('--settle-ms <n>', 'wait between writing the merged file and deleting the small ones', whole('--settle-ms'), DEFAULTS.compactSettleMs)
    .action(async (options: CompactCommandOptions) => {
      const { compactPartition, lakePartitions } = await import('../lake/compaction.ts')
      const { openStore } = await import('../lake/open-store.ts')
      const store = await openStore(options.lake)
      try {
        const partitions = options.partition ? [options.partition] : await lakePartitions(store)
        let files = 0
        let merged = 0
        for (const partition of partitions) {
          const result = await compactPartition(store, partition, options)
          if (!result.merged.length) continue
          merged++
          files += result.replaced
          const into = `${result.merged.length} file${result.merged.length === 1 ? '' : 's'}`
          console.error(`${partitionPath(partition).slice(TABLE.length + 1)}: ${result.replaced} files -> ${into} (${result.rows} rows)`)
        }
        console.log(`compacted ${merged} of ${partitions.length} partitions: ${files} files merged in ${store.url}`)
      } finally {
        await store.close()
      }
    })
}
