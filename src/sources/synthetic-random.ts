/**
 * The seeded randomness of the synthetic generator: a PRNG, weighted tables compiled once, and
 * sorted dates drawn one at a time, so a seed always writes the same file and memory stays flat
 * however many rows are asked for.
 */

/** A table of values with relative weights (they need not sum to anything). */
export type Weighted<T = string> = readonly (readonly [value: T, weight: number])[]

/** A weighted table with its running totals, built once and drawn from many times. */
export interface Sampler<T = string> {
  readonly values: readonly T[]
  readonly cumulative: Float64Array
}

/**
 * mulberry32: a small, fast 32-bit PRNG; good enough for test data and identical on every platform.
 *
 * @example
 * const next = mulberry32(7)
 * next() // 0 <= x < 1, the same sequence for seed 7 every time
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Compiles a weighted table; values with weight 0 are dropped so they are never drawn.
 *
 * @example
 * const counts = sampler([['1', 87], ['0', 6], ['2', 5]])
 * draw(counts, next) // '1' about 89% of the time
 */
export function sampler<T>(table: Weighted<T>): Sampler<T> {
  const kept = table.filter(([, weight]) => weight > 0)
  let sum = 0
  return { values: kept.map(([value]) => value), cumulative: Float64Array.from(kept, ([, weight]) => (sum += weight)) }
}

/** One value of `table`, chosen with its weight. Tables are short, so a scan beats a search. */
export function draw<T>(table: Sampler<T>, next: () => number): T {
  const { cumulative } = table
  const target = next() * cumulative[cumulative.length - 1]
  let i = 0
  while (cumulative[i] <= target) i++
  return table.values[i]
}

/**
 * Splits `rows` over weighted shares by rounding running totals, so the parts always add up to
 * `rows` and none is negative, however small `rows` is.
 *
 * @example
 * shareOut(10, [17, 20, 11]) // [4, 4, 2]
 */
export function shareOut(rows: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0)
  let before = 0
  let running = 0
  return weights.map((weight) => {
    running += weight
    const upTo = Math.round((rows * running) / total)
    const part = upTo - before
    before = upTo
    return part
  })
}

/**
 * `count` whole days from `firstDay` (inclusive) to `lastDay` (inclusive), uniformly spread and in
 * ascending order, without holding them: Bentley and Saxe's method draws the largest of n uniform
 * numbers, then the largest of the n - 1 below it, and so on (each step is one power of a uniform).
 *
 * @example
 * for (const day of sortedDays(Date.UTC(2017, 0, 1), Date.UTC(2017, 11, 31), 17, next)) console.log(new Date(day))
 */
export function* sortedDays(firstDay: number, lastDay: number, count: number, next: () => number): Generator<number> {
  const DAY_MS = 86_400_000
  const span = (lastDay - firstDay) / DAY_MS + 1
  let largest = 1
  for (let left = count; left > 0; left--) {
    largest *= Math.pow(next(), 1 / left)
    // Counting down from the largest gives descending numbers; 1 - x turns them ascending.
    yield firstDay + Math.min(span - 1, Math.floor((1 - largest) * span)) * DAY_MS
  }
}
