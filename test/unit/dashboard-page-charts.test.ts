import { test } from 'node:test'
import assert from 'node:assert/strict'

/** The page's chart definitions (a browser module without DOM use at load, so Node imports it as is). */
interface PageChart {
  id: string
  build(charts: Record<string, object[]>, context: { partial: { year: number; date: string } | null }): {
    total: number
    note: string
    option: { xAxis: { data: unknown[] }; series: { data: unknown[] }[] }
  }
}
const page = new URL('../../src/dashboard/assets/charts.js', import.meta.url).href
const { CHARTS } = (await import(page)) as { CHARTS: PageChart[] }
const chart = (id: string) => CHARTS.find((c) => c.id === id)!

test('the rolling 12-month sum runs over calendar months, counting months without incidents as zero', () => {
  const by_month = [
    { year: 2017, month: 1, incidents: 1 },
    { year: 2017, month: 3, incidents: 2 },
    { year: 2018, month: 1, incidents: 1 },
    { year: 2018, month: 2, incidents: 5 },
  ]
  const { option, total } = chart('by_month').build({ by_month }, { partial: null })
  assert.equal(option.xAxis.data.length, 14, 'January 2017 to February 2018')
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
  const { option, note, total } = chart('by_year').build({ by_year, year_to_date }, { partial })
  assert.deepEqual(option.xAxis.data, [2019, 2020, 2021, 2022])
  const [bars, change] = option.series.map((s) => s.data)
  assert.deepEqual(bars, [10, 0, 5, { value: 4, itemStyle: { opacity: 0.45 } }], 'the partial year is drawn lighter')
  assert.deepEqual(change, [null, -100, null, 100], '2021 has no change from zero; 2022 compares Jan 1-Mar 1 of both years (4 against 2)')
  assert.match(note, /^2022 is partial \(data to 2022-03-01\), drawn lighter;/)
  assert.equal(total, 19)
})

test('with no rows (a filter that matches nothing) the trend charts are empty, not broken', () => {
  for (const id of ['by_year', 'by_month']) {
    const { option, total } = chart(id).build({ by_year: [], year_to_date: [], by_month: [] }, { partial: null })
    assert.equal(total, 0, id)
    assert.deepEqual(option.xAxis.data, [], id)
  }
})
