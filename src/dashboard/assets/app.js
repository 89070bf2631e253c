import { card, draw, resizeCharts } from './cards.js'
import { CHARTS } from './charts.js'
import { apply, clear, fillChoices, fillYears, LISTS, query, rangeProblem, summarise } from './controls.js'
import { closeIncidents, showIncidents, wireIncidents } from './drill.js'
import { flagWords, rejectionWords, renderGlossary } from './glossary.js'
import { ORDERS } from './palette.js'
import { applyPlaces, drawPlaces, placeParams, renderPlaces, summarise as summarisePlaces } from './places.js'

const form = document.querySelector('#filters')
const number = (n) => Number(n ?? 0).toLocaleString('en-US')
const isSynthetic = (source) => /synthetic|generated/i.test(source)
let last = null
let live = false
/** Which load is the newest: an answer to an older one (filters changed meanwhile) is dropped. */
let loads = 0

/** A file name for a chart's export from the filters in view. */
const fileName = (id) => ['hate-crimes', id, ...[...query()].map(([key, value]) => `${key}-${value}`)].join('_').replace(/[^A-Za-z0-9_+-]+/g, '-').slice(0, 150)

function countTable(heading, rows, empty) {
  const table = document.createElement('table')
  table.innerHTML = '<thead><tr><th scope="col"></th><th scope="col" class="n"></th></tr></thead><tbody></tbody>'
  table.querySelector('th').textContent = heading[0]
  table.querySelector('th.n').textContent = heading[1]
  for (const [label, count] of rows.length ? rows : [[empty, 0]]) {
    const tr = table.tBodies[0].insertRow()
    tr.append(Object.assign(document.createElement('td'), { textContent: label }), Object.assign(document.createElement('td'), { className: 'n', textContent: number(count) }))
  }
  return table
}

function qualityCard(charts, partial) {
  const section = document.querySelector('#chart-quality') ?? Object.assign(document.createElement('section'), { className: 'card quality', id: 'chart-quality' })
  section.setAttribute('aria-label', 'Data quality')
  section.replaceChildren(Object.assign(document.createElement('h2'), { textContent: 'Data quality' }),
    Object.assign(document.createElement('p'), { className: 'note', textContent: `${partial ? `${partial.year} is partial: data only to ${partial.date}. ` : ''}`
      + 'Oddities count rows that are in the charts (a row may have several); rows that could not be read are in no chart.' }),
    countTable(['what was odd in a row', 'rows'], charts.quality_flags.map((r) => [flagWords(r.flag), r.rows]), 'nothing odd'),
    countTable(['value not recognised (column: text as written)', 'rows'], charts.unmapped_values.map((r) => [r.raw ? `${r.field.replaceAll('_', ' ')}: ${r.raw}` : r.field.replaceAll('_', ' '), r.rows]), 'every value recognised'),
    countTable(['rows that could not be read (step: reason)', 'rows'], charts.dead_letters.map((r) => [rejectionWords(r.stage, r.code), r.rows]), 'none'))
  section.dataset.total = String(charts.quality_flags.reduce((n, r) => n + r.rows, 0))
  section.dataset.unmapped = String(charts.unmapped_values.reduce((n, r) => n + r.rows, 0))
  section.dataset.dead = String(charts.dead_letters.reduce((n, r) => n + r.rows, 0))
  document.querySelector('#charts').append(section)
}

/** The lake's last year is partial unless its newest incident is from the last days of December. */
function partialYear(status) {
  if (!status.lastDate || status.lastDate.slice(5) >= '12-24') return null
  return { year: Number(status.lastDate.slice(0, 4)), date: status.lastDate }
}

function context(status) {
  const params = query()
  const years = status.years && [Number(params.get('year_from') ?? status.years[0]), Number(params.get('year_to') ?? status.years[1])]
  const lastMonth = status.lastDate && { year: Number(status.lastDate.slice(0, 4)), month: Number(status.lastDate.slice(5, 7)) }
  return { partial: partialYear(status), years, lastMonth, narrow: document.documentElement.clientWidth < 600 }
}

function render({ charts, status }) {
  const [totals] = charts.totals
  const empty = !totals.incidents
  document.querySelector('#kpi-incidents').textContent = number(totals.incidents)
  document.querySelector('#kpi-rows').textContent = number(totals.rows)
  document.querySelector('#kpi-range').textContent = totals.first_date ? `${totals.first_date} – ${totals.last_date}` : 'none'
  document.querySelector('#kpi-dead').textContent = number(status.deadLetters)
  const view = context(status)
  for (const chart of CHARTS) {
    const section = document.querySelector(`#chart-${chart.id}`) ?? card(chart, drillTo, fileName)
    draw(section, chart, chart.build(charts, view), empty)
  }
  qualityCard(charts, view.partial)
  showSources(status)
  showStatus(status)
  document.body.dataset.version = status.version
}

