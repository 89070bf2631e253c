import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parsePlaceQuery, placeParts } from '../../src/dashboard/place-queries.ts'

const { chartItems } = (await import(new URL('../../src/dashboard/assets/chart-keys.js', import.meta.url).href)) as {
  chartItems(option: object): { seriesIndex: number; dataIndex: number; name: string; seriesName: string; value: number }[]
}

test('a place request takes repeated places, one agency and the usual filters, and says what was wrong', () => {
  const ok = parsePlaceQuery(new URLSearchParams('place=fbi_cde:nation&place=austin_apd:city:TX:Austin&place=fbi_cde:nation&agency=TX2270100&year_from=2017'))
  assert.deepEqual(ok, { ok: true, query: { filters: { year_from: 2017 }, places: ['fbi_cde:nation', 'austin_apd:city:TX:Austin'], agency: 'TX2270100' } })
  assert.deepEqual(placeParts('austin_apd:city:TX:Austin'), ['austin_apd', 'city', 'TX', 'Austin'])
  assert.deepEqual(placeParts('fbi_cde:state:TX'), ['fbi_cde', 'state', 'TX', null])
  assert.deepEqual(placeParts('fbi_cde:nation'), ['fbi_cde', 'nation', null, null])

  const error = (query: string) => {
    const parsed = parsePlaceQuery(new URLSearchParams(query))
    assert.equal(parsed.ok, false, query)
    return (parsed as { error: string }).error
  }
  assert.equal(error('place=fbi_cde:county:TX'), 'Expected a place like "fbi_cde:state:TX" or "austin_apd:city:TX:Austin" for "place" (got "fbi_cde:county:TX")')
  assert.equal(error('place=fbi_cde:state:Texas'), 'Expected a place like "fbi_cde:state:TX" or "austin_apd:city:TX:Austin" for "place" (got "fbi_cde:state:Texas")')
  assert.equal(error(Array.from({ length: 21 }, (_, i) => `place=fbi_cde:state:A${String.fromCharCode(65 + i)}`).join('&')), 'Expected at most 20 places for "place" (got 21)')
  assert.equal(error('agency=TX2270100&agency=NY0303000'), 'Expected one agency ORI (letters and digits, like TX2270100) for "agency" (got "TX2270100,NY0303000")')
  assert.equal(error("agency=TX'--"), 'Expected one agency ORI (letters and digits, like TX2270100) for "agency" (got "TX\'--")')
  assert.match(error('county=Travis'), /^Unknown parameter "county": expected year_from, .*, place, agency$/)
  assert.equal(error('year_from=20x'), 'Expected a four-digit year for "year_from" (got "20x")')
})

test('a chart\'s items in keyboard order: along the axis, then series; empty values skipped; a heatmap by row and month; a map by state', () => {
  const bars = chartItems({
    xAxis: { type: 'category', data: ['2019', '2020', '2021'] },
    yAxis: { type: 'value' },
    series: [{ name: 'incidents', data: [3, { value: 5 }, 0] }, { name: 'change', data: [null, 67, -100] }, { name: 'counts', keyboard: false, data: [1, 2, 3] }],
  })
  assert.deepEqual(bars.map((item) => [item.name, item.seriesName, item.value]), [
    ['2019', 'incidents', 3], ['2020', 'incidents', 5], ['2020', 'change', 67], ['2021', 'incidents', 0], ['2021', 'change', -100],
  ])
  const horizontal = chartItems({ xAxis: { type: 'value' }, yAxis: { type: 'category', data: ['Anti-Black', 'Anti-Jewish'] }, series: [{ name: 'incidents', data: [4, 9] }] })
  assert.deepEqual(horizontal.map((item) => item.name), ['Anti-Black', 'Anti-Jewish'])
  const heatmap = chartItems({ xAxis: { type: 'category', data: ['Jan', 'Feb'] }, yAxis: { type: 'category', data: ['2019', '2020'] },
    series: [{ type: 'heatmap', data: [[1, 1, 4], [0, 0, 2], [1, 0, 3]] }] })
  assert.deepEqual(heatmap.map((item) => [item.name, item.value]), [['2019 Jan', 2], ['2019 Feb', 3], ['2020 Feb', 4]])
  const map = chartItems({ series: [{ type: 'map', name: 'rate', data: [{ name: 'TX', value: 1.2 }, { name: 'NB', value: NaN }, { name: 'CA', value: 2.5 }] }] })
  assert.deepEqual(map.map((item) => [item.name, item.dataIndex]), [['TX', 0], ['CA', 2]])
})
