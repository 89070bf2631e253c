import type { DuckDBConnection } from '@duckdb/node-api'

/**
 * The views that put incidents beside the residents they happened among, from the population
 * table that `hatecrimes population` loads (population/population-table.ts):
 *
 * - `population`: level (`city`, `state`, `nation`), state (two letters), place, census_name, year,
 *   population, ambiguous, source_file, source_row;
 * - `rates`: per source, level, place and year, the incidents (distinct incident ids), the
 *   population, and incidents per 100,000 residents as the FBI computes it, incidents /
 *   (population / 100,000), to two decimals.
 *
 * A rate needs a population for that place and year: where there is none (no table loaded, a year
 * the Census tables do not cover, a city they do not list, a name that stands for two places in
 * its state) the count stays and population and rate are NULL. Cities are matched by name within
 * their state (several Springfields never meet) and without regard to case. A source is compared
 * with a state's and the nation's residents only when its incidents come from more than one city
 * (the FBI's national file): a city police file over the whole state would be a meaningless rate.
 */
const EMPTY_POPULATION = `SELECT NULL::VARCHAR AS level, NULL::VARCHAR AS state, NULL::VARCHAR AS place,
  NULL::VARCHAR AS census_name, NULL::INTEGER AS year, NULL::BIGINT AS population, NULL::BOOLEAN AS ambiguous,
  NULL::VARCHAR AS source_file, NULL::INTEGER AS source_row LIMIT 0`

const EMPTY_RATES = `SELECT NULL::VARCHAR AS level, NULL::VARCHAR AS source, NULL::VARCHAR AS state, NULL::VARCHAR AS place,
  NULL::INTEGER AS year, NULL::BIGINT AS incidents, NULL::BIGINT AS population, NULL::DOUBLE AS rate_per_100k LIMIT 0`

/**
 * How a count (`c`: level, state, place, year) finds its residents (`p`, a population row): same
 * level and year, a known and unambiguous population, the same state, and for a city the same name
 * without regard to case. The dashboard's place comparisons join by the same rule.
 */
export const POPULATION_MATCH = `p.level = c.level AND p.year = c.year AND NOT p.ambiguous AND p.population > 0
  AND p.state IS NOT DISTINCT FROM c.state AND (c.level <> 'city' OR lower(p.place) = lower(c.place))`

/** Aggregate over one source's incidents: true when they all come from one city (a city police file). */
export const ONE_CITY = 'COUNT(DISTINCT (state, city)) = 1 AND bool_and(city IS NOT NULL)'

const RATES = `
WITH scope AS (
  SELECT source, ${ONE_CITY} AS one_city
  FROM incidents GROUP BY source
), counts AS (
  SELECT 'city' AS level, source, state, city AS place, year, COUNT(DISTINCT incident_id) AS incidents
  FROM incidents WHERE city IS NOT NULL AND state IS NOT NULL GROUP BY ALL
  UNION ALL
  SELECT 'state', i.source, i.state, NULL, i.year, COUNT(DISTINCT i.incident_id)
  FROM incidents i JOIN scope s ON s.source = i.source WHERE NOT s.one_city AND i.state IS NOT NULL GROUP BY ALL
  UNION ALL
  SELECT 'nation', i.source, NULL, NULL, i.year, COUNT(DISTINCT i.incident_id)
  FROM incidents i JOIN scope s ON s.source = i.source WHERE NOT s.one_city GROUP BY ALL
)
SELECT c.level, c.source, c.state, COALESCE(c.place, p.place) AS place, c.year, c.incidents, p.population,
  ROUND(c.incidents / (p.population / 100000.0), 2) AS rate_per_100k
FROM counts c
LEFT JOIN population p ON ${POPULATION_MATCH}`

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

/**
 * Defines (or redefines) `population` and `rates` on a connection whose `incidents` view exists.
 * `populationFile` is the local path of the population table, or undefined when none is loaded.
 * A lake whose incidents carry no city and state (written before sources had places) gets an
 * empty `rates`, so its other queries still run.
 *
 * @example
 * await defineRateViews(connection, '/data/lake/population/population.parquet')
 * await connection.run("SELECT * FROM rates WHERE place = 'Austin' ORDER BY year")
 */
export async function defineRateViews(connection: DuckDBConnection, populationFile: string | undefined): Promise<void> {
  const population = populationFile ? `SELECT * FROM read_parquet(${quote(populationFile)})` : EMPTY_POPULATION
  await connection.run(`CREATE OR REPLACE VIEW population AS ${population}`)
  const columns = (await connection.runAndReadAll("SELECT column_name FROM (DESCRIBE incidents) WHERE column_name IN ('city', 'state')")).getRows()
  await connection.run(`CREATE OR REPLACE VIEW rates AS ${columns.length === 2 ? RATES : EMPTY_RATES}`)
}
