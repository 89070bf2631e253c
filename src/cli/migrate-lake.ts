import type { Command } from 'commander'
import { DEFAULTS } from '../core/config.ts'
import { lakeOption } from './options.ts'

/**
 * `hatecrimes migrate-lake`: moves a lake written before sources had folders into them, so that
 * queries, the dashboard and reruns read it again. Safe to run again: a migrated lake is left as is.
 *
 * @example
 * hatecrimes migrate-lake --lake ./lake --source austin_apd
 */
export function registerMigrateLake(program: Command): void {
  program
    .command('migrate-lake')
    .description('move the files of a lake written before sources had folders into incidents/source=<source>/ and dead_letters/source=<source>/')
    .addOption(lakeOption())
    .option('--source <name>', "the source of files whose rows name none, and of dead letters no data file's run claims", DEFAULTS.source)
    .action(async (options: { lake: string; source: string }) => {
      const { migrateLake } = await import('../lake/lake-migration.ts')
      const { openStore } = await import('../lake/open-store.ts')
      const store = await openStore(options.lake)
      try {
        const { moved, removed, deadLetters } = await migrateLake(store, options.source)
        for (const [source, files] of moved) console.error(`source=${source}: ${files} data files moved`)
        if (removed) console.error(`${removed} files compaction had merged away deleted`)
        const total = [...moved.values()].reduce((sum, files) => sum + files, 0)
        console.log(
          total || deadLetters || removed
            ? `migrated ${store.url}: ${total} data files and ${deadLetters} dead-letter files moved into their sources' folders`
            : `nothing to migrate in ${store.url}: every file is in its source's folder`,
        )
      } finally {
        await store.close()
      }
    })
}
