import { ONE_CITY } from '../lake/rate-views.ts'
import type { ChartSpec } from './charts.ts'

/**
 * What the dashboard's place views (comparisons, the state map, the reconciliation of one agency in
 * two sources) read, built with the other chart tables when the lake changes.
 *
 * A row counts toward its city (when it names a city and state), and, for a source whose incidents
 * come from more than one city (the FBI's national file), toward its state and the nation too: a
 * city police file set against a whole state's residents would be a meaningless rate. This is the
 * rule of the lake's `rates` view (rate-views.ts), so both give the same counts, except that a
 * source that names no city at all (generated rows) counts toward no place here.
 */
export const PLACE_FACT_COLUMNS = [
  'agency_ori', 'agency_name', 'city', 'state',
  // More than one city, not merely "not one city": generated rows name no city and belong to no place.
  "source IN (SELECT source FROM incidents GROUP BY source HAVING COUNT(DISTINCT (state, city)) > 1) AS multi_city",
  // The city of a city's own file: only these of a many-city source's thousands of cities are counted as cities.
  `state || '|' || lower(city) IN (SELECT any_value(state) || '|' || lower(any_value(city)) FROM incidents GROUP BY source HAVING ${ONE_CITY}) AS filed_city`,
  // An agency whose rows come from two sources or more (Austin's police file and the FBI's rows for TX2270100).
  `agency_ori IN (SELECT agency_ori FROM incidents WHERE agency_ori IS NOT NULL GROUP BY 1 HAVING COUNT(DISTINCT source) > 1) AS shared_agency`,
]

/** The places one fact row counts toward, as a list of {level, state, place}. */
const PLACES_OF_ROW = `list_concat(
  CASE WHEN city IS NOT NULL AND state IS NOT NULL AND (filed_city OR NOT multi_city) THEN [{'level': 'city', 'state': state, 'place': city}] ELSE [] END,
  CASE WHEN multi_city AND state IS NOT NULL THEN [{'level': 'state', 'state': state, 'place': NULL::VARCHAR}] ELSE [] END,
  CASE WHEN multi_city THEN [{'level': 'nation', 'state': NULL::VARCHAR, 'place': NULL::VARCHAR}] ELSE [] END)`

const same = (column: string): [string, string] => [column, column]
const COUNTED = {
  incidents: { cell: 'COUNT(*)', dup: 'COUNT(DISTINCT incident_key)', combine: 'SUM', type: 'INTEGER' },
} satisfies ChartSpec['measures']

/** Pre-aggregated counts per source, year and place, and per source, year and shared agency. */
export const PLACE_SPECS: Record<string, ChartSpec> = {
  places: {
    from: (facts) => `(SELECT * EXCLUDE (p), p.level AS place_level, p.state AS place_state, p.place AS place_name
      FROM (SELECT *, unnest(${PLACES_OF_ROW}) AS p FROM ${facts}))`,
    dims: [same('source'), same('year'), same('place_level'), same('place_state'), same('place_name')],
    measures: COUNTED,
  },
  agencies: {
    from: (facts) => `(SELECT * FROM ${facts} WHERE shared_agency)`,
    dims: [same('source'), same('year'), same('agency_ori')],
    measures: COUNTED,
  },
}

/**
 * The places a reader may choose: every state and the nation of a many-city source, each city of a
 * city's own file, and the many-city source's rows for those same cities (so a city's file sits
 * beside the FBI's count for it). The FBI's thousands of other cities are counted in no place table:
 * they would make it ten times larger for places nobody can choose.
 */
const PLACE_LIST = `CREATE OR REPLACE TABLE place_list AS
WITH places AS (
  SELECT source, p.level, p.state, p.place, MIN(year) AS first_year, MAX(year) AS last_year,
    COUNT(DISTINCT incident_key)::INTEGER AS incidents
  FROM (SELECT source, year, incident_key, unnest(${PLACES_OF_ROW}) AS p FROM facts) GROUP BY ALL
)
SELECT source, level, state, place, first_year, last_year, incidents,
  CASE level WHEN 'nation' THEN 'United States'
    WHEN 'state' THEN coalesce((SELECT any_value(n.place) FROM population n WHERE n.level = 'state' AND n.state = places.state), state)
    ELSE place || ', ' || state END AS name
FROM places`

/** The statements that build the place tables from `facts` and `facts_single`, after the chart tables. */
export function placeTableSql(cellTable: (name: string, spec: ChartSpec) => string): string[] {
  return [
    ...Object.entries(PLACE_SPECS).map(([name, spec]) => cellTable(name, spec)),
    PLACE_LIST,
    'CREATE OR REPLACE TABLE source_years AS SELECT source, MIN(year) AS first_year, MAX(year) AS last_year FROM facts GROUP BY ALL',
    `CREATE OR REPLACE TABLE shared_agencies AS SELECT agency_ori, source, any_value(agency_name) AS agency_name, any_value(city) AS city,
      any_value(state) AS state, MIN(year) AS first_year, MAX(year) AS last_year, COUNT(DISTINCT incident_key)::INTEGER AS incidents
      FROM facts WHERE shared_agency GROUP BY ALL`,
    // Only the populations of places a reader can choose: the table stays small.
    `CREATE OR REPLACE TABLE place_population AS SELECT level, state, place, year, population, ambiguous FROM population
      WHERE level <> 'city' OR EXISTS (SELECT 1 FROM place_list l WHERE l.level = 'city' AND l.state = population.state AND lower(l.place) = lower(population.place))`,
  ]
}

/** The tables the place views read, handed over to the served connection with the chart tables. */
export const PLACE_TABLES = [...Object.keys(PLACE_SPECS).map((name) => `chart_${name}`), 'place_list', 'source_years', 'shared_agencies', 'place_population']
