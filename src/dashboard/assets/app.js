import { CHARTS } from './charts.js'

const form = document.querySelector('#filters')
const FILTERS = ['year_from', 'year_to', 'bias_category', 'offense_group', 'district']
const CATEGORIES = ['Race/Ethnicity/Ancestry', 'Religion', 'Sexual Orientation', 'Disability', 'Gender', 'Gender Identity', 'Multiple', 'Unknown']
const GROUPS = ['Persons', 'Property', 'Society', 'Multiple', 'Unknown']
const instances = new Map()
const number = (n) => Number(n ?? 0).toLocaleString('en-US')

function fill(name, values) {
  const select = form.elements[name]
  for (const v of values) select.add(new Option(v, v))
}

/** The filters in the URL: the page's state, so a link reproduces the view. */
function query() {
  const params = new URLSearchParams()
  for (const name of FILTERS) if (form.elements[name].value) params.set(name, form.elements[name].value)
  return params
}

function card(chart) {
  const section = document.createElement('section')
  section.className = 'card'
  section.id = `chart-${chart.id}`
  section.innerHTML = `<h2></h2><p class="note"></p><div class="chart"></div>`
  section.querySelector('h2').textContent = chart.title
  document.querySelector('#charts').append(section)
  instances.set(chart.id, echarts.init(section.querySelector('.chart')))
  return section
}

const cell = (text) => Object.assign(document.createElement('td'), { textContent: text })

/** A table of label and count rows; text goes in as text, never as HTML (raw values come from the source file). */
function countTable(heading, rows, empty) {
  const table = document.createElement('table')
  table.innerHTML = `<tr><th></th><th class="n"></th></tr>`
  table.querySelector('th').textContent = heading[0]
  table.querySelector('th.n').textContent = heading[1]
  for (const [label, count] of rows.length ? rows : [[empty, 0]]) {
    const tr = table.insertRow()
    tr.append(cell(label), Object.assign(cell(number(count)), { className: 'n' }))
  }
  return table
}

function qualityCard(charts, status, partial) {
  const section = document.querySelector('#chart-quality') ?? Object.assign(document.createElement('section'), { className: 'card quality', id: 'chart-quality' })
  section.replaceChildren(Object.assign(document.createElement('h2'), { textContent: 'Data quality' }),
    Object.assign(document.createElement('p'), { className: 'note', textContent: partial
      ? `Partial year: ${partial.year} has data only to ${partial.date}. Flags count rows in the lake; dead letters never reached it.`
      : 'Flags count rows in the lake; dead letters never reached it.' }),
    countTable(['quality flag', 'rows'], charts.quality_flags.map((r) => [r.flag.replaceAll('_', ' '), r.rows]), 'no flags'),
    countTable(['unmapped value (column: raw text)', 'rows'], charts.unmapped_values.map((r) => [r.raw ? `${r.field}: ${r.raw}` : r.field, r.rows]), 'every value mapped'),
    countTable(['dead letters (stage: code)', 'rows'], charts.dead_letters.map((r) => [`${r.stage}: ${r.code}`, r.rows]), 'none'))
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

async function load() {
  const params = query()
  history.replaceState(null, '', params.size ? `?${params}` : location.pathname)
  for (const id of ['csv', 'parquet']) document.querySelector(`#${id}`).href = `/api/download.${id}?${params}`
  document.querySelector('#share').href = location.href
  const response = await fetch(`/api/charts?${params}`)
  const body = await response.json()
  if (!response.ok) throw new Error(body.error)
  const { charts, status } = body
  fillYears(status.years)
  const [totals] = charts.totals
  document.querySelector('#kpi-incidents').textContent = number(totals.incidents)
  document.querySelector('#kpi-rows').textContent = number(totals.rows)
  document.querySelector('#kpi-range').textContent = totals.first_date ? `${totals.first_date} – ${totals.last_date}` : '–'
  document.querySelector('#kpi-dead').textContent = number(status.deadLetters)
  const context = { partial: partialYear(status) }
  for (const chart of CHARTS) {
    const section = document.querySelector(`#chart-${chart.id}`) ?? card(chart)
    const { option, note, total } = chart.build(charts, context)
    section.querySelector('.note').textContent = note
    section.dataset.total = String(total)
    instances.get(chart.id).setOption(option, true)
  }
  qualityCard(charts, status, context.partial)
  showStatus(status)
  document.body.dataset.version = status.version
}

function showStatus(status) {
  const element = document.querySelector('#status')
  const parts = [`${number(status.rows)} rows in ${number(status.files)} files`, `${number(status.deadLetters)} dead letters`]
  if (status.lastFile) parts.push(`last file ${status.lastFile} at ${new Date(status.lastModified).toLocaleTimeString()}`)
  if (status.lag !== null) parts.push(`Kafka lag ${number(status.lag)} records`)
  if (status.error) parts.push(status.error)
  element.textContent = parts.join(' · ')
  element.classList.toggle('failing', Boolean(status.error))
}

/** Year choices from the lake's own range, keeping the current choice (the lake may grow a year). */
function fillYears(years) {
  if (!years) return
  for (const name of ['year_from', 'year_to']) {
    const select = form.elements[name]
    const chosen = select.value
    select.replaceChildren(new Option(name === 'year_from' ? 'first' : 'last', ''))
    for (let year = years[0]; year <= years[1]; year++) select.add(new Option(String(year), String(year)))
    if (chosen && !select.querySelector(`option[value="${CSS.escape(chosen)}"]`)) select.add(new Option(chosen, chosen))
    select.value = chosen
  }
}

async function start() {
  fill('bias_category', CATEGORIES)
  fill('offense_group', GROUPS)
  fill('district', Array.from({ length: 10 }, (_, i) => String(i + 1)))
  // A shared link may hold a list (bias_category=Religion,Multiple) that no single choice matches: keep it as a choice.
  const initial = new URLSearchParams(location.search)
  for (const name of FILTERS) {
    if (!initial.has(name)) continue
    const select = form.elements[name]
    const wanted = initial.getAll(name).join(',')
    if (!select.querySelector(`option[value="${CSS.escape(wanted)}"]`)) select.add(new Option(wanted, wanted))
    select.value = wanted
  }
  form.addEventListener('change', () => load().catch(showError))
  document.querySelector('#reset').addEventListener('click', () => { form.reset(); load().catch(showError) })
  window.addEventListener('resize', () => instances.forEach((chart) => chart.resize()))
  await load()
  const events = new EventSource('/api/events')
  events.addEventListener('lake-changed', () => load().catch(showError))
  events.addEventListener('status', (event) => showStatus(JSON.parse(event.data)))
  events.onopen = () => document.querySelector('#status').classList.add('live')
  events.onerror = () => document.querySelector('#status').classList.remove('live')
}

function showError(error) {
  document.querySelector('#status').textContent = `Error: ${error.message}`
}

start().catch(showError)
