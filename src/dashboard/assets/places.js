// The places section: which places to compare, which agency to set beside itself in two sources, and
// what the map colours by; their three cards, redrawn with the page's filters. The choices live in
// the URL (place, agency, map) beside the filters, so a link brings the same comparison back.
import { card, draw } from './cards.js'
import { comparison, reconciliation } from './place-charts.js'
import { loadStates, stateMap } from './state-map.js'

const form = document.querySelector('#place-form')
const section = document.querySelector('#places')
const CARDS = [
  { id: 'compare', title: 'Places compared: incidents and rates per year', build: (d, c) => comparison(d.compare, d.chosen, c, d.chosen.some((p) => d.multi.has(p.source))) },
  { id: 'reconcile', title: 'One agency in two sources, year by year', build: (d, c) => reconciliation(d.reconcile, d.agency, d.agencySources, c) },
  { id: 'state_map', title: 'Incidents by state', build: (d, c) => stateMap(d.map, d.mapSource, form.elements.map.value, c) },
]
let choices = null
/** The answers the place cards show now, for drawing them again without asking. */
let shown = null
/** Places and agency asked for by the URL, kept until the choices exist to check them against. */
let wanted = { places: [], agency: '' }
/** The URL holds the place choices once a link or the reader chose them; the defaults stay out of it. */
let chosenByReader = false

const fetchJson = async (url) => {
  const response = await fetch(url)
  const body = await response.json()
  if (!response.ok) throw new Error(body.error)
  return body
}
const chosenIds = () => [...form.querySelectorAll('input[name="place"]:checked')].map((input) => input.value)

/** The place choices as URL parameters. */
export function placeParams() {
  const params = new URLSearchParams()
  if (chosenByReader) {
    for (const id of choices ? chosenIds() : wanted.places) params.append('place', id)
    const agency = choices ? form.elements.agency.value : wanted.agency
    if (agency) params.set('agency', agency)
  }
  if (form.elements.map.value !== 'rate') params.set('map', form.elements.map.value)
  return params
}

/** Takes the place choices from URL parameters (a shared link). */
export function applyPlaces(params) {
  wanted = { places: params.getAll('place'), agency: params.get('agency') ?? '' }
  chosenByReader = wanted.places.length > 0 || wanted.agency !== ''
  form.elements.map.value = params.get('map') === 'incidents' ? 'incidents' : 'rate'
  if (choices) fill()
}

/** A city's own file beside the FBI's count for it, its state and the nation; the nation alone without a city file. */
function defaults(places, multi) {
  const own = places.find((p) => p.level === 'city' && !multi.has(p.source))
  if (!own) return places.filter((p) => p.level === 'nation').map((p) => p.id)
  const fbi = places.filter((p) => multi.has(p.source) && ((p.level === 'city' && p.state === own.state && p.place.toLowerCase() === own.place.toLowerCase()) || (p.level === 'state' && p.state === own.state) || p.level === 'nation'))
  return [own.id, ...fbi.map((p) => p.id)]
}

function fill() {
  const { places, agencies, multi } = choices
  const ids = new Set(wanted.places.length ? wanted.places : defaults(places, multi))
  const groups = [['Cities, their own police file', (p) => p.level === 'city' && !multi.has(p.source)], ['Cities, many-city source (FBI)', (p) => p.level === 'city' && multi.has(p.source)],
    ['Nation', (p) => p.level === 'nation'], ['States', (p) => p.level === 'state']]
  const box = form.querySelector('[data-filter="place"] .choices')
  box.replaceChildren(...groups.flatMap(([heading, match]) => {
    const members = places.filter(match)
    if (!members.length) return []
    return [Object.assign(document.createElement('h3'), { textContent: heading }), ...members.map((p) => {
      const label = document.createElement('label')
      label.append(Object.assign(document.createElement('input'), { type: 'checkbox', name: 'place', value: p.id, checked: ids.has(p.id) }), ` ${p.name} (${p.source}, ${p.first_year}-${p.last_year})`)
      return label
    })]
  }))
  const select = form.elements.agency
  const oris = [...new Set(agencies.map((a) => a.agency_ori))]
  select.replaceChildren(...oris.map((ori) => {
    const rows = agencies.filter((a) => a.agency_ori === ori)
    return new Option(`${rows[0].agency_name ?? ori}, ${rows[0].state ?? ''} (${ori}): ${rows.map((a) => a.source).join(' and ')}`, ori)
  }))
  select.value = oris.includes(wanted.agency) ? wanted.agency : (oris[0] ?? '')
  showCount()
}

