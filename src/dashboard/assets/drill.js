// The incidents behind a clicked bar, cell or table row: the current filters narrowed by the click,
// a page of the lake's rows at a time with their raw source values, sortable by the columns the API
// allows (GET /api/incidents).
const panel = document.querySelector('#incidents')
const COLUMNS = [
  ['incident_id', 'incident number', true], ['incident_date', 'date', true], ['bias_category', 'bias category', true], ['biases', 'biases'],
  ['offenses', 'offenses'], ['location', 'location', true], ['council_district', 'district', true], ['victims_total', 'victims', true],
  ['raw_bias', 'bias as written'], ['raw_offenses', 'offenses as written'], ['raw_location', 'location as written'],
  ['raw_race_ethnicity', 'offender race/ethnicity as written'], ['source', 'source', true], ['agency_name', 'agency'], ['state', 'state'], ['source_file', 'file'], ['source_row', 'row'],
]
const WORDS = { year_from: 'from', year_to: 'to', bias_category: 'bias category', offense_group: 'offense group', council_district: 'district', day_of_week: 'day',
  zip_code: 'zip code', race: 'offender race', ethnicity: 'offender ethnicity', against: 'crimes against', agency_ori: 'agency' }
let state = null
let reportError = () => {}

const text = (value) => (Array.isArray(value) ? value.join('; ') : value === null || value === undefined ? '' : String(value))

/** Shows the incidents for `drill` (filter parameters a click adds) within `filters` (URLSearchParams). */
export function showIncidents(drill, filters) {
  const params = new URLSearchParams(filters)
  for (const [key, value] of Object.entries(drill)) params.set(key, value)
  const label = Object.entries(drill).map(([key, value]) => `${WORDS[key] ?? key.replaceAll('_', ' ')} ${value}`).join(', ')
  state = { params, label, page: 1, sort: 'incident_date', dir: 'desc' }
  panel.hidden = false
  return load(true)
}

/** Drops the drill-down (the filters changed, or the reader closed it). */
export function closeIncidents() {
  state = null
  panel.hidden = true
}

async function load(focus = false) {
  const params = new URLSearchParams(state.params)
  params.set('page', String(state.page))
  params.set('sort', state.sort)
  params.set('dir', state.dir)
  const response = await fetch(`/api/incidents?${params}`)
  const body = await response.json()
  if (!response.ok) throw new Error(body.error)
  render(body)
  if (focus) panel.querySelector('h2').focus()
}

function header([key, words, sortable]) {
  const th = Object.assign(document.createElement('th'), { scope: 'col' })
  if (!sortable) return Object.assign(th, { textContent: words })
  const active = state.sort === key
  th.setAttribute('aria-sort', active ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none')
  const button = Object.assign(document.createElement('button'), { type: 'button', className: 'sort', textContent: `${words}${active ? (state.dir === 'asc' ? ' ▲' : ' ▼') : ''}` })
  button.dataset.sort = key
  button.addEventListener('click', () => {
    state.dir = active && state.dir === 'desc' ? 'asc' : active ? 'desc' : key === 'incident_date' ? 'desc' : 'asc'
    state.sort = key
    state.page = 1
    load().catch(reportError)
  })
  th.append(button)
  return th
}

function render({ rows, total, page, pageSize }) {
  const pages = Math.max(1, Math.ceil(total.rows / pageSize))
  panel.querySelector('h2').textContent = `Incidents: ${state.label}`
  panel.querySelector('.count').textContent = `${total.incidents.toLocaleString('en-US')} incidents on ${total.rows.toLocaleString('en-US')} rows (a source row per offense). Page ${page} of ${pages}.`
  const table = panel.querySelector('table')
  table.tHead.replaceChildren(document.createElement('tr'))
  table.tHead.rows[0].append(...COLUMNS.map(header))
  table.tBodies[0].replaceChildren(...rows.map((row) => {
    const tr = document.createElement('tr')
    tr.append(...COLUMNS.map(([key]) => Object.assign(document.createElement('td'), { textContent: text(row[key]) })))
    return tr
  }))
  panel.querySelector('.previous').disabled = page <= 1
  panel.querySelector('.next').disabled = page >= pages
  panel.dataset.rows = String(total.rows)
  panel.dataset.incidents = String(total.incidents)
}

/** Wires the pager and Close; `onError` shows a failed page load. */
export function wireIncidents(onError) {
  reportError = onError
  panel.querySelector('.previous').addEventListener('click', () => { state.page--; load().catch(onError) })
  panel.querySelector('.next').addEventListener('click', () => { state.page++; load().catch(onError) })
  panel.querySelector('.close').addEventListener('click', closeIncidents)
}
