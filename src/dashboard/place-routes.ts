import type { Hono } from 'hono'
import type { DashboardData } from './dashboard-data.ts'
import { compareRows, mapRows, parsePlaceQuery, placeChoices, reconcileRows, type PlaceQuery } from './place-queries.ts'

/**
 * The place views' endpoints, each cached per lake version like the charts:
 *
 * - `GET /api/places`: the places a reader may choose (`id`, source, level, state, place, name, years)
 *   and the agencies held by several sources;
 * - `GET /api/places/compare?place=<id>&place=<id>&<filters>`: per place and year, incidents,
 *   population and rate per 100,000 residents;
 * - `GET /api/places/map?<filters>`: per state of a many-city source, incidents and the average
 *   yearly rate over the years with a known population;
 * - `GET /api/places/reconcile?agency=<ORI>&<filters>`: one agency's incidents per source and year.
 *
 * @example
 * placeRoutes(app, data)
 */
export function placeRoutes(app: Hono, data: DashboardData): void {
  const choices = () => data.cachedRead('places', (query) => placeChoices(query))

  app.get('/api/places', async (c) => {
    const { search, pathname } = new URL(c.req.url)
    if (search) return c.json({ error: `Expected no parameters for ${pathname} (got "${search.slice(1)}")` }, 400)
    return c.json(await choices())
  })

  /** Parses a request and checks its places and agency against what the lake holds. */
  const parsed = async (url: string): Promise<{ ok: true; query: PlaceQuery } | { ok: false; error: string }> => {
    const request = parsePlaceQuery(new URL(url).searchParams)
    if (!request.ok) return request
    const { places, agencies } = await choices()
    const known = new Set(places.map((place) => place.id))
    const unknown = request.query.places.find((id) => !known.has(id))
    if (unknown) return { ok: false, error: `Expected a place the lake holds (the ids of /api/places) for "place" (got "${unknown.slice(0, 200)}")` }
    const agency = request.query.agency
    if (agency && !agencies.some((row) => row.agency_ori === agency)) {
      return { ok: false, error: `Expected an agency that two sources hold (the agency_ori of /api/places) for "agency" (got "${agency}")` }
    }
    return request
  }

  app.get('/api/places/compare', async (c) => {
    const request = await parsed(c.req.url)
    if (!request.ok) return c.json({ error: request.error }, 400)
    const key = `compare:${JSON.stringify(request.query)}`
    return c.json({ rows: await data.cachedRead(key, (query, cutoff) => compareRows(query, cutoff, request.query)) })
  })

  app.get('/api/places/map', async (c) => {
    const request = await parsed(c.req.url)
    if (!request.ok) return c.json({ error: request.error }, 400)
    if (request.query.places.length || request.query.agency) return c.json({ error: 'Expected only filter parameters for /api/places/map (got "place" or "agency")' }, 400)
    const { filters } = request.query
    return c.json({ rows: await data.cachedRead(`map:${JSON.stringify(filters)}`, (query, cutoff) => mapRows(query, cutoff, filters)) })
  })

  app.get('/api/places/reconcile', async (c) => {
    const request = await parsed(c.req.url)
    if (!request.ok) return c.json({ error: request.error }, 400)
    const key = `reconcile:${JSON.stringify(request.query)}`
    return c.json({ rows: await data.cachedRead(key, (query, cutoff) => reconcileRows(query, cutoff, request.query)) })
  })
}
