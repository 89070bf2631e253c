/**
 * What a layout's mapping costs before the lake: reads a real file as users download it (default
 * the FBI national zip) in two stages, each in its own process, interleaved (A B A B ...):
 * - `read`: open, inflate and parse the file (the same-run baseline);
 * - `transform`: the same, and every row mapped by its layout into the canonical record.
 * Prints, per run, records/s, CPU seconds (user + system, from the process itself) and peak RSS,
 * with the load average before it, then the ranges and the transform / read ratio of CPU seconds.
 *
 *   node bench/layout-stages.ts [file] [rounds]
 */
import { execFileSync } from 'node:child_process'
import { readCsv } from '../src/sources/csv-source.ts'
import { COMMAND_FLAGS, loadavg, range } from './figures.ts'

type Result = { stage: string; rows: number; seconds: number; cpu: number; peakMiB: number }

async function stage(name: string, input: string): Promise<Result> {
  const started = performance.now()
  const csv = readCsv(input)
  let rows = 0
  for await (const batch of csv.batches()) {
    const { transform } = csv.header!.layout
    for (const item of batch) {
      rows++
      if (name === 'transform' && item.kind === 'row') transform(item.raw, { origin: { kind: 'file', file: input, row: item.row }, source: 'bench', ingestedAt: 0n })
    }
  }
  const { user, system } = process.cpuUsage()
  return { stage: name, rows, seconds: (performance.now() - started) / 1000, cpu: (user + system) / 1e6, peakMiB: process.resourceUsage().maxRSS / 1024 }
}

async function main(): Promise<void> {
  const input = process.argv[2] ?? 'data/fbi_cde_hate_crime_1991_2020.zip'
  const rounds = Number(process.argv[3] ?? 2)
  const results: Result[] = []
  for (let round = 1; round <= rounds; round++) {
    for (const name of ['read', 'transform']) {
      const load = loadavg()
      const output = execFileSync(process.execPath, [...COMMAND_FLAGS, import.meta.filename, 'stage', name, input], { encoding: 'utf8' })
      const r = JSON.parse(output) as Result
      results.push(r)
      console.log(
        `round ${round} ${name.padEnd(9)} ${r.rows} rows ${r.seconds.toFixed(2)} s ${Math.round(r.rows / r.seconds).toLocaleString('en-US')} rows/s ` +
          `cpu ${r.cpu.toFixed(2)} s peak ${r.peakMiB.toFixed(0)} MiB (loadavg before: ${load})`,
      )
    }
  }
  const of = (name: string) => results.filter((r) => r.stage === name)
  for (const name of ['read', 'transform']) {
    console.log(`${name.padEnd(9)} rows/s ${range(of(name).map((r) => r.rows / r.seconds), 0)}  cpu ${range(of(name).map((r) => r.cpu), 2)} s  peak ${range(of(name).map((r) => r.peakMiB), 0)} MiB`)
  }
  const ratios = of('transform').map((r, i) => r.cpu / of('read')[i].cpu)
  console.log(`ratio transform / read cpu seconds, per round: ${range(ratios, 2)}`)
}

if (process.argv[2] === 'stage') console.log(JSON.stringify(await stage(process.argv[3], process.argv[4])))
else await main()
