import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'

const { FLAGS, flagWords, rejectionWords } = (await import(new URL('../../src/dashboard/assets/glossary.js', import.meta.url).href)) as {
  FLAGS: Record<string, string>
  flagWords: (flag: string) => string
  rejectionWords: (stage: string, code: string) => string
}

/** Every quality flag the transforms can set, read from their source so a new flag is caught. */
function flagsInSource(): string[] {
  const dir = new URL('../../src/transforms/', import.meta.url)
  const text = readdirSync(dir).map((file) => readFileSync(new URL(file, dir), 'utf8')).join('\n')
  const named = [...text.matchAll(/(?:push\(|add\(|flags: \[|flag: )'([a-z_]+)'/g)].map((m) => m[1])
  const counted = [...text.matchAll(/parseCount\([^,]+, '([a-z_]+)'/g)].map((m) => `unparsed_${m[1]}`)
  return [...new Set([...named, ...counted])]
}

test('every quality flag the transforms set is explained in plain words', () => {
  const flags = flagsInSource()
  assert.ok(flags.length >= 15, `found ${flags.length} flags: ${flags.join(', ')}`)
  for (const flag of flags) assert.ok(FLAGS[flag], `the glossary explains ${flag}`)
  assert.equal(flagWords('dow_mismatch'), 'The day-of-week column disagrees with the incident date (the date is used).')
})

test('a row that could not be read is told by step and reason', () => {
  assert.equal(rejectionWords('parse', 'bad_date'), 'reading a row: the incident date is not a date')
  assert.equal(rejectionWords('write', 'new_code'), 'writing to the lake: new code', 'an unknown code still reads as words')
})
