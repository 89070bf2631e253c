import type { IncidentRecord } from '../core/record.ts'

type Kind = 'string' | 'int32' | 'int64' | 'boolean' | 'date' | 'timestamp' | 'strings'
/** A record as a lake file holds it: `year` and `month` are its partition folders. */
export type LakeRecord = Omit<IncidentRecord, 'year' | 'month'>
type Name = keyof LakeRecord
/** `unique`: identifiers, nearly every value distinct, stored PLAIN from bytes (column-values.ts). */
export type LakeColumn = { name: Name; kind: Kind; required?: boolean; unique?: true }

/**
 * The columns of the lake's files, in order. Lists are Parquet LISTs; Spark, DuckDB and pandas read
 * them as arrays. `year` and `month` are not among them: they are the Hive partition folders
 * (`year=2017/month=03`), and Spark and pyarrow refuse a partition column that the files repeat.
 */
export const LAKE_COLUMNS: readonly LakeColumn[] = [
  { name: 'source', kind: 'string', required: true },
  { name: 'agency_ori', kind: 'string' },
  { name: 'agency_name', kind: 'string' },
  { name: 'agency_type', kind: 'string' },
  { name: 'city', kind: 'string' },
  { name: 'state', kind: 'string' },
  { name: 'population_group', kind: 'string' },
  { name: 'incident_id', kind: 'string', required: true, unique: true },
  { name: 'incident_date', kind: 'date', required: true },
  { name: 'quarter', kind: 'int32', required: true },
  { name: 'day_of_week', kind: 'string', required: true },
  { name: 'dataset_year', kind: 'int32' },
  { name: 'source_month', kind: 'string' },
  { name: 'source_day_of_week', kind: 'string' },
  { name: 'month_mismatch', kind: 'boolean', required: true },
  { name: 'dow_mismatch', kind: 'boolean', required: true },
  { name: 'dataset_year_mismatch', kind: 'boolean', required: true },
  { name: 'victims_juvenile', kind: 'int32' },
  { name: 'victims_adult', kind: 'int32' },
  { name: 'victims_total', kind: 'int32' },
  { name: 'offenders_juvenile', kind: 'int32' },
  { name: 'offenders_adult', kind: 'int32' },
  { name: 'offenders_total', kind: 'int32' },
  { name: 'offender_count_known', kind: 'boolean', required: true },
  { name: 'has_juvenile_offender', kind: 'boolean' },
  { name: 'offender_race', kind: 'string' },
  { name: 'offender_ethnicity', kind: 'string' },
  { name: 'offenses', kind: 'strings' },
  { name: 'offense_codes', kind: 'strings' },
  { name: 'crimes_against', kind: 'strings' },
  { name: 'offense_group', kind: 'string', required: true },
  { name: 'location', kind: 'string' },
  { name: 'biases', kind: 'strings' },
  { name: 'bias_codes', kind: 'strings' },
  { name: 'bias_categories', kind: 'strings' },
  { name: 'bias_category', kind: 'string', required: true },
  { name: 'multiple_bias', kind: 'boolean', required: true },
  { name: 'victim_types', kind: 'strings' },
  { name: 'zip_code', kind: 'string' },
  { name: 'zip_valid', kind: 'boolean', required: true },
  { name: 'sector', kind: 'string' },
  { name: 'council_district', kind: 'int32' },
  { name: 'raw_offenses', kind: 'string', required: true },
  { name: 'raw_location', kind: 'string', required: true },
  { name: 'raw_bias', kind: 'string', required: true },
  { name: 'raw_race_ethnicity', kind: 'string', required: true },
  { name: 'quality_flags', kind: 'strings' },
  { name: 'source_file', kind: 'string' },
  { name: 'source_row', kind: 'int64' },
  { name: 'kafka_topic', kind: 'string' },
  { name: 'kafka_partition', kind: 'int32' },
  { name: 'kafka_offset', kind: 'int64' },
  { name: 'ingested_at', kind: 'timestamp', required: true },
]

/**
 * A record's values in the order of LAKE_COLUMNS, into `out`. One function reads every field with
 * a plain property access, which V8 keeps fast; a getter per column, called from one place, made a
 * call V8 could not inline for every column of every record.
 *
 * @example
 * lakeValues(record, values)[0] // record.source
 */
export function lakeValues(r: LakeRecord, out: unknown[]): unknown[] {
  out[0] = r.source
  out[1] = r.agency_ori
  out[2] = r.agency_name
  out[3] = r.agency_type
  out[4] = r.city
  out[5] = r.state
  out[6] = r.population_group
  out[7] = r.incident_id
  out[8] = r.incident_date
  out[9] = r.quarter
  out[10] = r.day_of_week
  out[11] = r.dataset_year
  out[12] = r.source_month
  out[13] = r.source_day_of_week
  out[14] = r.month_mismatch
  out[15] = r.dow_mismatch
  out[16] = r.dataset_year_mismatch
  out[17] = r.victims_juvenile
  out[18] = r.victims_adult
  out[19] = r.victims_total
  out[20] = r.offenders_juvenile
  out[21] = r.offenders_adult
  out[22] = r.offenders_total
  out[23] = r.offender_count_known
  out[24] = r.has_juvenile_offender
  out[25] = r.offender_race
  out[26] = r.offender_ethnicity
  out[27] = r.offenses
  out[28] = r.offense_codes
  out[29] = r.crimes_against
  out[30] = r.offense_group
  out[31] = r.location
  out[32] = r.biases
  out[33] = r.bias_codes
  out[34] = r.bias_categories
  out[35] = r.bias_category
  out[36] = r.multiple_bias
  out[37] = r.victim_types
  out[38] = r.zip_code
  out[39] = r.zip_valid
  out[40] = r.sector
  out[41] = r.council_district
  out[42] = r.raw_offenses
  out[43] = r.raw_location
  out[44] = r.raw_bias
  out[45] = r.raw_race_ethnicity
  out[46] = r.quality_flags
  out[47] = r.source_file
  out[48] = r.source_row
  out[49] = r.kafka_topic
  out[50] = r.kafka_partition
  out[51] = r.kafka_offset
  out[52] = r.ingested_at
  return out
}
