import { statSync } from 'node:fs'
import type { Command } from 'commander'
import { positiveInteger } from './options.ts'
import { progressBar } from './progress.ts'

/**
 * `hatecrimes generate`: a synthetic CSV in the Austin layout, for demos, tests and benchmarks. It
 * is not Austin data: load it with `--source synthetic` so it never charts as such. A progress bar
 * runs on stderr (one final line when stderr is not a terminal); the summary goes to stdout.
 *
 * @example
 * hatecrimes generate --rows 2000000 --out big.csv --seed 7
 */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write a synthetic CSV in the Austin layout, with the real data\'s distributions and messiness')
    .option('--rows <n>', 'rows to write', positiveInteger('--rows'), 10_000)
    .option('--out <file>', 'where to write the CSV', './sample.csv')
    .option('--seed <n>', 'random seed; the same seed writes the same file', positiveInteger('--seed'), 1)
    .action(async (options: { rows: number; out: string; seed: number }) => {
      const { writeSyntheticCsv } = await import('../sources/synthetic.ts')
      const started = performance.now()
      const bar = progressBar('generating rows', options.rows)
      await writeSyntheticCsv(options.out, { rows: options.rows, seed: options.seed, onProgress: (rows) => bar.update(rows) })
      bar.finish()
      const seconds = (performance.now() - started) / 1000
      const mib = statSync(options.out).size / 1048576
      const rate = Math.round(options.rows / Math.max(seconds, 0.001)).toLocaleString('en-US')
      console.log(
        `wrote ${options.rows.toLocaleString('en-US')} synthetic rows (${mib.toFixed(1)} MiB) to ${options.out} ` +
          `in ${seconds.toFixed(1)} s (${rate} rows/s, seed ${options.seed}); load it with --source synthetic`,
      )
    })
}
