/**
 * Victim and offender counts. Unknown is NULL, never a made-up 0: the source writes unknown as
 * `Unknown` (2022 on), as a blank, and for offenders as `0/0` with race Unknown (2017-2021), which
 * the FBI convention also reads as "count unknown".
 */
export interface Counts {
  victimsJuvenile: number | null
  victimsAdult: number | null
  offendersJuvenile: number | null
  offendersAdult: number | null
  offenderCountKnown: boolean
  /** Flags for cells that held something other than a whole number or an unknown token. */
  flags: string[]
}

export interface CountCells {
  victimsUnder18: string
  victimsOver18: string
  offendersUnder18: string
  offendersOver18: string
  offenderRace: string
}

const UNKNOWN = /^(unknown|unk|n\/a|na|)$/i

function count(cell: string, column: string, flags: string[]): number | null {
  const text = cell.trim()
  if (UNKNOWN.test(text)) return null
  if (/^\d+$/.test(text)) return Number(text)
  flags.push(`unparsed_${column}`)
  return null
}

/**
 * Reads the four count cells, applying the `0/0`-means-unknown rule for offenders.
 *
 * @example
 * parseCounts({ victimsUnder18: '0', victimsOver18: '1', offendersUnder18: '0', offendersOver18: '0', offenderRace: 'Unknown' })
 * // offenders null, offenderCountKnown false
 */
export function parseCounts(cells: CountCells): Counts {
  const flags: string[] = []
  const victimsJuvenile = count(cells.victimsUnder18, 'victims_juvenile', flags)
  const victimsAdult = count(cells.victimsOver18, 'victims_adult', flags)
  let offendersJuvenile = count(cells.offendersUnder18, 'offenders_juvenile', flags)
  let offendersAdult = count(cells.offendersOver18, 'offenders_adult', flags)
  if (offendersJuvenile === 0 && offendersAdult === 0 && cells.offenderRace.trim().toLowerCase() === 'unknown') {
    offendersJuvenile = null
    offendersAdult = null
    flags.push('offenders_zero_zero_unknown')
  }
  return {
    victimsJuvenile,
    victimsAdult,
    offendersJuvenile,
    offendersAdult,
    offenderCountKnown: offendersJuvenile !== null && offendersAdult !== null,
    flags,
  }
}

/** The sum of two counts, or null when either is unknown. */
export function total(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b
}
