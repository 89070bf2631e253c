import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEAD_LETTER_CODES, isDeadLetterCode } from '../../src/core/dead-letter-codes.ts'
import { decodeMessage } from '../../src/sources/kafka-message.ts'

const { REJECTIONS } = (await import(new URL('../../src/dashboard/assets/glossary.js', import.meta.url).href)) as { REJECTIONS: Record<string, string> }

const src = fileURLToPath(new URL('../../src/', import.meta.url))
const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]))

test('dead-letter codes are one closed set in one casing', () => {
  for (const code of DEAD_LETTER_CODES) assert.match(code, /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/, code)
  assert.equal(new Set(DEAD_LETTER_CODES).size, DEAD_LETTER_CODES.length)
  assert.ok(isDeadLetterCode('not_json'))
  assert.ok(!isDeadLetterCode('NOT_JSON'), 'upper case is another code')
  assert.ok(!isDeadLetterCode('anything_else'))
})

test('every code a source file writes is in the set, and the set holds no code nobody writes', () => {
  const text = files(src).filter((file) => file.endsWith('.ts') && !file.endsWith('dead-letter-codes.ts')).map((file) => readFileSync(file, 'utf8')).join('\n')
  const written = new Set([...text.matchAll(/invalid\('[a-z]+', '([A-Za-z0-9_]+)'|rejection: \{ stage: '[a-z]+', code: '([A-Za-z_]+)'|code = .* \? '([a-z_]+)' : '([a-z_]+)'|text \? '([a-z_]+)' : '([a-z_]+)'|this\.problem\(row, '([A-Za-z0-9_]+)'/g)].flatMap((m) => m.slice(1).filter(Boolean)))
  for (const code of written) assert.ok(isDeadLetterCode(code), `${code} is in DEAD_LETTER_CODES`)
  for (const code of DEAD_LETTER_CODES) assert.ok(written.has(code), `something writes ${code}`)
})

test("the dashboard's glossary explains exactly the codes of the set", () => {
  assert.deepEqual(Object.keys(REJECTIONS).sort(), [...DEAD_LETTER_CODES].sort())
})

test('a Kafka message that is not JSON, or empty, gets a lower-case code', () => {
  const message = (value: string) => ({ topic: 't', partition: 0, offset: 7n, key: null, value: Buffer.from(value), tags: [null, null, null] as [null, null, null], row: Number.NaN })
  const notJson = decodeMessage(message('{oops'))
  const empty = decodeMessage(message(''))
  assert.equal(!notJson.ok && notJson.rejection.code, 'not_json')
  assert.equal(!empty.ok && empty.rejection.code, 'empty_message')
})

test('the README lists exactly the codes of the set', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')
  const paragraph = readme.slice(readme.indexOf('Their `code` is one of a closed set'), readme.indexOf('Lakes written before the codes'))
  const listed = [...paragraph.matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1]).filter((word) => word !== 'code')
  assert.deepEqual(listed.sort(), [...DEAD_LETTER_CODES].sort())
})
