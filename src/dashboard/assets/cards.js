// A chart's card: title, note, the chart (an image to screen readers, with a text description),
// a table of its numbers (shown on request, keyboard-reachable, each row leading to its incidents),
// and exports of the chart as PNG and of its rows as CSV. The chart itself is keyboard-operable
// (chart-keys.js).
import { keyboardChart } from './chart-keys.js'

const instances = new Map()
const number = (n) => (n === null || n === undefined ? '–' : typeof n === 'number' ? n.toLocaleString('en-US') : String(n))
const element = (tag, props = {}) => Object.assign(document.createElement(tag), props)

/** A CSV cell: quoted when it holds a comma, quote or line break. */
const csvCell = (value) => (value === null || value === undefined ? '' : /[",\n\r]/.test(String(value)) ? `"${String(value).replaceAll('"', '""')}"` : String(value))
export const toCsv = (head, rows) => [head, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'

/** Saves a blob or data URL under a file name. */
export function save(href, name) {
  const link = element('a', { href, download: name })
  document.body.append(link)
  link.click()
  link.remove()
}

/** What a screen reader hears for a chart: what it shows, its size, its largest value and where. */
export function describe(title, table, empty) {
  if (empty) return `${title}: no incidents match these filters.`
  const column = table.head.length - 1 >= 1 ? 1 : 0
  const values = table.rows.filter((row) => typeof row[column] === 'number')
  const top = values.reduce((best, row) => (best === null || row[column] > best[column] ? row : best), null)
  const most = top ? ` Largest ${table.head[column]}: ${number(top[column])} for ${top[0]}.` : ''
  return `${title}: chart of ${table.rows.length} rows from ${table.rows[0]?.[0]} to ${table.rows.at(-1)?.[0]}.${most} Use "Table" for every number.`
}

/**
 * Makes a chart's card once, in `container` (the charts' grid unless given); `onDrill` gets the
 * filters of a clicked bar, cell or table row; `fileName` names exports.
 */
export function card(chart, onDrill, fileName, container = document.querySelector('#charts')) {
  const section = element('section', { className: 'card', id: `chart-${chart.id}` })
  section.setAttribute('aria-labelledby', `title-${chart.id}`)
  section.innerHTML = `<div class="card-head"><h2></h2><div class="tools"><button type="button" class="show-table" aria-pressed="false">Table</button>
    <button type="button" class="png">PNG</button><button type="button" class="csv">CSV</button></div></div>
    <p class="note"></p><div class="chart" role="application" aria-roledescription="chart"></div><p class="sr-only" aria-live="polite"></p>
    <p class="empty" hidden>No incidents match these filters.</p><div class="table-view" hidden></div>`
  const title = section.querySelector('h2')
  Object.assign(title, { id: `title-${chart.id}`, textContent: chart.title })
  container.append(section)
  const box = section.querySelector('.chart')
  const instance = echarts.init(box)
  const drillTo = (event) => {
    const drill = section.built?.drill?.(event)
    if (drill) onDrill(drill)
  }
  instance.on('click', drillTo)
  keyboardChart(box, instance, () => section.built.option, drillTo, (text) => { section.querySelector('[aria-live]').textContent = text })
  instances.set(chart.id, instance)
  const toggle = section.querySelector('.show-table')
  toggle.addEventListener('click', () => {
    const shown = toggle.getAttribute('aria-pressed') !== 'true'
    toggle.setAttribute('aria-pressed', String(shown))
    section.querySelector('.table-view').hidden = !shown
  })
  section.querySelector('.png').addEventListener('click', () =>
    save(instance.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' }), `${fileName(chart.id)}.png`))
  section.querySelector('.csv').addEventListener('click', () => {
    const { table } = section.built
    save(URL.createObjectURL(new Blob([toCsv(table.head, table.rows)], { type: 'text/csv' })), `${fileName(chart.id)}.csv`)
  })
  section.onDrill = onDrill
  return section
}

function tableView(section, chart, table) {
  const view = section.querySelector('.table-view')
  const caption = element('caption', { textContent: `${chart.title}: the numbers` })
  const head = element('tr')
  head.append(...[...table.head, 'incidents behind it'].map((text, i) => Object.assign(element('th', { textContent: text, scope: 'col' }), i ? { className: 'n' } : {})))
  const rows = table.rows.map((row, r) => {
    const tr = element('tr')
    tr.append(...row.map((value, i) => (i ? element('td', { className: 'n', textContent: number(value) }) : element('th', { scope: 'row', textContent: String(value) }))))
    const button = element('button', { type: 'button', className: 'drill', textContent: 'Show' })
    button.setAttribute('aria-label', `Show the incidents for ${row[0]}`)
    button.addEventListener('click', () => section.onDrill(table.drills[r]))
    const action = element('td', { className: 'n' })
    action.append(button)
    tr.append(action)
    return tr
  })
  const t = element('table')
  t.append(caption, element('thead'), element('tbody'))
  t.tHead.append(head)
  t.tBodies[0].append(...rows)
  view.replaceChildren(Object.assign(element('div', { className: 'scroll' }), { tabIndex: 0 }))
  view.firstChild.setAttribute('role', 'region')
  view.firstChild.setAttribute('aria-label', `${chart.title} table`)
  view.firstChild.append(t)
}

/** Draws a chart's build on its card: option, note, description, table, and the empty message. */
export function draw(section, chart, built, empty) {
  section.built = built
  section.querySelector('.note').textContent = built.note
  section.dataset.total = String(built.total)
  section.querySelector('.empty').hidden = !empty
  section.querySelector('.chart').setAttribute('aria-label', `${describe(built.title ?? chart.title, built.table, empty)}${empty ? '' : ' Arrow keys move between its bars and points; Enter lists the incidents behind one.'}`)
  tableView(section, chart, built.table)
  // Horizontal bars get a row's height each (option.height is not an ECharts option: it sizes the box).
  const { height, ...option } = built.option
  const box = section.querySelector('.chart')
  const wanted = height ? `${height}px` : ''
  if (box.style.height !== wanted) {
    box.style.height = wanted
    instances.get(chart.id).resize()
  }
  instances.get(chart.id).setOption(option, true)
}

export const resizeCharts = () => instances.forEach((instance) => instance.resize())
