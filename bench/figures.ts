/**
 * What every benchmark prints beside its figures: the machine's load averages before a run (it is
 * shared and noisy), and a range of figures over the runs; and the Node flags our commands run with.
 * A run can also start on written-out file data (settled).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The Node flags the `hatecrimes` command starts with, read from its shebang (bin/hatecrimes.js), so
 * that every benchmark runs our commands as users do.
 *
 * @example
 * spawn(process.execPath, [...COMMAND_FLAGS, 'bin/hatecrimes.js', 'ingest', '--topic', topic])
 */
export const COMMAND_FLAGS = readFileSync(join(import.meta.dirname, '..', 'bin', 'hatecrimes.js'), 'utf8')
  .split('\n')[0]
  .split(/\s+/)
  .filter((word) => word.startsWith('--'))

/** The load averages and process counts as /proc/loadavg gives them, e.g. `1.52 1.25 0.75 9/201 6799`. */
export const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim()

/**
 * Has the kernel write out the file data still waiting in memory (`sync`), then gives the load
 * averages. Called before each run, so that no run pays for the writes of the run before it: a
 * topic ProducerPerformance wrote (1,000,000 values of random letters) left 260 - 520 MB to write,
 * which the kernel wrote during the next run; an ingest right after one ran at 146,886 records/s,
 * after a `sync` at 158,705.
 */
export function settled(): string {
  execFileSync('sync')
  return loadavg()
}

/**
 * The smallest and largest of some figures, with thousands separators and `digits` decimals; one
 * figure when they are the same.
 *
 * @example
 * range([97429, 103706]) // '97,429 - 103,706'
 * range([0.8, 0.812], 2) // '0.80 - 0.81'
 */
export function range(values: number[], digits = 0): string {
  const format = (value: number) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  const [low, high] = [format(Math.min(...values)), format(Math.max(...values))]
  return low === high ? low : `${low} - ${high}`
}
