import { POPULATION_MATCH } from '../lake/rate-views.ts'
import type { Row } from '../lake/lake-query.ts'
import { chartSql } from './charts.ts'
import { parseFilters, whereClause, type Filters } from './filters.ts'
import { PLACE_SPECS } from './place-facts.ts'
import type { ServedQuery } from './served-tables.ts'

/**
 * The place views' requests: a comparison of chosen places, the states of a many-city source for
 * the map, and one agency in every source that holds it. Each answers per year, every year of each
 * source's coverage within the filter's years, a count of 0 where the source has none (a year
 * outside a source's coverage is absent, never 0), and beside each count the population and the
 * rate per 100,000 residents where the Census tables give one (NULL where they do not).
 */
export interface PlaceQuery {
  filters: Filters
  /** Chosen places as `source:level[:state[:place]]` ids (`fbi_cde:state:TX`, `austin_apd:city:TX:Austin`). */
  places: string[]
  /** An agency's ORI (`TX2270100`), for the reconciliation. */
  agency: string | undefined
}

const PLACE_ID = /^([A-Za-z0-9_.-]{1,64}):(nation|state:[A-Z]{2}|city:[A-Z]{2}:[^:]{1,100})$/

/**
 * Splits a place request into the filters, the places (repeated `place` parameters) and the agency.
 *
 * @example
 * parsePlaceQuery(new URLSearchParams('place=fbi_cde:nation&place=austin_apd:city:TX:Austin&year_from=2017'))
 */
export function parsePlaceQuery(params: URLSearchParams): { ok: true; query: PlaceQuery } | { ok: false; error: string } {
  const rest = new URLSearchParams([...params].filter(([key]) => key !== 'place' && key !== 'agency'))
  const places = [...new Set(params.getAll('place'))]
  const bad = places.find((id) => !PLACE_ID.test(id))
  if (bad !== undefined) return { ok: false, error: `Expected a place like "fbi_cde:state:TX" or "austin_apd:city:TX:Austin" for "place" (got "${bad.slice(0, 200)}")` }
  if (places.length > 20) return { ok: false, error: `Expected at most 20 places for "place" (got ${places.length})` }
  const agencies = params.getAll('agency')
  if (agencies.length > 1 || agencies.some((ori) => !/^[A-Za-z0-9]{1,20}$/.test(ori))) {
    return { ok: false, error: `Expected one agency ORI (letters and digits, like TX2270100) for "agency" (got "${agencies.join(',').slice(0, 200)}")` }
  }
  const parsed = parseFilters(rest)
  if (!parsed.ok) return { ok: false, error: parsed.error.startsWith('Unknown parameter') ? `${parsed.error}, place, agency` : parsed.error }
  return { ok: true, query: { filters: parsed.filters, places, agency: agencies[0] } }
}

/** A place id as its source, level, state and place name (NULL where the level has none). */
export function placeParts(id: string): [string, string, string | null, string | null] {
  const [source, level, state = null, ...place] = id.split(':')
  return [source, level, state, place.length ? place.join(':') : null]
}

/** The filter's years as the bounds a source's coverage is cut to. */
const yearBounds = (filters: Filters) => [filters.year_from ?? 0, filters.year_to ?? 9999]

/** Counts of the chosen places (the CTE `chosen`: c_source, c_level, c_state, c_place) per year, with populations and rates. */
function perYearSql(cutoff: number, where: string): string {
  const mine = `EXISTS (SELECT 1 FROM chosen WHERE c_source = source AND c_level = place_level AND c_state IS NOT DISTINCT FROM place_state
    AND c_place IS NOT DISTINCT FROM place_name)`
  const counts = chartSql('places', where ? `${where} AND ${mine}` : `WHERE ${mine}`, cutoff, PLACE_SPECS.places)
  return `grid AS (SELECT c_source AS source, c_level AS level, c_state AS state, c_place AS place,
      unnest(range(greatest(s.first_year, ?), least(s.last_year, ?) + 1))::INTEGER AS year FROM chosen JOIN source_years s ON s.source = c_source),
    counts AS (${counts})
    SELECT c.source, c.level, c.state, c.place, c.year, coalesce(n.incidents, 0)::INTEGER AS incidents, p.population::BIGINT AS population,
      ROUND(coalesce(n.incidents, 0) / (p.population / 100000.0), 2)::DOUBLE AS rate_per_100k
    FROM grid c
    LEFT JOIN counts n ON n.source = c.source AND n.place_level = c.level AND n.place_state IS NOT DISTINCT FROM c.state
      AND n.place_name IS NOT DISTINCT FROM c.place AND n.year = c.year
    LEFT JOIN place_population p ON ${POPULATION_MATCH}`
}

