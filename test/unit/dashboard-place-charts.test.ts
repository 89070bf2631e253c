import { test } from 'node:test'
import assert from 'node:assert/strict'

/** The place views' chart builds (browser modules without DOM use at load, so Node imports them as they are). */
interface Built {
  total: number
  note: string
  table: { head: string[]; rows: unknown[][]; drills: Record<string, string>[] }
  drill: (event: object) => Record<string, string>
  option: { series: { name: string; data: unknown[]; markLine?: { data: Record<string, number>[] } }[] }
}
type Place = { id: string; source: string; level: string; state: string | null; place: string | null; name: string }
const { comparison, reconciliation } = (await import(new URL('../../src/dashboard/assets/place-charts.js', import.meta.url).href)) as {
  comparison(rows: object[], places: Place[], context: object, fbi: boolean): Built
  reconciliation(rows: object[], agency: object, sources: string[], context: object): Built
}
const context = (years: [number, number]) => ({ years, partial: null, lastMonth: null, narrow: false })
const AUSTIN: Place = { id: 'austin_apd:city:TX:Austin', source: 'austin_apd', level: 'city', state: 'TX', place: 'Austin', name: 'Austin, TX' }
const NATION: Place = { id: 'fbi_cde:nation', source: 'fbi_cde', level: 'nation', state: null, place: null, name: 'United States' }
const row = (place: Place, year: number, incidents: number, population: number | null) =>
  ({ source: place.source, level: place.level, state: place.state, place: place.place, year, incidents, population: population === null ? null : String(population), rate_per_100k: population === null ? null : Math.round((incidents / (population / 1e5)) * 100) / 100 })

test('a comparison lists every count beside its rate, says "population unknown" instead of a rate, and leaves out years a source does not cover', () => {
  const rows = [row(AUSTIN, 2019, 11, 978908), row(AUSTIN, 2024, 59, null), row(NATION, 2019, 7892, 328239523), row(NATION, 2020, 10299, null)]
  const built = comparison(rows, [AUSTIN, NATION], context([2019, 2024]), true)
  assert.deepEqual(built.table.rows, [
    [2019, 'Austin, TX', 'austin_apd', 11, 978908, 1.12], [2024, 'Austin, TX', 'austin_apd', 59, null, 'population unknown'],
    [2019, 'United States', 'fbi_cde', 7892, 328239523, 2.4], [2020, 'United States', 'fbi_cde', 10299, null, 'population unknown'],
  ])
  const [austinRate, nationRate, austinCount] = built.option.series
  assert.deepEqual(austinRate.data, [1.12, null, null, null, null, null], 'a gap where no population is known, never a made-up rate')
  assert.deepEqual(nationRate.data, [2.4, null, null, null, null, null])
  assert.deepEqual(austinCount.data, [11, null, null, null, null, 59], 'a year outside the rows is absent, not 0')
  assert.match(built.note, /2 place-years have no known population and no rate/)
  assert.match(built.note, /reporting is voluntary.*Places are not ranked/)
  assert.match(built.note, /from 2021 the FBI took NIBRS reports only/)
  assert.deepEqual(built.option.series[0].markLine?.data, [{ xAxis: 1.5 }], 'the break sits between 2020 and 2021')
  assert.deepEqual(built.drill({ seriesIndex: 3, dataIndex: 0 }), { source: 'fbi_cde', year_from: '2019', year_to: '2019' })
  assert.deepEqual(built.table.drills[0], { source: 'austin_apd', year_from: '2019', year_to: '2019', state: 'TX', city: 'Austin' })
  assert.doesNotMatch(comparison(rows.slice(0, 1), [AUSTIN], context([2017, 2019]), false).note, /FBI|NIBRS/, 'a city file alone gets neither the FBI caveat nor a break it does not cross')
})

test('a reconciliation gives the difference, own file minus the other, only in the years both sources cover', () => {
  const rows = [
    { source: 'fbi_cde', year: 2016, incidents: 19 }, { source: 'austin_apd', year: 2017, incidents: 17 }, { source: 'fbi_cde', year: 2017, incidents: 18 },
    { source: 'austin_apd', year: 2018, incidents: 20 }, { source: 'fbi_cde', year: 2018, incidents: 19 }, { source: 'austin_apd', year: 2021, incidents: 26 },
  ]
  const built = reconciliation(rows, { agency_ori: 'TX2270100', agency_name: 'Austin' }, ['austin_apd', 'fbi_cde'], context([2016, 2021]))
  assert.deepEqual(built.table.head, ['year', 'austin_apd (incidents)', 'fbi_cde (incidents)', 'difference (austin_apd − fbi_cde)'])
  assert.deepEqual(built.table.rows, [[2016, null, 19, null], [2017, 17, 18, -1], [2018, 20, 19, 1], [2021, 26, null, null]])
  assert.match(built.note, /in the 2 years both cover \(0 over them all\)/)
  assert.deepEqual(built.drill({ seriesIndex: 1, dataIndex: 1 }), { source: 'fbi_cde', year_from: '2017', year_to: '2017', agency_ori: 'TX2270100' })
})
