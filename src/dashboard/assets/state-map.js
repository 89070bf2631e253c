// The map of incidents and rates by state for a many-city source (the FBI's national file), under the
// page's filters. The states' shapes come from the server (/us-states.json, made from the us-atlas
// package), already projected to Albers USA in pixels, so the map draws them as they are.
import { FBI_CAVEAT } from './place-charts.js'

let names = null

/** Loads the states' shapes once and registers them with ECharts; the state names by code. */
export async function loadStates() {
  if (names) return names
  const response = await fetch('/us-states.json')
  if (!response.ok) throw new Error(`Expected the states' shapes at /us-states.json (got HTTP ${response.status})`)
  const geojson = await response.json()
  echarts.registerMap('us-states', geojson)
  names = Object.fromEntries(geojson.features.map((f) => [f.properties.code, f.properties.name]))
  return names
}

const MEASURES = {
  rate: { key: 'rate_per_100k', words: 'incidents per 100,000 residents a year' },
  incidents: { key: 'incidents', words: 'incidents' },
}
const span = (r) => (r.rated_years ? (r.first_rated === r.last_rated ? `${r.first_rated}` : `${r.first_rated}-${r.last_rated}`) : 'none')

/**
 * The map's build for one source's states (`rows` of /api/places/map), coloured by `measure` (`rate`
 * or `incidents`). The table lists every state by name, never by rank, with the count beside the
 * rate and the years the rate covers.
 */
export function stateMap(rows, source, measure, context) {
  const { key, words } = MEASURES[measure] ?? MEASURES.rate
  const mine = rows.filter((r) => r.source === source)
  const onMap = mine.filter((r) => names[r.state])
  const elsewhere = mine.filter((r) => !names[r.state]).reduce((n, r) => n + r.incidents, 0)
  const values = onMap.map((r) => r[key]).filter((v) => v !== null)
  const nameOf = (code) => names[code] ?? code
  const byName = [...mine].sort((a, b) => nameOf(a.state).localeCompare(nameOf(b.state)))
  const table = {
    head: ['state', 'incidents', 'incidents in the years rated', 'years rated', 'average residents', 'per 100,000 residents a year'],
    rows: byName.map((r) => [nameOf(r.state), r.incidents, r.rated_incidents, span(r), r.residents === null ? null : Number(r.residents), r.rate_per_100k ?? 'population unknown']),
    drills: byName.map((r) => ({ source, state: r.state })),
  }
  const note = [`${source}: colour = ${words}. The rate is the average over the years in view that have a Census population for the state (incidents in those years over their residents);`,
    'the table gives the count beside it.', elsewhere ? `${elsewhere.toLocaleString('en-US')} incidents of agencies outside the 50 states and DC are in the table, not on the map.` : '', FBI_CAVEAT].filter(Boolean).join(' ')
  const tooltip = (p) => {
    const r = mine.find((row) => row.state === p.name)
    if (!r) return `${nameOf(p.name)}: no incidents`
    return `${nameOf(r.state)}<br>${r.incidents.toLocaleString('en-US')} incidents<br>${r.rate_per_100k === null ? 'population unknown: no rate' : `${r.rate_per_100k} per 100,000 a year (${span(r)})`}`
  }
  return { total: mine.reduce((n, r) => n + r.incidents, 0), note, table,
    title: `Incidents by state (${source})`,
    drill: (event) => (event.name ? { source, state: event.name } : null),
    option: { height: context.narrow ? 300 : 420, tooltip: { trigger: 'item', formatter: tooltip },
      visualMap: { type: 'continuous', min: 0, max: Math.max(1, ...values), left: 8, bottom: 4, orient: 'horizontal', itemHeight: context.narrow ? 120 : 180,
        text: [measure === 'incidents' ? 'more' : 'higher', measure === 'incidents' ? 'fewer' : 'lower'], inRange: { color: ['#EFF6FF', '#1E3A8A'] }, calculable: false },
      series: [{ type: 'map', map: 'us-states', name: words, nameProperty: 'code', roam: false, aspectScale: 1, top: 8, bottom: 40,
        projection: { project: (point) => point, unproject: (point) => point },
        itemStyle: { areaColor: '#e5e7eb', borderColor: '#ffffff' }, emphasis: { label: { show: false }, itemStyle: { areaColor: '#F59E0B' } }, select: { disabled: true },
        data: onMap.map((r) => ({ name: r.state, value: r[key] ?? NaN })) }] } }
}
