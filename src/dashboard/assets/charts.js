// Chart definitions: each turns the API's rows into an ECharts option, a caveat note and the total
// it shows (kept on the card as data-total, so a test can check what was drawn).
const sum = (rows, key = 'incidents') => rows.reduce((total, row) => total + Number(row[key] ?? 0), 0)
// Up to 20 categories, every one is labelled (ECharts would skip some), tilted when long and many.
const tilted = (data) => data.length > 8 && data.length <= 20 && data.some((label) => String(label).length > 4)
const axis = (name, data) => ({ type: 'category', name, nameLocation: 'middle', nameGap: tilted(data) ? 44 : 28, data,
  axisLabel: data.length <= 20 ? { interval: 0, rotate: tilted(data) ? 30 : 0 } : {} })
// With containLabel, the axis line sits past the widest tick label; a name gap of grid.left + 8
// puts the axis name just left of the labels for labels up to about 45 px wide ("100,000").
const value = (name, nameGap = 60) => ({ type: 'value', name, nameLocation: 'middle', nameGap })
const grid = { left: 52, right: 24, top: 48, bottom: 40, containLabel: true }
const legend = { top: 0, type: 'scroll' }
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Every year from the first row's to the last's, 0 where none: a year without incidents is a zero, not a gap. */
function everyYear(rows) {
  if (!rows.length) return []
  const first = rows[0].year
  return Array.from({ length: rows.at(-1).year - first + 1 }, (_, i) => rows.find((r) => r.year === first + i) ?? { year: first + i, incidents: 0 })
}

/** Every calendar month from the first row's to the last's, 0 where none (rows come ordered by year and month). */
function everyMonth(rows) {
  if (!rows.length) return []
  const index = (r) => r.year * 12 + r.month - 1
  const first = index(rows[0])
  const byIndex = new Map(rows.map((r) => [index(r), r]))
  return Array.from({ length: index(rows.at(-1)) - first + 1 }, (_, i) =>
    byIndex.get(first + i) ?? { year: Math.floor((first + i) / 12), month: ((first + i) % 12) + 1, incidents: 0 })
}

function bars(rows, key, xName, { horizontal = false } = {}) {
  const labels = rows.map((row) => String(row[key]))
  const values = rows.map((row) => row.incidents)
  const [x, y] = horizontal ? [value('incidents', 28), { ...axis('', labels.slice().reverse()), axisLabel: {} }] : [axis(xName, labels), value('incidents')]
  const data = horizontal ? values.slice().reverse() : values
  return { grid: { ...grid, left: horizontal ? 8 : grid.left }, tooltip: { trigger: 'axis' }, xAxis: x, yAxis: y, series: [{ type: 'bar', data, name: 'incidents' }] }
}

/** Groups rows into one series per `seriesKey` over the categories `xs`, for stacked bars. */
function stacked(rows, xKey, seriesKey, xs, { percent = false } = {}) {
  const names = [...new Set(rows.map((row) => row[seriesKey]))]
  const totals = Object.fromEntries(xs.map((x) => [x, sum(rows.filter((row) => row[xKey] === x))]))
  const series = names.map((name) => ({
    name, type: 'bar', stack: 'all', emphasis: { focus: 'series' },
    data: xs.map((x) => {
      const n = sum(rows.filter((row) => row[xKey] === x && row[seriesKey] === name))
      return percent && totals[x] ? Math.round((1000 * n) / totals[x]) / 10 : n
    }),
  }))
  return { series, names }
}