function showCount() {
  const n = chosenIds().length
  form.querySelector('[data-filter="place"] .chosen').textContent = n === 0 ? 'none' : n === 1 ? '1 place' : `${n} places`
}

/** The reader changed a place choice: from now on the URL holds them. */
export function summarise() {
  chosenByReader = true
  showCount()
}

/**
 * Draws the place cards for the filters (URLSearchParams) and the lake's `status`; `context` is the
 * charts' (years in view, partial year, phone width).
 */
export async function renderPlaces(filters, status, context, onDrill, fileName) {
  if (!choices || choices.version !== status.version) {
    const body = await fetchJson('/api/places')
    choices = { ...body, version: status.version, multi: new Set(body.places.filter((p) => p.level === 'state').map((p) => p.source)) }
    fill()
  }
  section.hidden = choices.places.length === 0
  if (section.hidden) return
  const ids = chosenIds()
  const agency = form.elements.agency.value
  const query = (extra) => `${filters}${filters.size ? '&' : ''}${extra}`
  const [compare, reconcile, map] = await Promise.all([
    ids.length ? fetchJson(`/api/places/compare?${query(ids.map((id) => `place=${encodeURIComponent(id)}`).join('&'))}`) : { rows: [] },
    agency ? fetchJson(`/api/places/reconcile?${query(`agency=${encodeURIComponent(agency)}`)}`) : { rows: [] },
    choices.multi.size ? fetchJson(`/api/places/map?${filters}`) : { rows: [] },
    // The states' shapes only for a lake that has a map to draw: a city's lake never loads them.
    choices.multi.size ? loadStates() : null,
  ])
  const byId = new Map(choices.places.map((p) => [p.id, p]))
  const agencySources = choices.agencies.filter((a) => a.agency_ori === agency).map((a) => a.source).sort((a, b) => Number(choices.multi.has(a)) - Number(choices.multi.has(b)))
  shown = { compare: compare.rows, chosen: ids.map((id) => byId.get(id)), multi: choices.multi, reconcile: reconcile.rows, agencySources,
    agency: choices.agencies.find((a) => a.agency_ori === agency), map: map.rows, mapSource: [...choices.multi][0], onDrill, fileName }
  drawPlaces(context)
}

/** Draws the place cards again from the answers in hand (the page crossed the phone width). */
export function drawPlaces(context) {
  if (!shown) return
  const data = shown
  const container = document.querySelector('#place-charts')
  // A view the lake cannot fill stays out: no map without a many-city source, no reconciliation without an agency in two sources.
  const applies = { compare: true, reconcile: choices.agencies.length > 0, state_map: choices.multi.size > 0 }
  for (const chart of CARDS.filter((c) => applies[c.id])) {
    const element = document.querySelector(`#chart-${chart.id}`) ?? card(chart, data.onDrill, data.fileName, container)
    const empty = chart.id === 'compare' ? !data.chosen.length : chart.id === 'reconcile' ? !data.agency : !data.map.some((r) => r.source === data.mapSource)
    const built = empty ? { total: 0, note: '', table: { head: [''], rows: [], drills: [] }, option: {} } : chart.build(data, context)
    draw(element, chart, built, empty || built.total === 0)
  }
}
