import { test } from 'node:test'
import assert from 'node:assert/strict'

/** The page's chart definitions (a browser module without DOM use at load, so Node imports it as is). */
interface Context { partial: { year: number; date: string } | null; years: [number, number] | null; lastMonth: { year: number; month: number } | null; narrow: boolean }
interface Axis { data: unknown[]; minInterval?: number; axisLabel: { formatter?: (value: unknown) => string } }
interface Built {
  total: number
  note: string
  table: { head: string[]; rows: unknown[][]; drills: Record<string, string>[] }
  drill: (event: object) => Record<string, string>
  option: { xAxis: Axis; yAxis: Axis | Axis[]; series: { name: string; data: unknown[]; markArea?: { data: unknown[] }; itemStyle?: { color: string } }[] }
}
interface PageChart { id: string; build(charts: Record<string, object[]>, context: Context): Built }
const page = new URL('../../src/dashboard/assets/charts.js', import.meta.url).href
const { CHARTS } = (await import(page)) as { CHARTS: PageChart[] }
const chart = (id: string) => CHARTS.find((c) => c.id === id)!
const context = (years: [number, number] | null, partial: Context['partial'] = null, lastMonth: Context['lastMonth'] = null): Context => ({ partial, years, lastMonth, narrow: false })
const NONE = { by_year: [], year_to_date: [], by_month: [], bias_category_by_year: [], juvenile_share: [], victims_by_year: [], top_biases: [], offenses: [], locations: [],
  offender_race: [], day_of_week: [], districts: [], sectors: [], zip_codes: [], bias_by_offense: [], totals: [{ incidents: 0 }] }
const YEARLY = ['by_year', 'year_to_date', 'bias_category_by_year', 'juvenile_share', 'victims_by_year']

test('the rolling 12-month sum runs over calendar months, counting months without incidents as zero', () => {
  const by_month = [
    { year: 2017, month: 1, incidents: 1 },
    { year: 2017, month: 3, incidents: 2 },
    { year: 2018, month: 1, incidents: 1 },
    { year: 2018, month: 2, incidents: 5 },
  ]
  const { option, total } = chart('by_month').build({ by_month }, context([2017, 2018], null, { year: 2018, month: 2 }))
  assert.equal(option.xAxis.data.length, 14, 'January 2017 to February 2018, the newest month')
  assert.equal(option.xAxis.data[1], '2017-02')
  const [perMonth, rolling] = option.series.map((s) => s.data)
  assert.deepEqual(perMonth, [1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 5])
  assert.deepEqual(rolling.slice(10), [null, 3, 3, 8], 'Dec 2017: Jan-Dec; Jan 2018: Feb 2017-Jan 2018; Feb 2018: Mar 2017-Feb 2018')
  assert.equal(total, 9)
})

test('incidents per year show a year without incidents as zero, and the partial year\'s change to date', () => {
  const by_year = [{ year: 2019, incidents: 10 }, { year: 2021, incidents: 5 }, { year: 2022, incidents: 4 }]
  const year_to_date = [{ year: 2019, incidents: 2 }, { year: 2021, incidents: 2 }, { year: 2022, incidents: 4 }]
  const partial = { year: 2022, date: '2022-03-01' }
  const { option, note, total } = chart('by_year').build({ by_year, year_to_date }, context([2019, 2022], partial))
  assert.deepEqual(option.xAxis.data, [2019, 2020, 2021, 2022])
  const [bars, change] = option.series.map((s) => s.data)
  assert.deepEqual(bars, [10, 0, 5, { value: 4, itemStyle: { color: '#1D4ED8', opacity: 0.5 } }], 'the partial year is drawn lighter')
  assert.deepEqual(change, [null, -100, null, 100], '2021 has no change from zero; 2022 compares Jan 1-Mar 1 of both years (4 against 2)')
  assert.match(note, /^\* 2022 is partial: data to 2022-03-01\. Drawn lighter;/)
  assert.equal(total, 19)
})