/**
 * Incidents, population and rate per chosen place and year, with the places' names.
 *
 * @example
 * const rows = await compareRows(query, 1231, { filters: {}, places: ['fbi_cde:nation'], agency: undefined })
 */
export async function compareRows(query: ServedQuery, cutoff: number, { filters, places }: PlaceQuery): Promise<Row[]> {
  if (!places.length) return []
  const { sql, params } = whereClause(filters)
  const chosen = places.map(() => '(?::VARCHAR, ?::VARCHAR, ?::VARCHAR, ?::VARCHAR)').join(', ')
  return query(
    `WITH chosen(c_source, c_level, c_state, c_place) AS (VALUES ${chosen}), ${perYearSql(cutoff, sql)} ORDER BY c.source, c.level, c.state, c.place, c.year`,
    [...places.flatMap(placeParts), ...yearBounds(filters), ...params, ...params],
  )
}

/**
 * Per state of each many-city source: the incidents in the filter's years, and the average yearly
 * rate over the years with a known population (incidents in those years / their residents summed
 * over them * 100,000), with the years it covers and their incidents, so a rate never stands alone.
 *
 * @example
 * const states = await mapRows(query, 1231, { year_from: 2010 })
 */
export function mapRows(query: ServedQuery, cutoff: number, filters: Filters): Promise<Row[]> {
  const { sql, params } = whereClause(filters)
  return query(
    `WITH chosen AS (SELECT source AS c_source, level AS c_level, state AS c_state, place AS c_place FROM place_list WHERE level = 'state'),
    rows AS (WITH ${perYearSql(cutoff, sql)})
    SELECT source, state, SUM(incidents)::INTEGER AS incidents, (SUM(incidents) FILTER (WHERE population IS NOT NULL))::INTEGER AS rated_incidents,
      COUNT(population)::INTEGER AS rated_years, MIN(year) FILTER (WHERE population IS NOT NULL)::INTEGER AS first_rated,
      MAX(year) FILTER (WHERE population IS NOT NULL)::INTEGER AS last_rated, ROUND(AVG(population))::BIGINT AS residents,
      ROUND(100000.0 * SUM(incidents) FILTER (WHERE population IS NOT NULL) / SUM(population), 2)::DOUBLE AS rate_per_100k
    FROM rows GROUP BY ALL ORDER BY source, state`,
    [...yearBounds(filters), ...params, ...params],
  )
}

/**
 * One agency's incidents per source and year (every source that holds the agency, over its own
 * years within the filter's), for setting a police department's own file beside the FBI's rows.
 *
 * @example
 * const rows = await reconcileRows(query, 1231, { filters: {}, places: [], agency: 'TX2270100' })
 */
export async function reconcileRows(query: ServedQuery, cutoff: number, { filters, agency }: PlaceQuery): Promise<Row[]> {
  if (!agency) return []
  const { sql, params } = whereClause(filters)
  const counts = chartSql('agencies', sql ? `${sql} AND agency_ori = ?` : 'WHERE agency_ori = ?', cutoff, PLACE_SPECS.agencies)
  return query(
    `WITH grid AS (SELECT a.source, unnest(range(greatest(s.first_year, ?), least(s.last_year, ?) + 1))::INTEGER AS year
      FROM shared_agencies a JOIN source_years s ON s.source = a.source WHERE a.agency_ori = ?),
    counts AS (${counts})
    SELECT g.source, g.year, coalesce(n.incidents, 0)::INTEGER AS incidents FROM grid g LEFT JOIN counts n ON n.source = g.source AND n.year = g.year
    ORDER BY g.year, g.source`,
    [...yearBounds(filters), agency, ...params, agency, ...params, agency],
  )
}

/** The places a reader may choose and the agencies held by several sources, for the page's choices. */
export async function placeChoices(query: ServedQuery): Promise<{ places: Row[]; agencies: Row[] }> {
  const places = await query(`SELECT concat_ws(':', source, level, state, place) AS id, source, level, state, place, name, first_year, last_year, incidents
    FROM place_list ORDER BY list_position(['city', 'state', 'nation'], level), name, source`)
  const agencies = await query('SELECT agency_ori, source, agency_name, city, state, first_year, last_year, incidents FROM shared_agencies ORDER BY agency_ori, source')
  return { places, agencies }
}
