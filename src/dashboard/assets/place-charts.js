// The comparison of chosen places and the reconciliation of one agency in two sources, built like
// the other charts (option, note, table, drills). A rate is never drawn or listed without its count,
// and where the Census gives no population the table says so instead of a rate.
import { breakNote, count, grid, legend, partialBand, partialNote, seriesBreak, yearAxis, yearsInView } from './chart-axes.js'
import { MAIN, PLACE_COLOURS, SECOND } from './palette.js'

/** The FBI's own caveats, on every view that shows its data. */
export const FBI_CAVEAT = 'FBI: reporting is voluntary and the agencies taking part change from year to year, so a change may be a change in who reported. Places are not ranked.'

const year = (y) => ({ year_from: String(y), year_to: String(y) })
/** What a click on a place's year adds: its source, year, and state and city where it has them. */
const placeDrill = (place, y) => ({ source: place.source, ...year(y), ...(place.state ? { state: place.state } : {}), ...(place.place ? { city: place.place } : {}) })
const label = (place) => `${place.name} (${place.source})`

/**
 * Incidents and incidents per 100,000 residents per year for the chosen places (`places`, rows of
 * /api/places in the order chosen; `rows`, /api/places/compare): rates above, counts below, on one
 * chart with one colour per place.
 */
export function comparison(rows, places, context, fbi) {
  const years = yearsInView(context)
  const at = (place, y) => rows.find((r) => r.source === place.source && r.level === place.level && r.state === place.state && r.place === place.place && r.year === y)
  const line = (place, i, key, grid) => ({ name: label(place), type: 'line', xAxisIndex: grid, yAxisIndex: grid, connectNulls: false, itemStyle: { color: PLACE_COLOURS[i % PLACE_COLOURS.length] },
    symbolSize: 6, data: years.map((y) => at(place, y)?.[key] ?? null), markLine: i ? undefined : seriesBreak(years), markArea: i ? undefined : partialBand(years, context) })
  const series = [...places.map((place, i) => line(place, i, 'rate_per_100k', 0)), ...places.map((place, i) => ({ ...line(place, i, 'incidents', 1), keyboard: false }))]
  const table = { head: ['year', 'place', 'source', 'incidents', 'residents', 'per 100,000 residents'], rows: [], drills: [] }
  for (const place of places) {
    for (const y of years) {
      const row = at(place, y)
      if (!row) continue
      table.rows.push([y, place.name, place.source, row.incidents, row.population === null ? null : Number(row.population), row.rate_per_100k ?? 'population unknown'])
      table.drills.push(placeDrill(place, y))
    }
  }
  const unknown = rows.filter((r) => r.population === null).length
  const note = [`Rates above (incidents per 100,000 residents, where the Census gives the place's population that year), counts below; each source over its own years.`,
    unknown ? `${unknown} place-years have no known population and no rate (the table says so).` : '', fbi ? FBI_CAVEAT : '', partialNote(years, context), breakNote(years)].filter(Boolean).join(' ')
  const narrow = context.narrow
  const axes = [0, 1].map((i) => ({ ...yearAxis(years, context), gridIndex: i, name: i ? 'year' : '', axisLabel: { ...yearAxis(years, context).axisLabel, show: i === 1 } }))
  return { total: rows.reduce((n, r) => n + r.incidents, 0), note, table,
    drill: (event) => { const place = places[event.seriesIndex % places.length]; return place && placeDrill(place, years[event.dataIndex]) },
    option: { height: narrow ? 560 : 520, tooltip: { trigger: 'axis' }, legend, axisPointer: { link: [{ xAxisIndex: 'all' }] },
      grid: [grid(context, { top: narrow ? 72 : 48, height: '34%' }), grid(context, { top: '58%', bottom: 40 })],
      xAxis: axes, yAxis: [{ type: 'value', gridIndex: 0, name: 'per 100,000', nameLocation: 'middle', nameGap: 44 }, { ...count('incidents', 52), gridIndex: 1 }], series } }
}

/**
 * One agency per source and year (`rows` of /api/places/reconcile), the agency's own file first,
 * with the difference, own file minus the other, in the years both cover.
 */
export function reconciliation(rows, agency, sources, context) {
  const years = yearsInView(context)
  const [own, other] = sources
  const at = (source, y) => rows.find((r) => r.source === source && r.year === y)?.incidents ?? null
  const difference = years.map((y) => (other && at(own, y) !== null && at(other, y) !== null ? at(own, y) - at(other, y) : null))
  const colours = [MAIN, SECOND]
  const series = sources.map((source, i) => ({ name: source, type: 'bar', itemStyle: { color: colours[i] ?? PLACE_COLOURS[i] }, data: years.map((y) => at(source, y)),
    markLine: i ? undefined : seriesBreak(years), markArea: i ? undefined : partialBand(years, context) }))
  if (other) series.push({ name: `difference (${own} − ${other})`, type: 'line', itemStyle: { color: '#4B5563' }, lineStyle: { type: 'dotted' }, data: difference })
  const shown = years.filter((y) => sources.some((s) => at(s, y) !== null))
  const table = { head: ['year', ...sources.map((s) => `${s} (incidents)`), ...(other ? [`difference (${own} − ${other})`] : [])],
    rows: shown.map((y) => [y, ...sources.map((s) => at(s, y)), ...(other ? [difference[years.indexOf(y)]] : [])]),
    drills: shown.map((y) => ({ ...year(y), agency_ori: agency.agency_ori })) }
  const both = difference.filter((d) => d !== null)
  const note = [`${agency.agency_name ?? agency.agency_ori} (ORI ${agency.agency_ori}) as each source counts it, year by year;`,
    other ? `the difference is ${own} minus ${other}, in the ${both.length} years both cover (${both.reduce((a, b) => a + b, 0)} over them all).` : 'only one source holds it in these years.',
    'A department\'s own file and what it reported to the FBI can differ: late reports, reclassified incidents, and what each counts as a hate crime.', FBI_CAVEAT, breakNote(years)].join(' ')
  return { total: rows.reduce((n, r) => n + r.incidents, 0), note, table,
    drill: (event) => (event.seriesIndex < sources.length ? { source: sources[event.seriesIndex], ...year(years[event.dataIndex]), agency_ori: agency.agency_ori } : { ...year(years[event.dataIndex]), agency_ori: agency.agency_ori }),
    option: { grid: grid(context), tooltip: { trigger: 'axis' }, legend, xAxis: yearAxis(years, context), yAxis: count('incidents'), series } }
}
