import { CHARTS } from './charts.js'

const form = document.querySelector('#filters')
const FILTERS = ['year_from', 'year_to', 'bias_category', 'offense_group', 'district']
const CATEGORIES = ['Race/Ethnicity/Ancestry', 'Religion', 'Sexual Orientation', 'Disability', 'Gender', 'Gender Identity', 'Multiple', 'Unknown']
const GROUPS = ['Persons', 'Property', 'Society', 'Multiple', 'Unknown']
const instances = new Map()
const number = (n) => Number(n ?? 0).toLocaleString('en-US')

function fill(name, values, label = (v) => v) {
  const select = form.elements[name]
  for (const v of values) select.add(new Option(label(v), v))
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

function qualityCard(charts, status) {
  const section = document.querySelector('#chart-quality') ?? Object.assign(document.createElement('section'), { className: 'card', id: 'chart-quality' })
  const flags = charts.quality_flags.map((r) => `<tr><td>${r.flag}</td><td class="n">${number(r.rows)}</td></tr>`).join('')
  const dead = charts.dead_letters.map((r) => `<tr><td>${r.stage}: ${r.code}</td><td class="n">${number(r.rows)}</td></tr>`).join('')
  section.innerHTML = `<h2>Data quality</h2><p class="note">Flags on rows in the lake (unmapped values keep their raw text); dead letters never reached it.</p>
    <table><tr><th>flag</th><th>rows</th></tr>${flags || '<tr><td>none</td><td class="n">0</td></tr>'}
    <tr><th>dead letters</th><th>${number(status.deadLetters)}</th></tr>${dead}</table>`
  section.dataset.total = String(charts.quality_flags.reduce((n, r) => n + r.rows, 0))
  document.querySelector('#charts').append(section)
}

function partialYear(totals) {
  if (!totals.last_date || totals.last_date.slice(5) >= '12-01') return null
  return { year: Number(totals.last_date.slice(0, 4)), date: totals.last_date }
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
  const [totals] = charts.totals
  document.querySelector('#kpi-incidents').textContent = number(totals.incidents)
  document.querySelector('#kpi-rows').textContent = number(totals.rows)
  document.querySelector('#kpi-range').textContent = totals.first_date ? `${totals.first_date} – ${totals.last_date}` : '–'
  document.querySelector('#kpi-dead').textContent = number(status.deadLetters)
  const context = { partial: partialYear(totals) }
  for (const chart of CHARTS) {
    const section = document.querySelector(`#chart-${chart.id}`) ?? card(chart)
    const { option, note, total } = chart.build(charts, context)
    section.querySelector('.note').textContent = note
    section.dataset.total = String(total)
    instances.get(chart.id).setOption(option, true)
  }
  qualityCard(charts, status)
  showStatus(status)
  document.body.dataset.version = status.version
}

function showStatus(status, lag) {
  const element = document.querySelector('#status')
  const parts = [`${number(status.rows)} rows in ${number(status.files)} files`, `${number(status.deadLetters)} dead letters`]
  if (status.lastFile) parts.push(`last file ${status.lastFile} at ${new Date(status.lastModified).toLocaleTimeString()}`)
  if (lag !== undefined && lag !== null) parts.push(`Kafka lag ${number(lag)}`)
  element.textContent = parts.join(' · ')
}

async function start() {
  const years = Array.from({ length: new Date().getFullYear() - 2009 }, (_, i) => 2010 + i)
  fill('year_from', ['', ...years], (v) => v || 'first')
  fill('year_to', ['', ...years], (v) => v || 'last')
  fill('bias_category', CATEGORIES)
  fill('offense_group', GROUPS)
  fill('district', Array.from({ length: 10 }, (_, i) => String(i + 1)))
  const initial = new URLSearchParams(location.search)
  for (const name of FILTERS) if (initial.has(name)) form.elements[name].value = initial.get(name)
  form.addEventListener('change', () => load().catch(showError))
  document.querySelector('#reset').addEventListener('click', () => { form.reset(); load().catch(showError) })
  window.addEventListener('resize', () => instances.forEach((chart) => chart.resize()))
  await load()
  const events = new EventSource('/api/events')
  events.addEventListener('lake-changed', () => load().catch(showError))
  events.onopen = () => document.querySelector('#status').classList.add('live')
  setInterval(async () => {
    const status = await (await fetch('/api/status')).json()
    showStatus(status, status.lag)
  }, 10_000)
}

function showError(error) {
  document.querySelector('#status').textContent = `Error: ${error.message}`
}

start().catch(showError)
