import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readCensusTable } from '../../src/population/census-tables.ts'
import { placeName, splitPlaceCell } from '../../src/population/place-names.ts'
import { buildPopulation } from '../../src/population/population-table.ts'

const DATA = 'data/population'
const dir = mkdtempSync(join(tmpdir(), 'hc-census-'))
const write = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

test('Census place names become the names incidents carry, the state kept apart', () => {
  assert.equal(placeName('Austin city'), 'Austin')
  assert.equal(placeName('Indianapolis city (balance)'), 'Indianapolis')
  assert.equal(placeName('Nashville-Davidson metropolitan government (balance)'), 'Nashville-Davidson')
  assert.equal(placeName('Juneau city and borough'), 'Juneau')
  assert.equal(placeName('Carson City'), 'Carson City', 'a capitalised City is part of the name')
  assert.deepEqual(splitPlaceCell('Lynchburg, Moore County metropolitan government, Tennessee'), {
    place: 'Lynchburg, Moore County',
    state: 'TN',
    stateName: 'Tennessee',
  })
  assert.equal(splitPlaceCell('Suggested Citation:'), undefined)
})

test('the real city table of 2010-2019: Austin 2019 is the Census figure, footnotes are notes', async () => {
  const table = await readCensusTable(join(DATA, 'census_places_2010_2019.csv'))
  const austin = table.figures.filter((f) => f.place === 'Austin' && f.state === 'TX')
  assert.equal(austin.length, 10, 'one figure a year, 2010-2019; the Census and Estimates Base columns are not years')
  assert.deepEqual(austin.find((f) => f.year === 2019), {
    level: 'city', state: 'TX', place: 'Austin', census_name: 'Austin city, Texas', year: 2019, population: 978_908,
    source_file: 'census_places_2010_2019.csv', source_row: 13,
  })
  assert.equal(table.skipped.length, 0)
  assert.equal(table.notes, 5, 'the note, citation, title, source and release rows at the end')
  const springfields = new Set(table.figures.filter((f) => f.place === 'Springfield' && f.year === 2019).map((f) => f.state))
  assert.ok(springfields.has('IL') && springfields.has('MA') && springfields.has('MO') && springfields.size > 10)
})

test('the real 2020-2023 table: the two names whose comma pushed their state out are skipped with the reason', async () => {
  const table = await readCensusTable(join(DATA, 'census_places_2020_2023.csv'))
  assert.equal(table.figures.find((f) => f.census_name === 'Austin city, Texas' && f.year === 2023)?.population, 979_882)
  assert.ok(!table.figures.some((f) => f.year === 2024), 'avg_population is not a year')
  assert.deepEqual(table.skipped.map((s) => s.row), [2215, 16363])
  assert.match(table.skipped[0].reason, /Expected a state name in "State" \(got "Village of Islands village"/)
})

test('the nation is the sum of the 50 states and DC, only in years where all are there', async () => {
  const tables = [await readCensusTable(join(DATA, 'census_states_2010_2019.csv'))]
  const partial = write('three-states.csv', 'Geographic Area,2020\nTexas,"29,145,505"\nOhio,"11,799,448"\nUtah,"3,271,616"\n')
  tables.push(await readCensusTable(partial))
  const rows = buildPopulation(tables)
  const nation = rows.filter((row) => row.level === 'nation')
  assert.deepEqual(nation.map((row) => row.year), [2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019])
  const states2019 = rows.filter((row) => row.level === 'state' && row.year === 2019)
  assert.equal(nation.at(-1)?.population, states2019.reduce((sum, row) => sum + row.population, 0))
  assert.equal(nation.at(-1)?.population, 328_239_523, "the Census's own national estimate for 2019")
})

test('a name that stands for two places in one state is flagged; the same place in two files is refused', async () => {
  const twice = write('reno.csv', 'City,State,2020\nReno city, Texas,"2,500"\nReno city, Texas,"3,100"\nParis city, Texas,"24,000"\n')
  const rows = buildPopulation([await readCensusTable(twice)])
  assert.deepEqual(rows.map((row) => [row.place, row.ambiguous]), [['Paris', false], ['Reno', true], ['Reno', true]])
  const copy = write('paris-copy.csv', 'City,State,2020\nParis city, Texas,"24,000"\n')
  await assert.rejects(
    async () => buildPopulation([await readCensusTable(twice), await readCensusTable(copy)]),
    /Expected each Census place and year in one table only, but "Paris city, Texas" 2020 is in reno.csv \(row 4\) and in paris-copy.csv \(row 2\)/,
  )
})

test('an unrecognised file says what was expected, where, and what it found; a bad figure skips its row', async () => {
  const other = write('austin.csv', 'Month,Incident Number,Date of Incident\nJan,2017-1,01/01/2017\n')
  await assert.rejects(readCensusTable(other), (error: Error) => {
    assert.match(error.message, /^Expected a Census population table in .*austin\.csv with a header in its first 5 rows/)
    assert.match(error.message, /"Column1,Census,Estimates Base,2010,...,2019"/)
    assert.match(error.message, /"City,State,2020,...,2023,avg_population"/)
    assert.match(error.message, /"Geographic Area,2000,...,2009"/)
    assert.match(error.message, /\(got "Month,Incident Number,Date of Incident" in row 1\)$/)
    return true
  })
  await assert.rejects(readCensusTable(join(dir, 'none.csv')), /Expected a Census population table at .*none\.csv \(no such file\)/)
  const bad = await readCensusTable(write('bad.csv', 'Geographic Area,2001,2002\nTexas,"20,000,000",n/a\nOhio,"11,000,000","11,100,000"\n'))
  assert.deepEqual(bad.skipped, [{ file: 'bad.csv', row: 2, reason: 'Expected a whole number like 978,908 in "2002" (got "n/a")' }])
  assert.deepEqual(bad.figures.map((f) => [f.state, f.year, f.population]), [['OH', 2001, 11_000_000], ['OH', 2002, 11_100_000]])
})
