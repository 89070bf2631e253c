import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mapAustinLocation, mapAustinOffenses } from '../../src/layouts/austin-apd/layout.ts'
import { AUSTIN_OFFENSES } from '../../src/layouts/austin-apd/vocabulary.ts'
import { lookupOffense as lookupIn, offenseGroup } from '../../src/transforms/offense-vocabulary.ts'

const lookupOffense = (token: string) => lookupIn(token, AUSTIN_OFFENSES)
const lookupLocation = (cell: string) => mapAustinLocation(cell).location ?? undefined

test('Austin offense names map to NIBRS offenses and crimes-against groups', () => {
  assert.deepEqual(lookupOffense('Assault with Injury'), { code: '13B', name: 'Simple Assault', against: 'Persons' })
  assert.equal(lookupOffense('Assault by Threat')?.name, 'Intimidation')
  assert.equal(lookupOffense('Criminal Mischief')?.against, 'Property')
  assert.equal(lookupOffense('Disorderly Conduct- Abusive Language')?.against, 'Society')
  assert.equal(lookupOffense('murder')?.code, '09A')
  assert.equal(lookupOffense('Jaywalking'), undefined)
})

test('multi-offense cells split on "/"', () => {
  assert.deepEqual(mapAustinOffenses('Burglary/Assault').names, ['Burglary/Breaking & Entering', 'Simple Assault'])
  assert.deepEqual(mapAustinOffenses('Harassment/Criminal Mischief').codes, ['13C', '290'])
})

test('the incident offense group is single, Multiple or Unknown', () => {
  assert.equal(offenseGroup(['Persons', 'Persons']), 'Persons')
  assert.equal(offenseGroup(['Property', 'Persons']), 'Multiple')
  assert.equal(offenseGroup([null]), 'Unknown')
})

test('location variants in spacing, synonyms and abbreviations map to one NIBRS name', () => {
  assert.equal(lookupLocation('Parking Lots/ Garage'), 'Parking/Drop Lot/Garage')
  assert.equal(lookupLocation('Parking Lot'), 'Parking/Drop Lot/Garage')
  assert.equal(lookupLocation('Hwy/Road/Alley/Street/Sidewalk'), 'Highway/Road/Alley/Street/Sidewalk')
  assert.equal(lookupLocation('Streets/Highway/Road/Alley'), 'Highway/Road/Alley/Street/Sidewalk')
  assert.equal(lookupLocation('Church/ Synagogue/Temple/Mosque'), 'Church/Synagogue/Temple/Mosque')
  assert.equal(lookupLocation('Hotel/ Motel/ Etc.'), 'Hotel/Motel/Etc.')
  assert.equal(lookupLocation('Dr. Office'), "Drug Store/Doctor's Office/Hospital")
  assert.equal(lookupLocation('Home/Residence'), 'Residence/Home')
  assert.equal(lookupLocation('Other'), 'Other/Unknown')
  assert.equal(lookupLocation('Moon Base'), undefined)
})
