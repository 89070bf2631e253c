// Keyboard access to a chart's own bars, points, cells and states, not only to its table: the chart
// takes focus, the arrow keys move between its items (left and right along the axis, up and down
// between series), the tooltip and highlight follow, a live region reads the item out, and Enter
// or Space lists the incidents behind it as a click does.

const first = (axis) => (Array.isArray(axis) ? axis[0] : axis)
const valueOf = (d) => (Array.isArray(d) ? d[2] : d !== null && typeof d === 'object' ? d.value : d)

/**
 * Every item of an ECharts option a reader can reach, in reading order, each shaped like the event
 * ECharts gives a click (seriesIndex, dataIndex, name, seriesName, data, value). Empty values are
 * skipped: there is nothing behind them.
 */
export function chartItems(option) {
  const x = first(option.xAxis)
  const y = first(option.yAxis)
  const categories = x?.type === 'category' ? x.data : y?.type === 'category' ? y.data : []
  const items = []
  ;(option.series ?? []).forEach((series, seriesIndex) => {
    if (series.keyboard === false) return
    ;(series.data ?? []).forEach((data, dataIndex) => {
      const value = valueOf(data)
      if (value === null || value === undefined || Number.isNaN(value)) return
      const name = series.type === 'map' ? data.name : series.type === 'heatmap' ? `${y.data[data[1]]} ${x.data[data[0]]}` : String(categories[dataIndex] ?? '')
      const position = series.type === 'heatmap' ? data[1] * 100 + data[0] : dataIndex
      items.push({ seriesIndex, dataIndex, name, seriesName: series.name ?? '', data, value, position })
    })
  })
  return items.sort((a, b) => a.position - b.position || a.seriesIndex - b.seriesIndex)
}

/** The item a key moves to from `at` (an index into `items`), or `at` itself. */
function step(items, at, key) {
  if (key === 'Home') return 0
  if (key === 'End') return items.length - 1
  const here = items[at]
  if (key === 'ArrowRight' || key === 'ArrowLeft') {
    const forward = key === 'ArrowRight'
    const positions = [...new Set(items.map((item) => item.position))]
    const next = positions[positions.indexOf(here.position) + (forward ? 1 : -1)]
    if (next === undefined) return at
    const same = items.findIndex((item) => item.position === next && item.seriesIndex === here.seriesIndex)
    return same >= 0 ? same : items.findIndex((item) => item.position === next)
  }
  const column = items.map((item, i) => [item, i]).filter(([item]) => item.position === here.position).map(([, i]) => i)
  const next = column[column.indexOf(at) + (key === 'ArrowDown' ? 1 : -1)]
  return next ?? at
}

const KEYS = new Set(['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'Enter', ' '])

/**
 * Makes a chart box keyboard-operable. `current()` gives the option drawn now and `onEnter(item)`
 * drills to an item; `say(text)` speaks through the card's live region.
 *
 * @example
 * keyboardChart(box, instance, () => section.built.option, (item) => drill(item), (text) => (live.textContent = text))
 */
export function keyboardChart(box, instance, current, onEnter, say) {
  let at = -1
  box.tabIndex = 0
  box.addEventListener('keydown', (event) => {
    if (!KEYS.has(event.key)) return
    const items = chartItems(current())
    if (!items.length) return
    event.preventDefault()
    if (event.key === 'Enter' || event.key === ' ') {
      if (at >= 0 && items[at]) onEnter(items[at])
      return
    }
    const before = items[at]
    at = at < 0 || !before ? 0 : step(items, at, event.key)
    const item = items[at]
    if (before) instance.dispatchAction({ type: 'downplay', seriesIndex: before.seriesIndex, dataIndex: before.dataIndex })
    instance.dispatchAction({ type: 'highlight', seriesIndex: item.seriesIndex, dataIndex: item.dataIndex })
    instance.dispatchAction({ type: 'showTip', seriesIndex: item.seriesIndex, dataIndex: item.dataIndex })
    const series = item.seriesName && item.seriesName !== item.name ? `${item.seriesName}, ` : ''
    say(`${series}${item.name}: ${Number(item.value).toLocaleString('en-US')}. Enter lists the incidents.`)
    box.dataset.item = `${item.seriesIndex}:${item.dataIndex}`
  })
  box.addEventListener('blur', () => {
    at = -1
    instance.dispatchAction({ type: 'hideTip' })
  })
}
