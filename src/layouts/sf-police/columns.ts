import type { LayoutColumn } from '../layout.ts'

/**
 * The columns of DataSF's San Francisco Police Department hate-crime file (2001 on), one row per
 * incident with only its most serious offense, location and bias. The publisher's field names are
 * the header; `occurence_month` is spelt as published.
 */
const column = (id: string, required: boolean, ...names: string[]): LayoutColumn => ({ id, names, required })

export const SF_COLUMNS: readonly LayoutColumn[] = [
  column('record_id', true, 'record_id'),
  column('occurence_month', true, 'occurence_month', 'occurrence_month'),
  column('ncic', false, 'ncic'),
  column('total_number_of_victims', false, 'total_number_of_victims'),
  column('individual_victims', false, 'total_number_of_individual_victims'),
  column('suspects_race', false, 'suspects_race_as_a_group'),
  column('total_number_of_suspects', false, 'total_number_of_suspects'),
  column('most_serious_ucr', true, 'most_serious_ucr'),
  column('most_serious_ucr_type', false, 'most_serious_ucr_type'),
  column('most_serious_location', true, 'most_serious_location'),
  column('most_serious_bias', true, 'most_serious_bias'),
  column('most_serious_bias_type', false, 'most_serious_bias_type'),
  column('most_serious_victim_type', false, 'most_serious_victim_type'),
  column('weapon_type', false, 'weapon_type'),
  column('offensive_act', false, 'offensive_act'),
  column('is_multiple_bias', false, 'is_multiple_bias'),
  column('victims_adult', false, 'total_number_of_individual_victims_adult'),
  column('victims_juvenile', false, 'total_number_of_individual_victims_juvenile'),
  column('suspects_adult', false, 'total_number_of_suspects_adult'),
  column('suspects_juvenile', false, 'total_number_of_suspects_juvenile'),
  column('suspects_ethnicity', false, 'suspects_ethnicity_as_a_group'),
  column('data_as_of', false, 'data_as_of'),
  column('data_loaded_at', false, 'data_loaded_at'),
]
