import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'

const { FLAGS, flagWords, rejectionWords } = (await import(new URL('../../src/dashboard/assets/glossary.js', import.meta.url).href)) as {
  FLAGS: Record<string, string>
  flagWords: (flag: string) => string
  rejectionWords: (stage: string, code: string) => string
}

/**
 * Every quality flag the transforms and layouts can set, read from their source so a new flag is
 * caught: quoted names where a flag is pushed or listed, `unparsed_<column>` for each count
 * parseCount reads, and names built from a template (`${column}_ages_disagree`) with each column
 * word the file passes just before its `flags` argument.
 */
function flagsInSource(): string[] {
  const texts = ['../../src/transforms/', '../../src/layouts/'].flatMap((folder) => {
    const dir = new URL(folder, import.meta.url)
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'))
    return files.map((file) => readFileSync(new URL(file, dir), 'utf8'))
  })
  return [...new Set(texts.flatMap(flagsIn))]
}

function flagsIn(text: string): string[] {
  const named = [...text.matchAll(/(?:push\(|add\(|flags: \[|flag: |\? \[|&& |string\[\] = \[)'([a-z_]+)'/g)].map((m) => m[1])
  const counted = [...text.matchAll(/parseCount\([^,]+, '([a-z_]+)'/g)].map((m) => `unparsed_${m[1]}`)
  const columns = [...text.matchAll(/'([a-z_]+)', flags\b/g)].map((m) => m[1])
  const built = [...text.matchAll(/(push\(|parseCount\([^,]+, )`\$\{\w+\}_([a-z_]+)`/g)].flatMap((m) =>
    columns.map((column) => `${m[1] === 'push(' ? '' : 'unparsed_'}${column}_${m[2]}`),
  )
  return [...named, ...counted, ...built]
}

test('every quality flag the transforms and layouts set is explained in plain words', () => {
  const flags = flagsInSource()
  assert.ok(flags.length >= 30, `found ${flags.length} flags: ${flags.join(', ')}`)
  for (const flag of ['unmapped_victim_type', 'complaint_id_mangled', 'offenders_ages_disagree', 'unparsed_victims_total', 'nonstandard_state_code']) {
    assert.ok(flags.includes(flag), `the scan finds the layouts' ${flag}`)
  }
  for (const flag of flags) assert.ok(FLAGS[flag], `the glossary explains ${flag}`)
  assert.equal(flagWords('dow_mismatch'), 'The day-of-week column disagrees with the incident date (the date is used).')
})

test('a row that could not be read is told by step and reason', () => {
  assert.equal(rejectionWords('parse', 'bad_date'), 'reading a row: the incident date is not a date')
  assert.equal(rejectionWords('write', 'new_code'), 'writing to the lake: new code', 'an unknown code still reads as words')
})