/** Which sources the lake holds, the source filter's choices, and the badge when generated rows are in view. */
function showSources(status) {
  fillChoices('source', status.sources.map((s) => s.source), Object.fromEntries(status.sources.map((s) => [s.source, `${s.source} (${number(s.rows)} rows)`])))
  document.querySelector('#sources').textContent = `Sources: ${status.sources.map((s) => `${s.source} (${number(s.rows)} rows)`).join(', ') || 'none yet'}.`
  const chosen = query().get('source')?.split(',')
  const synthetic = status.sources.filter((s) => isSynthetic(s.source) && (!chosen || chosen.includes(s.source)))
  const badge = document.querySelector('#synthetic')
  badge.hidden = synthetic.length === 0
  badge.textContent = `Synthetic data in view: ${synthetic.map((s) => `${number(s.rows)} generated rows (${s.source})`).join(', ')}. These are not real incidents; use the Source filter to leave them out.`
}

/** The page's address: the filters and the place choices. */
function setUrl(params) {
  const shown = new URLSearchParams([...params, ...placeParams()])
  history.replaceState(null, '', shown.size ? `?${shown}` : location.pathname)
}

async function load() {
  const mine = ++loads
  closeIncidents()
  const problem = rangeProblem()
  if (problem) return showError(new Error(problem))
  const params = query()
  setUrl(params)
  for (const id of ['csv', 'parquet']) document.querySelector(`#${id}`).href = `/api/download.${id}?${params}`
  document.querySelector('#share').href = location.href
  const response = await fetch(`/api/charts?${params}`)
  const body = await response.json()
  if (mine !== loads) return
  if (!response.ok) throw new Error(body.error)
  fillYears(body.status.years)
  last = body
  render(body)
  await renderPlaces(params, body.status, context(body.status), drillTo, fileName)
  if (mine !== loads) return
  setUrl(params)
  showMessage(null)
}

function showStatus(status) {
  const element = document.querySelector('#status')
  const parts = [`${number(status.rows)} source rows (${number(status.incidents)} incidents) in the lake`]
  if (status.deadLetters) parts.push(`${number(status.deadLetters)} rows could not be read (see Data quality)`)
  if (status.lastDate) parts.push(`newest incident ${status.lastDate}`)
  if (status.lastModified) parts.push(`last new data at ${new Date(status.lastModified).toLocaleTimeString('en-US')}`)
  if (status.lag !== null) parts.push(`${number(status.lag)} records waiting to be stored`)
  if (status.error) parts.push(`the lake could not be read at the last look: showing what was read before`)
  element.textContent = `${parts.join(' · ')}${live && !status.error ? ' · updates live' : ''}`
  element.classList.toggle('failing', Boolean(status.error))
  element.classList.toggle('live', live && !status.error)
}

/** A message above the charts; while it shows, the charts are marked as the previous view. */
function showMessage(text) {
  const message = document.querySelector('#message')
  message.hidden = !text
  message.textContent = text ? `${text} The charts below still show the previous view.` : ''
  document.querySelector('#charts').classList.toggle('stale', Boolean(text))
  document.querySelector('#status').classList.toggle('live', !text && live)
}

const showError = (error) => showMessage(error.message)
const drillTo = (drill) => showIncidents(drill, query()).catch(showError)

async function start() {
  fillChoices('bias_category', ORDERS.bias_category)
  fillChoices('offense_group', ['Persons', 'Property', 'Society', 'Multiple', 'Unknown'])
  fillChoices('district', Array.from({ length: 10 }, (_, i) => String(i + 1)))
  fillChoices('source', [])
  // The link's filters, kept: the source choices exist only once the lake's status has come.
  const linked = new URLSearchParams(location.search)
  apply(linked)
  applyPlaces(linked)
  renderGlossary(document.querySelector('#glossary'))
  wireIncidents(showError)
  form.addEventListener('change', (event) => {
    if (LISTS.includes(event.target.name)) summarise(event.target.name)
    load().catch(showError)
  })
  document.querySelector('#place-form').addEventListener('change', () => {
    summarisePlaces()
    load().catch(showError)
  })
  document.querySelector('#clear-filters').addEventListener('click', () => { clear(); load().catch(showError) })
  let narrow = document.documentElement.clientWidth < 600
  window.addEventListener('resize', () => {
    resizeCharts()
    // Crossing the phone width changes labels and legends: draw again from the answer in hand.
    if (last && narrow !== document.documentElement.clientWidth < 600) {
      render(last)
      drawPlaces(context(last.status))
    }
    narrow = document.documentElement.clientWidth < 600
  })
  const first = query().toString()
  await load()
  apply(linked)
  if (query().toString() !== first) await load()
  const events = new EventSource('/api/events')
  events.addEventListener('lake-changed', () => load().catch(showError))
  events.addEventListener('status', (event) => showStatus(JSON.parse(event.data)))
  events.onopen = () => { live = true; if (last) showStatus(last.status) }
  events.onerror = () => { live = false; if (last) showStatus(last.status) }
}

start().catch(showError)
