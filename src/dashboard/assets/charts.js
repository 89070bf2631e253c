// Chart definitions: each turns the API's rows into an ECharts option, a note, the total it shows
// (kept on the card as data-total, so a test can check what was drawn), a table of its numbers (the
// table view, the CSV export and the screen-reader text) and the filters a click on a bar or cell
// adds to show the incidents behind it.
import { axis, bars, breakNote, count, everyMonth, everyYear, grid, legend, MONTHS, partialBand, partialBar, partialNote, rowsHeight, seriesBreak, sum, topNote, yearAxis, yearsInView } from './chart-axes.js'
import { colourOf, MAIN, ordered, SECOND } from './palette.js'

const year = (y) => ({ year_from: String(y), year_to: String(y) })
const percent = (part, whole) => (whole ? Math.round((1000 * part) / whole) / 10 : null)
/** A table of label and incidents rows, each row drilling to its label. */
const simpleTable = (rows, key, head, drillKey) => ({ head: [head, 'incidents'], rows: rows.map((r) => [r[key], r.incidents]), drills: rows.map((r) => ({ [drillKey]: String(r[key]) })) })

/** One stacked series per category over `xs`, in the category's fixed colour, `percent` of each x's total. */
function stacked(rows, xKey, seriesKey, xs, kind, { share = false } = {}) {
  const names = ordered(kind, [...new Set(rows.map((row) => row[seriesKey]))])
  const totals = new Map(xs.map((x) => [x, sum(rows.filter((row) => row[xKey] === x))]))
  const series = names.map((name) => ({
    name, type: 'bar', stack: 'all', emphasis: { focus: 'series' }, itemStyle: { color: colourOf(name), borderColor: '#ffffff', borderWidth: 1 },
    data: xs.map((x) => {
      const n = sum(rows.filter((row) => row[xKey] === x && row[seriesKey] === name))
      return share ? percent(n, totals.get(x)) ?? 0 : n
    }),
  }))
  return { series, names }
}

/** A chart over the years in view with one bar series per measure (the first in the main colour); `zero` fills other columns of an empty year. */
function yearlyBars(rows, context, measures, zero = {}) {
  const years = yearsInView(context)
  const filled = everyYear(rows, context, { ...zero, ...Object.fromEntries(measures.map(([key]) => [key, 0])) })
  const series = measures.map(([key, name], i) => ({ name, type: 'bar', itemStyle: { color: i ? SECOND : MAIN },
    markArea: i ? undefined : partialBand(years, context), markLine: i ? undefined : seriesBreak(years), data: filled.map((r) => partialBar(r.year, r[key], context, i ? SECOND : MAIN)) }))
  return { years, filled, series }
}

