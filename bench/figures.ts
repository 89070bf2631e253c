/**
 * What every benchmark prints beside its figures: the machine's load averages before a run (it is
 * shared and noisy), and a range of figures over the runs.
 */
import { readFileSync } from 'node:fs'

/** The load averages and process counts as /proc/loadavg gives them, e.g. `1.52 1.25 0.75 9/201 6799`. */
export const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim()

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
