import { column, type LayoutColumn } from '../layout.ts'

/**
 * The Austin Police Department's columns and every header text Austin has published them under:
 * the 2017-2025 file's, the yearly datasets' renames (`Offense` for `Offense(s)`, `Sector` for
 * `APD Sector`, `District` for `Council District`), their known misspellings (`Vicitms`,
 * `Offence`, `Offenders Race/Ethnicity`), and header cells that differ only in case, spacing or
 * punctuation, which matching ignores anyway.
 */
export const AUSTIN_COLUMNS: readonly LayoutColumn[] = [
  column('month', false, 'Month', 'Month of Incident', 'Incident Month'),
  column('incident_number', true, 'Incident Number', 'Incident No', 'Incident #', 'Incident Report Number', 'Case Number'),
  column('date_of_incident', true, 'Date of Incident', 'Incident Date', 'Date', 'Date of Offense'),
  column('day_of_week', false, 'Day of Week', 'Day of the Week', 'Weekday'),
  column('victims_under_18', true, 'Number of Victims under 18', 'Number of Vicitms under 18', 'Victims under 18', 'No of Victims under 18', 'Number of Juvenile Victims'),
  column('victims_over_18', true, 'Number of Victims over 18', 'Number of Vicitms over 18', 'Victims over 18', 'No of Victims over 18', 'Number of Adult Victims'),
  column('offenders_under_18', true, 'Number of Offenders under 18', 'Number of Offendors under 18', 'Offenders under 18', 'No of Offenders under 18', 'Number of Juvenile Offenders'),
  column('offenders_over_18', true, 'Number of Offenders over 18', 'Number of Offendors over 18', 'Offenders over 18', 'No of Offenders over 18', 'Number of Adult Offenders'),
  column('race_ethnicity_of_offenders', true, 'Race/Ethnicity of Offenders', 'Offenders Race/Ethnicity', 'Race of Offenders', 'Offender Race/Ethnicity', 'Race/Ethnicity of Offender(s)'),
  column('offenses', true, 'Offense(s)', 'Offense', 'Offenses', 'Offence(s)', 'Offence', 'Offense Type'),
  column('offense_location', true, 'Offense Location', 'Offence Location', 'Location', 'Location Type'),
  column('bias', true, 'Bias', 'Bias Motivation', 'Bias Type', 'Bias Motive'),
  column('zip_code', false, 'Zip Code', 'Zip', 'Zipcode', 'Postal Code'),
  column('apd_sector', false, 'APD Sector', 'Sector', 'APD Sector Name'),
  column('council_district', false, 'Council District', 'District', 'City Council District'),
]

/** The column ids, in the order of the 2017-2025 file. */
export const AUSTIN_COLUMN_IDS = AUSTIN_COLUMNS.map((entry) => entry.id)

/** The header text of each column as the 2017-2025 file spells it. */
export const AUSTIN_HEADERS: Readonly<Record<string, string>> = Object.fromEntries(AUSTIN_COLUMNS.map((entry) => [entry.id, entry.names[0]]))

/** One Austin row: every value still the string the source held, keyed by column id. */
export type AustinRow = Record<(typeof AUSTIN_COLUMN_IDS)[number], string>
