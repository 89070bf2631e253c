import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mapAustinBias } from '../../src/layouts/austin-apd/layout.ts'
import { AUSTIN_BIASES } from '../../src/layouts/austin-apd/vocabulary.ts'
import { FBI_BIASES, lookupBias as lookupIn, splitBiases } from '../../src/transforms/bias-vocabulary.ts'

const lookupBias = (token: string) => lookupIn(token, AUSTIN_BIASES)

test('multi-bias cells split on ";" and on "/" before a new Anti-', () => {
  assert.deepEqual(splitBiases('Anti-Gay (Male); Anti-Transgender'), ['Anti-Gay (Male)', 'Anti-Transgender'])
  assert.deepEqual(splitBiases('Anti-White/Anti-Hispanic or Latino'), ['Anti-White', 'Anti-Hispanic or Latino'])
  assert.deepEqual(splitBiases('Anti-Multi-Races Group; Anti-Islamic'), ['Anti-Multi-Races Group', 'Anti-Islamic'])
})

test('never split on the comma of "Anti-Multi Races, Group" nor on a slash inside one bias', () => {
  assert.deepEqual(splitBiases('Anti-Multi Races, Group'), ['Anti-Multi Races, Group'])
  assert.deepEqual(splitBiases('Anti-Hispanic/Latino'), ['Anti-Hispanic/Latino'])
  assert.deepEqual(splitBiases('Anti-Lesbian/Gay/Bisexual/Transgender (Mixed Group)'), [
    'Anti-Lesbian/Gay/Bisexual/Transgender (Mixed Group)',
  ])
})

test('year-specific synonyms map to one FBI bias', () => {
  const code = (token: string) => lookupBias(token)?.code
  assert.equal(code('Anti-Black'), '12')
  assert.equal(code('Anti-Black or African American'), '12')
  assert.equal(code('Anti-Gay'), '41')
  assert.equal(code('Anti-Hispanic'), '32')
  assert.equal(code('Anti-Hispanic/Latino'), '32')
  assert.equal(code('Anti-Islamic(Muslim)'), '24')
  assert.equal(code('Anti-Islamic'), '24')
  assert.equal(code('Anti-Lesbian'), '42')
  assert.equal(code('Anti-Religion (Other)'), '25')
  assert.equal(code('Anti-Multi Races, Group'), '15')
  assert.equal(code('anti-multi-races   group'), '15', 'case and spacing do not matter')
})

test('FBI categories: Arab and Hispanic are race/ethnicity, transgender is gender identity', () => {
  assert.equal(lookupBias('Anti-Arab')?.category, 'Race/Ethnicity/Ancestry')
  assert.equal(lookupBias('Anti-Hispanic')?.category, 'Race/Ethnicity/Ancestry')
  assert.equal(lookupBias('Anti-Transgender')?.category, 'Gender Identity')
  assert.equal(lookupBias('Anti-Female')?.category, 'Gender')
  assert.equal(lookupBias('Anti-Jewish')?.name, 'Anti-Jewish')
  assert.equal(Object.keys(FBI_BIASES).length, 36)
})

test('non-standard labels map but are marked; Anti-Disability keeps only its category', () => {
  const lgbt2025 = lookupBias('Anti-Lesbian/Bisexual/Transgender (Mixed Group)')
  assert.equal(lgbt2025?.code, '43')
  assert.equal(lgbt2025?.nonStandard, true)
  const disability = lookupBias('Anti-Disability')
  assert.equal(disability?.code, null)
  assert.equal(disability?.category, 'Disability')
  assert.equal(lookupBias('Anti-Martian'), undefined)
})

test('every layout knows every FBI name: a newer Austin file with Anti-Other Christian or Anti-Sikh maps it', () => {
  assert.deepEqual(mapAustinBias('Anti-Other Christian').codes, ['82'])
  assert.deepEqual(mapAustinBias('Anti-Sikh; Anti-Gender Non-Conforming').categories, ['Religion', 'Gender Identity'])
  assert.deepEqual(mapAustinBias("Unknown (offender's motivation not known)").flags, [])
  for (const [code, [name, category]] of Object.entries(FBI_BIASES)) assert.deepEqual(lookupBias(name), { code, name, category, nonStandard: false })
})
