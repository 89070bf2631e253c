import type { LayoutColumn } from '../layout.ts'

/**
 * The columns of NYC Open Data's "NYPD Hate Crimes" (bqiq-cu78), one row per complaint, under their
 * display names; the API's field names (`full_complaint_id`, `bias_motive_description`, ...) are the
 * same words, which header matching reads as the same column.
 */
const column = (id: string, required: boolean, ...names: string[]): LayoutColumn => ({ id, names, required })

export const NYPD_COLUMNS: readonly LayoutColumn[] = [
  column('full_complaint_id', true, 'Full Complaint ID'),
  column('complaint_year', true, 'Complaint Year Number'),
  column('month_number', false, 'Month Number'),
  column('record_create_date', true, 'Record Create Date'),
  column('precinct', false, 'Complaint Precinct Code'),
  column('patrol_borough', false, 'Patrol Borough Name'),
  column('county', false, 'County'),
  column('law_category', false, 'Law Code Category Description'),
  column('offense_description', false, 'Offense Description'),
  column('pd_code_description', true, 'PD Code Description'),
  column('bias_motive', true, 'Bias Motive Description'),
  column('offense_category', false, 'Offense Category'),
  column('arrest_date', false, 'Arrest Date'),
  column('arrest_id', false, 'Arrest Id'),
]
