/**
 * The SQL behind every chart of the dashboard, over the `facts` table (the lake's incidents, one row
 * per source row). Incidents are counted distinct, since the source stores a two-offense incident as
 * two rows. A distinct count over millions of rows is slow, so it is split: rows of incidents that
 * have one row (`dup` false, nearly all) are simply counted, and only the rest are counted distinct
 * by `incident_key`, a 64-bit hash of `incident_id`. `{where}` is the filter, with bound parameters.
 */
const incidents = (condition = 'true') =>
  `(COUNT(*) FILTER (WHERE ${condition} AND NOT dup) + COUNT(DISTINCT incident_key) FILTER (WHERE ${condition} AND dup))::INTEGER`
const INCIDENTS = `${incidents()} AS incidents`

export const CHARTS = {
  totals: `SELECT ${INCIDENTS}, COUNT(*)::INTEGER AS rows, MIN(incident_date)::VARCHAR AS first_date,
      MAX(incident_date)::VARCHAR AS last_date FROM facts {where}`,
  by_year: `SELECT year, ${INCIDENTS} FROM facts {where} GROUP BY year ORDER BY year`,
  // Year to date: each year counted up to the day of year of the newest incident in the lake.
  year_to_date: `SELECT year, ${incidents('dayofyear(incident_date) <= (SELECT dayofyear(MAX(incident_date)) FROM facts)')} AS incidents
      FROM facts {where} GROUP BY year ORDER BY year`,
  by_month: `SELECT year, month, ${INCIDENTS} FROM facts {where} GROUP BY year, month ORDER BY year, month`,
  bias_category_by_year: `SELECT year, bias_category, ${INCIDENTS} FROM facts {where} GROUP BY ALL ORDER BY year, bias_category`,
  top_biases: `SELECT bias, ${INCIDENTS} FROM (SELECT incident_key, dup, unnest(biases) AS bias FROM facts {where})
      GROUP BY bias ORDER BY incidents DESC, bias LIMIT 15`,
  offenses: `SELECT against, offense, ${INCIDENTS} FROM (SELECT incident_key, dup, unnest(offenses) AS offense,
      unnest(crimes_against) AS against FROM facts {where}) GROUP BY ALL ORDER BY incidents DESC, offense`,
  locations: `SELECT coalesce(location, 'Unknown') AS location, ${INCIDENTS} FROM facts {where}
      GROUP BY 1 ORDER BY incidents DESC, location LIMIT 15`,
  offender_race: `SELECT offender_race AS race, offender_ethnicity AS ethnicity, ${INCIDENTS} FROM facts {where}
      GROUP BY ALL ORDER BY race, ethnicity`,
  juvenile_share: `SELECT year, ${incidents('offender_count_known')} AS known,
      ${incidents('has_juvenile_offender')} AS juvenile
      FROM facts {where} GROUP BY year ORDER BY year`,
  victims_by_year: `SELECT year, SUM(victims_total)::INTEGER AS victims, SUM(victims_juvenile)::INTEGER AS juvenile,
      COUNT(*) FILTER (WHERE victims_total IS NULL)::INTEGER AS unknown_rows FROM facts {where} GROUP BY year ORDER BY year`,
  day_of_week: `SELECT day_of_week, ${INCIDENTS} FROM facts {where} GROUP BY day_of_week
      ORDER BY list_position(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], day_of_week)`,
  districts: `SELECT coalesce(council_district::VARCHAR, 'Unknown') AS district, ${INCIDENTS} FROM facts {where}
      GROUP BY 1 ORDER BY try_cast(district AS INTEGER) NULLS LAST`,
  sectors: `SELECT coalesce(sector, 'Unknown') AS sector, ${INCIDENTS} FROM facts {where} GROUP BY 1 ORDER BY incidents DESC, sector`,
  zip_codes: `SELECT coalesce(zip_code, 'Unknown') AS zip_code, ${INCIDENTS} FROM facts {where}
      GROUP BY 1 ORDER BY incidents DESC, zip_code LIMIT 15`,
  bias_by_offense: `SELECT bias_category, coalesce(against, 'Unknown') AS against, ${INCIDENTS} FROM (SELECT incident_key, dup,
      bias_category, unnest(crimes_against) AS against FROM facts {where}) GROUP BY ALL ORDER BY bias_category, against`,
  quality_flags: `SELECT flag, COUNT(*)::INTEGER AS rows FROM (SELECT unnest(quality_flags) AS flag FROM facts {where})
      GROUP BY flag ORDER BY rows DESC, flag`,
} as const

export type ChartName = keyof typeof CHARTS
export const CHART_NAMES = Object.keys(CHARTS) as ChartName[]

/** Dead letters by stage and code: they have no incident fields, so filters do not apply. */
export const DEAD_LETTERS_SQL = 'SELECT stage, code, COUNT(*)::INTEGER AS rows FROM dead_letters GROUP BY ALL ORDER BY rows DESC'

/** The columns the charts and downloads read; the dashboard keeps them in memory per lake version. */
export const FACT_COLUMNS = [
  'hash(incident_id) AS incident_key', 'count(*) OVER (PARTITION BY incident_id) > 1 AS dup', 'incident_date', 'year', 'month', 'day_of_week', 'bias_category', 'biases',
  'offenses', 'crimes_against', 'offense_group', 'location', 'offender_race', 'offender_ethnicity',
  'offender_count_known', 'has_juvenile_offender', 'victims_total', 'victims_juvenile', 'zip_code', 'sector',
  'council_district', 'quality_flags',
] as const
