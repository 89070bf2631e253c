import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RAW_COLUMNS } from '../../src/core/record.ts'
import { packedRows, RowBatchReader } from '../../src/pipelines/produce-rows.ts'
import { plainRawRow } from '../../src/sources/raw-row-json.ts'
import { toRawRow } from '../../src/transforms/raw-row.ts'

const row = Object.fromEntries(RAW_COLUMNS.map((column, index) => [column, `v${index} é`]))
const general = (text: string) => {
  const outcome = toRawRow(JSON.parse(text))
  return outcome.ok ? outcome.value : undefined
}

test('every message produce writes for the real Austin file is read as JSON.parse and toRawRow read it', async () => {
  let messages = 0
  for await (const batch of new RowBatchReader('data/austin_hate_crimes_2017_2025.csv', { batchSize: 500 })) {
    for (const { value } of packedRows(batch)) {
      const text = value.toString('utf8')
      const plain = plainRawRow(text)
      assert.ok(plain, `expected the fast path to read ${text}`)
      assert.deepEqual(plain, general(text))
      assert.deepEqual(Object.keys(plain), [...RAW_COLUMNS])
      messages++
    }
  }
  assert.ok(messages >= 266, `expected the whole file (got ${messages} messages)`)
})

test('a body in any other shape is left to the general parser', () => {
  const text = JSON.stringify(row)
  assert.deepEqual(plainRawRow(text), row)
  const others = [
    JSON.stringify(row, null, 1),
    JSON.stringify({ ...row, extra: 'x' }),
    JSON.stringify({ incident_number: row.incident_number, ...row }),
    JSON.stringify({ ...row, bias: 'say "hi"' }),
    JSON.stringify({ ...row, bias: 'a\\b' }),
    JSON.stringify({ ...row, zip_code: 78701 }),
    text.replace('v14 é', 'v14\u0001'),
    text.slice(0, -1),
    `${text} `,
    `${text}x`,
    '{}',
    '',
  ]
  for (const other of others) assert.equal(plainRawRow(other), undefined, other)
})

test('a raw control character, which JSON.parse refuses, is never read by the fast path', () => {
  const text = JSON.stringify(row).replace('v3 é', 'v3\t')
  assert.throws(() => JSON.parse(text))
  assert.equal(plainRawRow(text), undefined)
})
