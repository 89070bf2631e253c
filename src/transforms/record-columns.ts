import type { IncidentRecord } from '../core/record.ts'
import type { BiasCell } from './bias-vocabulary.ts'
import type { IncidentDate } from './incident-date.ts'
import type { OffenseCell } from './offense-vocabulary.ts'

/**
 * The record columns a parsed date or a mapped vocabulary cell fills, the same for every layout: a
 * layout spreads them into its parts (`...dateColumns(date), ...offenseColumns(offenses)`).
 */
type DateColumns = Pick<IncidentRecord, 'incident_date' | 'year' | 'month' | 'quarter' | 'day_of_week'>
type OffenseColumns = Pick<IncidentRecord, 'offenses' | 'offense_codes' | 'crimes_against' | 'offense_group'>
type BiasColumns = Pick<IncidentRecord, 'biases' | 'bias_codes' | 'bias_categories' | 'bias_category' | 'multiple_bias'>

/**
 * The date columns of a parsed incident date, from which the record is partitioned.
 *
 * @example
 * incidentRecord({ incident_id, ...dateColumns(date.value) }, context)
 */
export function dateColumns(date: IncidentDate): DateColumns {
  return { incident_date: date.iso, year: date.year, month: date.month, quarter: date.quarter, day_of_week: date.dayOfWeek }
}

/**
 * The offense columns of a mapped offense cell.
 *
 * @example
 * incidentRecord({ incident_id, ...dateColumns(date.value), ...offenseColumns(mapOffense(raw.offenses)) }, context)
 */
export function offenseColumns(cell: OffenseCell): OffenseColumns {
  return { offenses: cell.names, offense_codes: cell.codes, crimes_against: cell.against, offense_group: cell.group }
}

/**
 * The bias columns of a mapped bias cell; `multiple_bias` when the cell names more than one.
 *
 * @example
 * incidentRecord({ incident_id, ...dateColumns(date.value), ...biasColumns(mapBias(raw.bias)) }, context)
 */
export function biasColumns(cell: BiasCell): BiasColumns {
  return {
    biases: cell.names,
    bias_codes: cell.codes,
    bias_categories: cell.categories,
    bias_category: cell.category,
    multiple_bias: cell.names.length > 1,
  }
}