export const CHARTS = [
  { id: 'by_year', title: 'Incidents per year', build: ({ by_year, year_to_date }, { partial }) => {
    const years = everyYear(by_year)
    // The partial year's change compares the same days of both years (year to date), not a part with a whole.
    const counts = (year) => (partial && year === partial.year ? everyYear(year_to_date) : years)
    const yoy = years.map((row, i) => {
      if (i === 0) return null
      const [now, before] = [row.year, row.year - 1].map((year) => counts(row.year).find((c) => c.year === year)?.incidents ?? 0)
      return before ? Math.round((100 * (now - before)) / before) : null
    })
    const bar = (row) => (partial && row.year === partial.year ? { value: row.incidents, itemStyle: { opacity: 0.45 } } : row.incidents)
    return {
      total: sum(years), note: partial ? `${partial.year} is partial (data to ${partial.date}), drawn lighter; its change compares the same days of ${partial.year - 1}.` : '',
      option: { grid, tooltip: { trigger: 'axis' }, legend, xAxis: axis('year', years.map((r) => r.year)),
        yAxis: [value('incidents'), { type: 'value', name: 'change %', axisLabel: { formatter: '{value}%' } }],
        series: [{ name: 'incidents', type: 'bar', data: years.map(bar) }, { name: 'year-over-year change', type: 'line', yAxisIndex: 1, data: yoy }] },
    }
  } },
  { id: 'year_to_date', title: 'Year to date, every year cut at the same day', build: ({ year_to_date }, { partial }) => ({
    total: sum(year_to_date), note: partial ? `Each year counted from Jan 1 to ${partial.date.slice(5)} (month-day), the newest incident.` : 'Each year counted to the day of year of the newest incident.',
    option: bars(year_to_date, 'year', 'year'),
  }) },
  { id: 'by_month', title: 'Monthly incidents and rolling 12-month sum', build: ({ by_month }) => {
    const months = everyMonth(by_month)
    const labels = months.map((r) => `${r.year}-${String(r.month).padStart(2, '0')}`)
    // Every calendar month is present (0 when none), so twelve entries are twelve months.
    const rolling = months.map((_, i) => (i >= 11 ? sum(months.slice(i - 11, i + 1)) : null))
    return { total: sum(months), note: 'The rolling sum starts once twelve months are in view.', option: { grid, tooltip: { trigger: 'axis' }, legend,
      xAxis: axis('month', labels), yAxis: [value('incidents per month'), { type: 'value', name: '12-month sum' }],
      series: [{ name: 'per month', type: 'bar', data: months.map((r) => r.incidents) }, { name: 'rolling 12 months', type: 'line', yAxisIndex: 1, showSymbol: false, data: rolling }] } }
  } },
  { id: 'bias_category_by_year', title: 'Bias category share per year', build: ({ bias_category_by_year }) => {
    const years = [...new Set(bias_category_by_year.map((r) => r.year))]
    const { series } = stacked(bias_category_by_year, 'year', 'bias_category', years, { percent: true })
    return { total: sum(bias_category_by_year), note: 'FBI categories; "Multiple" = an incident whose biases span categories.',
      option: { grid: { ...grid, top: 16, right: 170 }, tooltip: { trigger: 'axis' }, legend: { orient: 'vertical', right: 0, top: 'middle' },
        xAxis: axis('year', years), yAxis: { ...value('share of incidents'), max: 100, axisLabel: { formatter: '{value}%' } }, series } }
  } },
  { id: 'top_biases', title: 'Top specific biases', build: ({ top_biases }) => ({
    total: sum(top_biases), note: 'A multiple-bias incident counts under each of its biases.', option: bars(top_biases, 'bias', 'bias', { horizontal: true }),
  }) },
  { id: 'offenses', title: 'Offenses by crimes against persons, property and society', build: ({ offenses }) => {
    const rows = offenses.map((r) => ({ ...r, against: r.against ?? 'Unknown' })).slice().reverse()
    const groups = [...new Set(rows.map((r) => r.against))].sort()
    // One series per group, each bar in exactly one: the legend names the groups, the axis the offenses.
    const series = groups.map((group) => ({ name: group, type: 'bar', stack: 'all', data: rows.map((r) => (r.against === group ? r.incidents : null)) }))
    return { total: sum(offenses), note: 'NIBRS offenses; an incident with several offenses counts under each.',
      option: { grid: { ...grid, left: 8 }, tooltip: { trigger: 'item' }, legend, yAxis: { ...axis('', rows.map((r) => r.offense)), axisLabel: {} }, xAxis: value('incidents', 28), series } }
  } },
  { id: 'locations', title: 'Location types', build: ({ locations }) => ({ total: sum(locations), note: 'Top 15 NIBRS location types.', option: bars(locations, 'location', 'location', { horizontal: true }) }) },
  { id: 'offender_race', title: 'Offender race by ethnicity', build: ({ offender_race }) => {
    const races = [...new Set(offender_race.map((r) => r.race))]
    const { series } = stacked(offender_race, 'race', 'ethnicity', races)
    const total = sum(offender_race)
    const unknown = sum(offender_race.filter((r) => r.race === 'Unknown'))
    return { total, note: `Race unknown in ${total ? Math.round((100 * unknown) / total) : 0}% of incidents.`,
      option: { grid, tooltip: { trigger: 'axis' }, legend, xAxis: axis('offender race', races), yAxis: value('incidents'), series } }
  } },
  { id: 'juvenile_share', title: 'Share of incidents with a juvenile offender', build: ({ juvenile_share }) => ({
    total: sum(juvenile_share, 'known'), note: 'Only incidents where the offender counts are known; unknown counts are not zero.',
    option: { grid, tooltip: { trigger: 'axis' }, xAxis: axis('year', juvenile_share.map((r) => r.year)), yAxis: { ...value('share'), axisLabel: { formatter: '{value}%' } },
      series: [{ type: 'line', name: 'juvenile share', data: juvenile_share.map((r) => (r.known ? Math.round((1000 * r.juvenile) / r.known) / 10 : null)) }] },
  }) },
  { id: 'victims_by_year', title: 'Victims per year', build: ({ victims_by_year }) => ({
    total: sum(victims_by_year, 'victims'), note: `${sum(victims_by_year, 'unknown')} incidents have an unknown victim count and are not in the sums; each incident's victims count once.`,
    option: { grid, tooltip: { trigger: 'axis' }, legend, xAxis: axis('year', victims_by_year.map((r) => r.year)), yAxis: value('victims'),
      series: [{ name: 'all victims', type: 'bar', data: victims_by_year.map((r) => r.victims) }, { name: 'under 18', type: 'bar', data: victims_by_year.map((r) => r.juvenile) }] },
  }) },
  { id: 'day_of_week', title: 'Day of week', build: ({ day_of_week }) => ({ total: sum(day_of_week), note: 'Recomputed from the incident date.', option: bars(day_of_week, 'day_of_week', 'day') }) },
  { id: 'heatmap', title: 'Year by month', build: ({ by_month }) => {
    const years = [...new Set(by_month.map((r) => r.year))]
    const max = Math.max(1, ...by_month.map((r) => r.incidents))
    return { total: sum(by_month), note: 'Darker = more incidents.', option: { grid, tooltip: {}, xAxis: axis('month', MONTHS), yAxis: { ...axis('year', years), nameGap: 44 },
      visualMap: { min: 0, max, orient: 'horizontal', left: 'center', bottom: 0, show: false },
      series: [{ type: 'heatmap', data: by_month.map((r) => [r.month - 1, years.indexOf(r.year), r.incidents]), label: { show: true } }] } }
  } },
  { id: 'districts', title: 'Council district', build: ({ districts }) => ({ total: sum(districts), note: '', option: bars(districts, 'district', 'district') }) },
  { id: 'sectors', title: 'APD sector', build: ({ sectors }) => ({ total: sum(sectors), note: 'Airport and University of Texas are not patrol sectors.', option: bars(sectors, 'sector', 'sector') }) },
  { id: 'zip_codes', title: 'Zip codes', build: ({ zip_codes }) => ({ total: sum(zip_codes), note: 'Top 15.', option: bars(zip_codes, 'zip_code', 'zip', { horizontal: true }) }) },
  { id: 'bias_by_offense', title: 'Bias category by offense group', build: ({ bias_by_offense }) => {
    const categories = [...new Set(bias_by_offense.map((r) => r.bias_category))]
    const { series } = stacked(bias_by_offense, 'bias_category', 'against', categories)
    return { total: sum(bias_by_offense), note: 'Crimes against persons, property, society, per bias category.',
      option: { grid, tooltip: { trigger: 'axis' }, legend, xAxis: { ...axis('bias category', categories), nameGap: 72, axisLabel: { interval: 0, rotate: 20 } }, yAxis: value('incidents'), series } }
  } },
]
