import { NO_FLAGS } from './raw-row.ts'

/**
 * Victim and offender counts. Unknown is NULL, never a made-up 0: the source writes unknown as
 * `Unknown` (2022 on), as a blank, and for offenders as `0/0` with race Unknown (2017-2021), which
 * the FBI convention also reads as "count unknown" (data notes 2.5, Q15-Q17).
 */
export interface Counts {
  victimsJuvenile: number | null
  victimsAdult: number | null
  /** Null when either part is unknown: a sum of a known and an unknown part is unknown. */
  victimsTotal: number | null
  offendersJuvenile: number | null
  offendersAdult: number | null
  offendersTotal: number | null
  /** False when either offender count is unknown, `0/0` with race Unknown included. */
  offenderCountKnown: boolean
  /** Null when the juvenile offender count is unknown. */
  hasJuvenileOffender: boolean | null
  /** `unparsed_<column>` for cells that held neither a whole number nor an unknown token. */
  flags: readonly string[]
}

/** The four count cells of a row and its offender race cell, as the source wrote them. */
export interface CountCells {
  victimsUnder18: string
  victimsOver18: string
  offendersUnder18: string
  offendersOver18: string
  offenderRace: string
}

const UNKNOWN = /^\s*(unknown|unk|n\/a|na|)\s*$/i
// Up to six digits: the lake column is a 32-bit integer and no incident has a million victims.
// A trailing `.0` is how spreadsheets write whole numbers, so it still counts as one.
const WHOLE = /^\s*(\d{1,6})(?:\.0+)?\s*$/
const RACE_UNKNOWN = /^\s*unknown\s*$/i

/**
 * One count cell: a whole number, null for an unknown token, or null with a flag for anything else.
 *
 * @example
 * parseCount('Unknown', 'victims_adult', flags) // null, no flag
 * parseCount('1.5', 'victims_adult', flags) // null, flags gets 'unparsed_victims_adult'
 */
export function parseCount(cell: string, column: string, flags: string[]): number | null {
  // Nearly every cell is one digit: read it without a regex.
  const digit = cell.length === 1 ? cell.charCodeAt(0) - 48 : -1
  if (digit >= 0 && digit <= 9) return digit
  const whole = WHOLE.exec(cell)
  if (whole) return Number(whole[1])
  if (!UNKNOWN.test(cell)) flags.push(`unparsed_${column}`)
  return null
}

/**
 * Reads the four count cells, applying the `0/0`-means-unknown rule for offenders, and derives the
 * totals and the juvenile-offender flag.
 *
 * @example
 * parseCounts({ victimsUnder18: '0', victimsOver18: '1', offendersUnder18: '0', offendersOver18: '0', offenderRace: 'Unknown' })
 * // { victimsTotal: 1, offendersJuvenile: null, offendersAdult: null, offenderCountKnown: false, ... }
 */
export function parseCounts(cells: CountCells): Counts {
  const flags: string[] = []
  const victimsJuvenile = parseCount(cells.victimsUnder18, 'victims_juvenile', flags)
  const victimsAdult = parseCount(cells.victimsOver18, 'victims_adult', flags)
  let offendersJuvenile = parseCount(cells.offendersUnder18, 'offenders_juvenile', flags)
  let offendersAdult = parseCount(cells.offendersOver18, 'offenders_adult', flags)
  if (offendersJuvenile === 0 && offendersAdult === 0 && RACE_UNKNOWN.test(cells.offenderRace)) {
    offendersJuvenile = null
    offendersAdult = null
    flags.push('offenders_zero_zero_unknown')
  }
  return {
    victimsJuvenile,
    victimsAdult,
    victimsTotal: total(victimsJuvenile, victimsAdult),
    offendersJuvenile,
    offendersAdult,
    offendersTotal: total(offendersJuvenile, offendersAdult),
    offenderCountKnown: offendersJuvenile !== null && offendersAdult !== null,
    hasJuvenileOffender: offendersJuvenile === null ? null : offendersJuvenile > 0,
    flags: flags.length ? flags : NO_FLAGS,
  }
}

/**
 * The sum of two counts, or null when either is unknown.
 *
 * @example
 * total(0, 1) // 1
 * total(null, 1) // null
 */
export function total(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b
}
