import type { Command } from 'commander'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { HatecrimesError } from '../core/errors.ts'
import type { CensusTable } from '../population/census-tables.ts'
import type { PopulationRow } from '../population/population-table.ts'
import { lakeOption } from './options.ts'

/** How many skipped rows are listed one by one; the rest are counted. */
const SHOWN_SKIPS = 10

/** The tables an `--input` names: files as given, folders as their `.csv` files in name order. */
async function censusFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = []
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined)
    if (!info) throw new HatecrimesError('INPUT_MISSING', `Expected a Census population table or a folder of them at ${input} (no such file or folder)`)
    if (!info.isDirectory()) {
      files.push(input)
      continue
    }
    const names = (await readdir(input)).filter((name) => name.toLowerCase().endsWith('.csv')).sort()
    if (!names.length) throw new HatecrimesError('BAD_INPUT', `Expected Census population tables (.csv) in the folder ${input} (found none)`)
    files.push(...names.map((name) => join(input, name)))
  }
  return files
}

const count = (n: number) => n.toLocaleString('en-US')

function yearSpan(rows: readonly { year: number }[]): string {
  if (!rows.length) return 'none'
  const span = rows.reduce((s, { year }) => ({ min: Math.min(s.min, year), max: Math.max(s.max, year) }), { min: Infinity, max: -Infinity })
  return `${span.min}-${span.max}`
}

function tableLine(table: CensusTable): string {
  const places = new Set(table.figures.map((f) => f.census_name)).size
  const notes = table.notes ? `, ${table.notes} title and note rows` : ''
  const skipped = table.skipped.length ? `, ${table.skipped.length} rows skipped` : ''
  return `${table.file} (${table.layout}): ${count(places)} places, ${count(table.figures.length)} figures, ${yearSpan(table.figures)}${notes}${skipped}`
}

function levelsLine(rows: readonly PopulationRow[]): string {
  return (['city', 'state', 'nation'] as const)
    .map((level) => {
      const of = rows.filter((row) => row.level === level)
      return `${level} ${count(of.length)} (${yearSpan(of)})`
    })
    .join(', ')
}

/**
 * `hatecrimes population`: loads the Census population tables into the lake's `population/` table,
 * replacing the previous load in one write. Queries then give incidents per 100,000 residents.
 *
 * @example
 * hatecrimes population --lake ./lake --input data/population
 */
export function registerPopulation(program: Command): void {
  program
    .command('population')
    .description('load Census population tables into the lake (population/), replacing the previous load')
    .addOption(lakeOption())
    .option('--input <paths...>', 'Census tables (.csv) or folders of them', ['data/population'])
    .action(async (options: { lake: string; input: string[] }) => {
      const { readCensusTable } = await import('../population/census-tables.ts')
      const { buildPopulation, writePopulation } = await import('../population/population-table.ts')
      const { openStore } = await import('../lake/open-store.ts')
      const tables: CensusTable[] = []
      for (const file of await censusFiles(options.input)) tables.push(await readCensusTable(file))
      const rows = buildPopulation(tables)
      if (!rows.length) throw new HatecrimesError('BAD_INPUT', `Expected population figures in ${options.input.join(', ')} (got none)`)
      for (const table of tables) console.error(tableLine(table))
      const skipped = tables.flatMap((table) => table.skipped)
      for (const skip of skipped.slice(0, SHOWN_SKIPS)) console.error(`  skipped ${skip.file} row ${skip.row}: ${skip.reason}`)
      if (skipped.length > SHOWN_SKIPS) console.error(`  ... and ${skipped.length - SHOWN_SKIPS} more rows skipped`)
      const ambiguous = new Set(rows.filter((row) => row.ambiguous).map((row) => `${row.place}, ${row.state}`))
      if (ambiguous.size) console.error(`  ${ambiguous.size} names stand for more than one place in their state and get no rate: ${[...ambiguous].slice(0, 5).join('; ')}${ambiguous.size > 5 ? '; ...' : ''}`)
      const store = await openStore(options.lake)
      try {
        const key = await writePopulation(store, rows)
        console.log(`population: ${count(rows.length)} rows (${levelsLine(rows)}) in ${store.url}/${key}, replacing the previous load`)
      } finally {
        await store.close()
      }
    })
}