export const CHARTS = [
  { id: 'by_year', title: 'Incidents per year', build: ({ by_year, year_to_date }, context) => {
    const { years, filled, series } = yearlyBars(by_year, context, [['incidents', 'incidents']])
    const { partial } = context
    // The partial year's change compares the same dates of both years (year to date), not a part with a whole.
    const counts = (y) => everyYear(partial && y === partial.year ? year_to_date : by_year, context)
    const change = filled.map((row, i) => {
      if (i === 0) return null
      const [now, before] = [row.year, row.year - 1].map((y) => counts(row.year).find((c) => c.year === y)?.incidents ?? 0)
      return before ? Math.round((100 * (now - before)) / before) : null
    })
    const note = `${partial && years.includes(partial.year) ? `${partialNote(years, context)} Drawn lighter; its change compares the same dates of ${partial.year - 1}.` : ''} ${breakNote(years)}`.trim()
    return { total: sum(filled), note,
      table: { head: ['year', 'incidents', 'change from the year before (%)'], rows: filled.map((r, i) => [r.year, r.incidents, change[i]]), drills: filled.map((r) => year(r.year)) },
      drill: (event) => year(years[event.dataIndex]),
      option: { grid: grid(context), tooltip: { trigger: 'axis' }, legend, xAxis: yearAxis(years, context),
        yAxis: [count('incidents'), { type: 'value', name: 'change %', axisLabel: { formatter: '{value}%' } }],
        series: [...series, { name: 'year-over-year change', type: 'line', yAxisIndex: 1, itemStyle: { color: SECOND }, data: change }] } }
  } },
  { id: 'year_to_date', title: 'Year to date, every year cut at the same date', build: ({ year_to_date }, context) => {
    const { years, filled, series } = yearlyBars(year_to_date, context, [['incidents', 'incidents']])
    const cut = context.partial ? `${MONTHS[Number(context.partial.date.slice(5, 7)) - 1]} ${Number(context.partial.date.slice(8))}` : 'Dec 31'
    return { total: sum(filled), note: `Each year counted from Jan 1 to ${cut}, the date of the newest incident. ${partialNote(years, context)} ${breakNote(years)}`.trim(),
      table: { head: ['year', `incidents Jan 1 to ${cut}`], rows: filled.map((r) => [r.year, r.incidents]), drills: filled.map((r) => year(r.year)) },
      drill: (event) => year(years[event.dataIndex]),
      option: { grid: grid(context), tooltip: { trigger: 'axis' }, xAxis: yearAxis(years, context), yAxis: count('incidents'), series } }
  } },
  { id: 'by_month', title: 'Monthly incidents and rolling 12-month sum', build: ({ by_month }, context) => {
    const months = everyMonth(by_month, context)
    const labels = months.map((r) => `${r.year}-${String(r.month).padStart(2, '0')}`)
    // Every calendar month is present (0 when none), so twelve entries are twelve months.
    const rolling = months.map((_, i) => (i >= 11 ? sum(months.slice(i - 11, i + 1)) : null))
    const drillAt = (i) => ({ ...year(months[i].year), month: String(months[i].month) })
    return { total: sum(months), note: `The rolling sum starts once twelve months are in view. ${breakNote(labels)}`.trim(),
      table: { head: ['month', 'incidents', 'rolling 12-month sum'], rows: months.map((r, i) => [labels[i], r.incidents, rolling[i]]), drills: months.map((_, i) => drillAt(i)) },
      drill: (event) => drillAt(event.dataIndex),
      option: { grid: grid(context), tooltip: { trigger: 'axis' }, legend, xAxis: axis('month', labels, context), yAxis: [count('incidents per month'), { ...count(context.narrow ? '' : '12-month sum', 40), nameLocation: 'end' }],
        series: [{ name: 'per month', type: 'bar', itemStyle: { color: MAIN }, markLine: seriesBreak(labels), data: months.map((r) => r.incidents) },
          { name: 'rolling 12 months', type: 'line', yAxisIndex: 1, showSymbol: false, itemStyle: { color: SECOND }, data: rolling }] } }
  } },
  { id: 'bias_category_by_year', title: 'Bias category share per year', build: ({ bias_category_by_year }, context) => {
    const years = yearsInView(context)
    const { series, names } = stacked(bias_category_by_year, 'year', 'bias_category', years, 'bias_category', { share: true })
    if (series[0]) Object.assign(series[0], { markArea: partialBand(years, context), markLine: seriesBreak(years) })
    const n = (y, name) => sum(bias_category_by_year.filter((r) => r.year === y && r.bias_category === name))
    return { total: sum(bias_category_by_year), note: `FBI categories; "Multiple" = an incident whose biases span categories. A year without incidents shows no bar. ${partialNote(years, context)} ${breakNote(years)}`.trim(),
      table: { head: ['year', ...names.map((name) => `${name} (incidents)`)], rows: years.map((y) => [y, ...names.map((name) => n(y, name))]), drills: years.map(year) },
      drill: (event) => ({ ...year(years[event.dataIndex]), bias_category: event.seriesName }),
      option: { grid: grid(context, { top: context.narrow ? 56 : 16, right: context.narrow ? 12 : 170 }), tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
        legend: context.narrow ? legend : { orient: 'vertical', right: 0, top: 'middle' },
        xAxis: yearAxis(years, context), yAxis: { ...count('share of incidents'), max: 100, axisLabel: { formatter: '{value}%' } }, series } }
  } },
  { id: 'top_biases', title: 'Top specific biases', build: ({ top_biases }, context) => ({
    total: sum(top_biases), note: `${topNote(top_biases, 15, 'biases')} A multiple-bias incident counts under each of its biases.`,
    table: simpleTable(top_biases, 'bias', 'bias', 'bias'), drill: (event) => ({ bias: event.name }),
    option: bars(top_biases, 'bias', 'bias', context, { horizontal: true }),
  }) },
  { id: 'offenses', title: 'Offenses by crimes against persons, property and society', build: ({ offenses }, context) => {
    const rows = offenses.map((r) => ({ ...r, against: r.against ?? 'Unknown' })).slice().reverse()
    const groups = ordered('against', [...new Set(rows.map((r) => r.against))])
    // One series per group, each bar in exactly one: the legend names the groups, the axis the offenses.
    const series = groups.map((group) => ({ name: group, type: 'bar', stack: 'all', itemStyle: { color: colourOf(group) }, data: rows.map((r) => (r.against === group ? r.incidents : null)) }))
    return { total: sum(offenses), note: 'NIBRS offenses; an incident with several offenses counts under each.',
      table: { head: ['offense', 'crimes against', 'incidents'], rows: offenses.map((r) => [r.offense, r.against ?? 'Unknown', r.incidents]), drills: offenses.map((r) => ({ offense: r.offense })) },
      drill: (event) => ({ offense: event.name }),
      option: { height: rowsHeight(rows.length), grid: grid(context, { left: 8 }), tooltip: { trigger: 'item' }, legend, yAxis: { ...axis('', rows.map((r) => r.offense), context), axisLabel: { interval: 0, width: context.narrow ? 120 : 220, overflow: 'truncate' } }, xAxis: count('incidents', 28), series } }
  } },
  { id: 'locations', title: 'Location types', build: ({ locations }, context) => ({ total: sum(locations), note: `${topNote(locations, 15, 'NIBRS location types')}`,
    table: simpleTable(locations, 'location', 'location', 'location'), drill: (event) => ({ location: event.name }),
    option: bars(locations, 'location', 'location', context, { horizontal: true }) }) },
  { id: 'offender_race', title: 'Offender race by ethnicity', build: ({ offender_race }, context) => {
    const races = [...new Set(offender_race.map((r) => r.race))]
    const { series } = stacked(offender_race, 'race', 'ethnicity', races, 'ethnicity')
    const total = sum(offender_race)
    const unknown = sum(offender_race.filter((r) => r.race === 'Unknown'))
    return { total, note: `Race unknown in ${total ? Math.round((100 * unknown) / total) : 0}% of incidents.`,
      table: { head: ['offender race', 'offender ethnicity', 'incidents'], rows: offender_race.map((r) => [r.race, r.ethnicity, r.incidents]), drills: offender_race.map((r) => ({ race: r.race, ethnicity: r.ethnicity })) },
      drill: (event) => ({ race: event.name, ethnicity: event.seriesName }),
      option: { grid: grid(context), tooltip: { trigger: 'axis' }, legend, xAxis: axis('offender race', races, context), yAxis: count('incidents'), series } }
  } },
  { id: 'juvenile_share', title: 'Share of incidents with a juvenile offender', build: ({ juvenile_share }, context) => {
    const years = yearsInView(context)
    const filled = everyYear(juvenile_share, context, { known: 0, juvenile: 0 })
    const share = filled.map((r) => percent(r.juvenile, r.known))
    return { total: sum(filled, 'known'), note: `Only incidents where the offender counts are known; unknown counts are not zero. A year with none known shows no point. ${partialNote(years, context)} ${breakNote(years)}`.trim(),
      table: { head: ['year', 'incidents with known offender counts', 'with a juvenile offender', 'share (%)'], rows: filled.map((r, i) => [r.year, r.known, r.juvenile, share[i]]), drills: filled.map((r) => year(r.year)) },
      drill: (event) => year(years[event.dataIndex]),
      option: { grid: grid(context), tooltip: { trigger: 'axis' }, xAxis: yearAxis(years, context), yAxis: { type: 'value', name: 'share', nameLocation: 'middle', nameGap: 60, axisLabel: { formatter: '{value}%' } },
        series: [{ type: 'line', name: 'juvenile share', itemStyle: { color: MAIN }, markArea: partialBand(years, context), markLine: seriesBreak(years), data: share }] } }
  } },
  { id: 'victims_by_year', title: 'Victims per year', build: ({ victims_by_year }, context) => {
    const { years, filled, series } = yearlyBars(victims_by_year, context, [['victims', 'all victims'], ['juvenile', 'under 18']], { unknown: 0 })
    return { total: sum(filled, 'victims'), note: `${sum(filled, 'unknown')} incidents have an unknown victim count and are not in the sums; each incident's victims count once. ${partialNote(years, context)} ${breakNote(years)}`.trim(),
      table: { head: ['year', 'victims', 'under 18', 'incidents with an unknown count'], rows: filled.map((r) => [r.year, r.victims, r.juvenile, r.unknown]), drills: filled.map((r) => year(r.year)) },
      drill: (event) => year(years[event.dataIndex]),
      option: { grid: grid(context), tooltip: { trigger: 'axis' }, legend, xAxis: yearAxis(years, context), yAxis: count('victims'), series } }
  } },
  { id: 'day_of_week', title: 'Day of week', build: ({ day_of_week }, context) => ({ total: sum(day_of_week), note: 'Recomputed from the incident date.',
    table: simpleTable(day_of_week, 'day_of_week', 'day', 'day_of_week'), drill: (event) => ({ day_of_week: event.name }), option: bars(day_of_week, 'day_of_week', 'day', context) }) },
  { id: 'heatmap', title: 'Year by month', build: ({ by_month }, context) => {
    const years = yearsInView(context)
    const months = everyMonth(by_month, context)
    const max = Math.max(1, ...months.map((r) => r.incidents))
    const at = (y, m) => months.find((r) => r.year === y && r.month === m)
    return { total: sum(months), note: `Darker = more incidents. ${partialNote(years, context)} ${breakNote(years)}`.trim(),
      table: { head: ['year', ...MONTHS], rows: years.map((y) => [y, ...MONTHS.map((_, m) => at(y, m + 1)?.incidents ?? null)]), drills: years.map(year) },
      drill: (event) => ({ ...year(years[event.data[1]]), month: String(event.data[0] + 1) }),
      option: { grid: grid(context), tooltip: {}, xAxis: axis('month', MONTHS, context), yAxis: { ...yearAxis(years, context), nameGap: 44 },
        visualMap: { min: 0, max, orient: 'horizontal', left: 'center', bottom: 0, show: false, inRange: { color: ['#EFF6FF', '#1E3A8A'] } },
        series: [{ type: 'heatmap', data: months.map((r) => [r.month - 1, years.indexOf(r.year), r.incidents]), label: { show: !context.narrow }, markArea: partialBand(years, context, 'yAxis'), markLine: seriesBreak(years, 'yAxis') }] } }
  } },
  { id: 'districts', title: 'Council district', build: ({ districts }, context) => ({ total: sum(districts), note: '',
    table: simpleTable(districts, 'district', 'district', 'council_district'), drill: (event) => ({ council_district: event.name }), option: bars(districts, 'district', 'district', context) }) },
  { id: 'sectors', title: 'APD sector', build: ({ sectors }, context) => ({ total: sum(sectors), note: 'Airport and University of Texas are not patrol sectors.',
    table: simpleTable(sectors, 'sector', 'sector', 'sector'), drill: (event) => ({ sector: event.name }), option: bars(sectors, 'sector', 'sector', context) }) },
  { id: 'zip_codes', title: 'Zip codes', build: ({ zip_codes }, context) => ({ total: sum(zip_codes), note: topNote(zip_codes, 15, 'zip codes'),
    table: simpleTable(zip_codes, 'zip_code', 'zip code', 'zip_code'), drill: (event) => ({ zip_code: event.name }), option: bars(zip_codes, 'zip_code', 'zip', context, { horizontal: true }) }) },
  { id: 'bias_by_offense', title: 'Bias category by offense group', build: ({ bias_by_offense, totals }, context) => {
    const categories = ordered('bias_category', [...new Set(bias_by_offense.map((r) => r.bias_category))])
    const { series } = stacked(bias_by_offense, 'bias_category', 'against', categories, 'against')
    const incidents = totals[0]?.incidents ?? 0
    const counted = sum(bias_by_offense)
    const why = counted > incidents ? `, so the bars add up to ${counted}, more than the ${incidents} incidents` : ''
    return { total: counted, note: `Crimes against persons, property and society per bias category. An incident with offenses in two groups counts in each${why}.`,
      table: { head: ['bias category', 'crimes against', 'incidents'], rows: bias_by_offense.map((r) => [r.bias_category, r.against, r.incidents]), drills: bias_by_offense.map((r) => ({ bias_category: r.bias_category, against: r.against })) },
      drill: (event) => ({ bias_category: event.name, against: event.seriesName }),
      option: { grid: grid(context), tooltip: { trigger: 'axis' }, legend, xAxis: { ...axis('bias category', categories, context), nameGap: 72, axisLabel: { interval: 0, rotate: context.narrow ? 45 : 20 } }, yAxis: count('incidents'), series } }
  } },
]
