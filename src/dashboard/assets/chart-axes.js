// Axes, grids and time ranges shared by the chart definitions. Every time axis covers the selected
// years (the filter's range within the lake's), with zeros where nothing happened, and the partial
// last year is marked the same way on every yearly chart: a star on its label and a shaded band.
import { MAIN } from './palette.js'

export const sum = (rows, key = 'incidents') => rows.reduce((total, row) => total + Number(row[key] ?? 0), 0)
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Room for axis names; with containLabel the labels get their own room inside. */
export const grid = (context, extra = {}) => ({ left: 52, right: context.narrow ? 12 : 24, top: 48, bottom: 40, containLabel: true, ...extra })
export const legend = { top: 0, type: 'scroll' }

/** Labels are all shown up to 20 (ECharts would skip some), tilted when long or when the chart is narrow. */
export function axis(name, data, context) {
  const long = data.some((label) => String(label).length > 4)
  const rotate = data.length > 20 ? 0 : (context.narrow && data.length > 5) || (data.length > 8 && long) ? (long ? 30 : 45) : 0
  return { type: 'category', name, nameLocation: 'middle', nameGap: rotate ? 44 : 28, data,
    axisLabel: { interval: data.length <= 20 ? 0 : 'auto', rotate, hideOverlap: true } }
}

/** A count axis: whole numbers only (never "0.2 incidents"). */
export const count = (name, nameGap = 60) => ({ type: 'value', name, nameLocation: 'middle', nameGap, minInterval: 1 })

/** The years in view: the filter's range within the lake's, or none when the lake is empty. */
export function yearsInView(context) {
  if (!context.years) return []
  const [from, to] = context.years
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i)
}

/** One row per year in view, `zero` (plus the year) where the answer has none. */
export function everyYear(rows, context, zero = { incidents: 0 }) {
  const byYear = new Map(rows.map((row) => [row.year, row]))
  return yearsInView(context).map((year) => byYear.get(year) ?? { year, ...zero })
}

/** Every calendar month of the years in view, up to the lake's newest month, 0 where none. */
export function everyMonth(rows, context) {
  const byMonth = new Map(rows.map((row) => [row.year * 12 + row.month - 1, row]))
  const last = context.lastMonth ? context.lastMonth.year * 12 + context.lastMonth.month - 1 : Infinity
  return yearsInView(context).flatMap((year) => MONTHS.map((_, m) => year * 12 + m))
    .filter((index) => index <= last)
    .map((index) => byMonth.get(index) ?? { year: Math.floor(index / 12), month: (index % 12) + 1, incidents: 0 })
}

const isPartial = (year, context) => Boolean(context.partial) && Number(year) === context.partial.year

/** A year axis whose partial year reads "2025*". */
export function yearAxis(years, context, name = 'year') {
  const base = axis(name, years, context)
  return { ...base, axisLabel: { ...base.axisLabel, formatter: (year) => (isPartial(year, context) ? `${year}*` : String(year)) } }
}

/** A shaded band over the partial year (on the x axis, or y for the heatmap); nothing when it is out of view. */
export function partialBand(years, context, on = 'xAxis') {
  if (!context.partial || !years.includes(context.partial.year)) return undefined
  const at = String(context.partial.year)
  return { silent: true, itemStyle: { color: 'rgba(75, 85, 99, 0.12)' }, label: { show: !context.narrow, position: 'insideTop', formatter: 'partial', color: '#374151' },
    data: [[{ [on]: at }, { [on]: at }]] }
}

/** The sentence that explains the star, on every yearly chart that shows the partial year. */
export function partialNote(years, context) {
  return context.partial && years.includes(context.partial.year) ? `* ${context.partial.year} is partial: data to ${context.partial.date}.` : ''
}

/** A bar of the partial year drawn lighter. */
export const partialBar = (year, value, context, colour = MAIN) =>
  isPartial(year, context) ? { value, itemStyle: { color: colour, opacity: 0.5 } } : value

/** Bars with one label per row, horizontal for long labels (read top to bottom, largest first). */
export function bars(rows, key, xName, context, { horizontal = false } = {}) {
  const labels = rows.map((row) => String(row[key]))
  const values = rows.map((row) => row.incidents)
  const [x, y] = horizontal ? [count('incidents', 28), { ...axis('', labels.slice().reverse(), context), axisLabel: { interval: 0, width: context.narrow ? 120 : 220, overflow: 'truncate' } }] : [axis(xName, labels, context), count('incidents')]
  const data = horizontal ? values.slice().reverse() : values
  return { height: horizontal ? rowsHeight(rows.length) : undefined, grid: grid(context, horizontal ? { left: 8 } : {}), tooltip: { trigger: 'axis' }, xAxis: x, yAxis: y,
    series: [{ type: 'bar', data, name: 'incidents', itemStyle: { color: MAIN } }] }
}

/** The chart height (px) that gives each row of a horizontal bar chart room for its label. */
export const rowsHeight = (rows) => Math.max(300, 90 + 22 * rows)

/** A note that the rows are the top `n` and any tied with the last of them. */
export const topNote = (rows, n, what) => (rows.length > n ? `Top ${n} ${what} and ties at the ${n}th place (${rows.length} shown).` : `Top ${n} ${what} (ties kept).`)

/**
 * 2021 is the first year the FBI took NIBRS reports only (its summary system ended), a break in its
 * series: a dashed line between 2020 and 2021 on every time axis that crosses them (`labels` are
 * years or YYYY-MM months; `on` the axis, y for the heatmap).
 */
export function seriesBreak(labels, on = 'xAxis') {
  const at = labels.findIndex((label) => String(label).startsWith('2021'))
  if (at <= 0 || !String(labels[at - 1]).startsWith('2020')) return undefined
  return { silent: true, symbol: 'none', lineStyle: { color: '#374151', type: 'dashed', width: 1.5 },
    label: { formatter: 'NIBRS only from 2021', position: on === 'xAxis' ? 'insideEndTop' : 'insideStartTop', color: '#374151' }, data: [{ [on]: at - 0.5 }] }
}

/** The sentence that explains the dashed line, on every chart that draws it. */
export const breakNote = (labels) => (seriesBreak(labels) ? 'Dashed line: from 2021 the FBI took NIBRS reports only, a break in its series.' : '')
