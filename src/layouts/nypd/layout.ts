import { createHash } from 'node:crypto'
import type { IncidentRecord, Outcome, RawRow } from '../../core/record.ts'
import { ok } from '../../core/record.ts'
import { biasCellMapper } from '../../transforms/bias-vocabulary.ts'
import { monthMismatch, parseIncidentDate } from '../../transforms/incident-date.ts'
import { offenseCellMapper } from '../../transforms/offense-vocabulary.ts'
import { detached, tidyCell } from '../../transforms/raw-row.ts'
import { incidentRecord, qualityFlags, type TransformContext } from '../../transforms/transform.ts'
import type { Layout } from '../layout.ts'
import { NYPD_COLUMNS } from './columns.ts'
import { NYPD_BIASES, NYPD_NON_FBI_BIASES, NYPD_OFFENSES } from './vocabulary.ts'

// One bias and one PD code per row: no separator ever splits them (a newline never occurs in a cell).
const mapBias = biasCellMapper(NYPD_BIASES, /\n/)
const mapOffense = offenseCellMapper(NYPD_OFFENSES, '\n')

/** The New York City Police Department as the FBI files it. */
const NYPD_AGENCY = { agency_ori: 'NY0303000', agency_name: 'New York', agency_type: 'City', city: 'New York', state: 'NY' }

/** A usable complaint number is all digits; a spreadsheet turned this file's into `2.02105E+14`. */
const COMPLAINT_NUMBER = /^\d{6,}$/

/**
 * The row's key: its complaint number when the file kept it, else `NYPD-` and a hash of every cell
 * of the row, which the same row always gives, whatever file or topic it is read from.
 *
 * @example
 * complaintKey({ full_complaint_id: '202105000123456', ... }) // '202105000123456'
 * complaintKey({ full_complaint_id: '2.02105E+14', ... }) // 'NYPD-5c0f2a7d91b3e4a8'
 */
export function complaintKey(raw: RawRow): string {
  const number = tidyCell(raw.full_complaint_id ?? '')
  if (COMPLAINT_NUMBER.test(number)) return number
  const cells = NYPD_COLUMNS.map((column) => tidyCell(raw[column.id] ?? '')).join('\u001f')
  return `NYPD-${createHash('sha256').update(cells).digest('hex').slice(0, 16)}`
}

/**
 * The incident id of a row whose complaint number was mangled. Rows alike in every cell are
 * separate complaints the mangled number no longer tells apart. Over a whole input (`run`) they
 * are numbered among themselves (`NYPD-<hash>`, `NYPD-<hash>-2`, ...), so the ids come from the
 * rows alone and any order of the file gives the same lake; from Kafka, where a member sees only
 * part of the rows from a committed offset, the row's place in its file (the producer's header)
 * tells them apart (`-r17`), as it does in a file read without `repeats`.
 */
function builtId(key: string, context: TransformContext): string {
  const { origin, repeats } = context
  if (!repeats) return `${key}-${origin.kind === 'file' || origin.row !== undefined ? `r${origin.row}` : `p${origin.partition}o${origin.offset}`}`
  const copy = (repeats.get(key) ?? 0) + 1
  repeats.set(key, copy)
  return copy === 1 ? key : `${key}-${copy}`
}

const YEAR = /^\d{4}$/

/**
 * One NYPD complaint as the canonical record: dated by `Record Create Date` (the file has no date
 * of occurrence), with `Complaint Year Number` and `Month Number` kept and checked against it.
 * NYPD gives no offender or victim columns and no location: those are NULL.
 */
function transformNypd(raw: RawRow, context: TransformContext): Outcome<IncidentRecord> {
  const date = parseIncidentDate(raw.record_create_date, context.origin, context.now, 'Record Create Date')
  if (!date.ok) return date
  const key = complaintKey(raw)
  const built = key.startsWith('NYPD-')
  const complaintYear = tidyCell(raw.complaint_year)
  const dataset_year = YEAR.test(complaintYear) ? Number(complaintYear) : null
  const sourceMonth = tidyCell(raw.month_number)
  const month_mismatch = monthMismatch(sourceMonth, date.value.month)
  const dataset_year_mismatch = dataset_year !== null && dataset_year !== date.value.year
  const biases = mapBias(raw.bias_motive)
  const offenses = mapOffense(raw.pd_code_description)
  const precinct = tidyCell(raw.precinct)
  const ownFlags = [
    built && 'complaint_id_mangled',
    month_mismatch && 'month_mismatch',
    dataset_year_mismatch && 'dataset_year_mismatch',
    NYPD_NON_FBI_BIASES.has(tidyCell(raw.bias_motive).toLowerCase()) && 'non_fbi_bias',
  ].filter((flag): flag is string => Boolean(flag))

  return ok(
    incidentRecord(
      {
        ...NYPD_AGENCY,
        incident_id: built ? builtId(key, context) : detached(key),
        date: date.value,
        dataset_year,
        source_month: sourceMonth || null,
        month_mismatch,
        dataset_year_mismatch,
        offender_race: null,
        offender_ethnicity: null,
        offenseCell: offenses,
        biasCell: biases,
        sector: precinct ? `Precinct ${precinct}` : null,
        raw_offenses: offenses.raw,
        raw_bias: biases.raw,
        quality_flags: qualityFlags(ownFlags, biases.flags, offenses.flags),
      },
      context,
    ),
  )
}

/**
 * NYC Open Data's "NYPD Hate Crimes" (2019 on), one row per complaint.
 *
 * @example
 * const outcome = NYPD.transform(raw, { origin, source: 'nypd', ingestedAt })
 */
export const NYPD: Layout = {
  id: 'nypd',
  title: 'New York City Police Department hate crimes (NYC Open Data)',
  source: 'nypd',
  columns: NYPD_COLUMNS,
  transform: transformNypd,
  keyOf: complaintKey,
}