test('every yearly chart covers the selected years, zeros where nothing happened, and marks the partial year', () => {
  const rows = {
    ...NONE,
    by_year: [{ year: 2018, incidents: 3 }, { year: 2023, incidents: 1 }],
    year_to_date: [{ year: 2018, incidents: 1 }],
    bias_category_by_year: [{ year: 2018, bias_category: 'Religion', incidents: 3 }, { year: 2023, bias_category: 'Gender', incidents: 1 }],
    juvenile_share: [{ year: 2018, known: 2, juvenile: 1 }],
    victims_by_year: [{ year: 2023, victims: 2, juvenile: 0, unknown: 0 }],
  }
  const partial = { year: 2023, date: '2023-05-02' }
  for (const id of YEARLY) {
    const { option, note, table } = chart(id).build(rows, context([2017, 2023], partial))
    assert.deepEqual(option.xAxis.data, [2017, 2018, 2019, 2020, 2021, 2022, 2023], `${id} shows every year in view`)
    assert.equal(table.rows.length, 7, `${id} tables every year`)
    assert.equal(option.xAxis.axisLabel.formatter!(2023), '2023*', `${id} stars the partial year`)
    assert.ok(option.series.some((s) => s.markArea?.data.length), `${id} shades the partial year`)
    assert.match(note, /\* 2023 is partial: data to 2023-05-02\./, id)
  }
  const heatmap = chart('heatmap').build({ by_month: [{ year: 2018, month: 2, incidents: 1 }] }, context([2017, 2023], partial, { year: 2023, month: 5 }))
  assert.deepEqual((heatmap.option.yAxis as Axis).data, [2017, 2018, 2019, 2020, 2021, 2022, 2023])
  assert.equal(heatmap.option.series[0].data.length, 6 * 12 + 5, 'a cell for every month up to the newest, zero where none')
})

test('a category keeps its colour whatever else is in view', () => {
  const colourOfReligion = (rows: object[]) => chart('bias_category_by_year').build({ bias_category_by_year: rows }, context([2020, 2020])).option.series.find((s) => s.name === 'Religion')!.itemStyle!.color
  const alone = colourOfReligion([{ year: 2020, bias_category: 'Religion', incidents: 1 }])
  const withOthers = colourOfReligion([{ year: 2020, bias_category: 'Race/Ethnicity/Ancestry', incidents: 1 }, { year: 2020, bias_category: 'Religion', incidents: 1 }])
  assert.equal(alone, withOthers)
})

test('count axes take whole numbers only; notes explain ties and sums above the incidents', () => {
  const built = chart('districts').build({ districts: [{ district: '1', incidents: 1 }] }, context([2020, 2020]))
  assert.equal((built.option.yAxis as Axis).minInterval, 1)
  const tied = Array.from({ length: 17 }, (_, i) => ({ bias: `Anti-${i}`, incidents: i < 14 ? 3 : 1 }))
  assert.match(chart('top_biases').build({ top_biases: tied }, context(null)).note, /^Top 15 biases and ties at the 15th place \(17 shown\)/)
  const byOffense = chart('bias_by_offense').build({ bias_by_offense: [{ bias_category: 'Religion', against: 'Persons', incidents: 2 }, { bias_category: 'Religion', against: 'Property', incidents: 1 }], totals: [{ incidents: 2 }] }, context(null))
  assert.match(byOffense.note, /counts in each, so the bars add up to 3, more than the 2 incidents/)
})

test('a click on a bar or cell gives the filters of the incidents behind it', () => {
  const years = chart('by_year').build({ ...NONE, by_year: [{ year: 2020, incidents: 1 }] }, context([2019, 2021]))
  assert.deepEqual(years.drill({ dataIndex: 1 }), { year_from: '2020', year_to: '2020' })
  const heatmap = chart('heatmap').build({ by_month: [] }, context([2019, 2021]))
  assert.deepEqual(heatmap.drill({ data: [2, 1, 0] }), { year_from: '2020', year_to: '2020', month: '3' })
  const byOffense = chart('bias_by_offense').build({ ...NONE, bias_by_offense: [{ bias_category: 'Religion', against: 'Persons', incidents: 1 }] }, context(null))
  assert.deepEqual(byOffense.drill({ name: 'Religion', seriesName: 'Persons' }), { bias_category: 'Religion', against: 'Persons' })
  assert.deepEqual(byOffense.table.drills, [{ bias_category: 'Religion', against: 'Persons' }])
})

test('with no rows (a filter that matches nothing) every chart builds, empty, with its years', () => {
  for (const { id, build } of CHARTS) {
    const { total, table } = build(NONE, context([2020, 2021]))
    assert.equal(total, 0, id)
    assert.ok(Array.isArray(table.rows), id)
  }
})
