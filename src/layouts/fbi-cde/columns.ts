import { column, type LayoutColumn } from '../layout.ts'

/**
 * The FBI Crime Data Explorer national hate-crime file: one row per incident. The 1991-2020 file
 * writes its header in upper case; the newer exports in lower case, with `pug_agency_name` (sic)
 * and `population_group_description`. Matching ignores case, so each column lists the names that
 * differ in more than case.
 */
export const FBI_COLUMNS: readonly LayoutColumn[] = [
  column('incident_id', true, 'INCIDENT_ID'),
  column('data_year', true, 'DATA_YEAR'),
  column('ori', true, 'ORI'),
  column('pub_agency_name', false, 'PUB_AGENCY_NAME', 'pug_agency_name'),
  column('pub_agency_unit', false, 'PUB_AGENCY_UNIT'),
  column('agency_type_name', false, 'AGENCY_TYPE_NAME'),
  column('state_abbr', false, 'STATE_ABBR'),
  column('state_name', false, 'STATE_NAME'),
  column('division_name', false, 'DIVISION_NAME'),
  column('region_name', false, 'REGION_NAME'),
  column('population_group_code', false, 'POPULATION_GROUP_CODE'),
  column('population_group_desc', false, 'POPULATION_GROUP_DESC', 'population_group_description'),
  column('incident_date', true, 'INCIDENT_DATE'),
  column('adult_victim_count', false, 'ADULT_VICTIM_COUNT'),
  column('juvenile_victim_count', false, 'JUVENILE_VICTIM_COUNT'),
  column('total_offender_count', false, 'TOTAL_OFFENDER_COUNT'),
  column('adult_offender_count', false, 'ADULT_OFFENDER_COUNT'),
  column('juvenile_offender_count', false, 'JUVENILE_OFFENDER_COUNT'),
  column('offender_race', false, 'OFFENDER_RACE'),
  column('offender_ethnicity', false, 'OFFENDER_ETHNICITY'),
  column('victim_count', false, 'VICTIM_COUNT'),
  column('offense_name', true, 'OFFENSE_NAME'),
  column('total_individual_victims', false, 'TOTAL_INDIVIDUAL_VICTIMS'),
  column('location_name', true, 'LOCATION_NAME'),
  column('bias_desc', true, 'BIAS_DESC'),
  column('victim_types', false, 'VICTIM_TYPES'),
  column('multiple_offense', false, 'MULTIPLE_OFFENSE'),
  column('multiple_bias', false, 'MULTIPLE_BIAS'),
]
