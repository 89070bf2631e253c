import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { test } from 'node:test'
import { LAYOUTS } from '../../src/layouts/registry.ts'
import { decodeMessage, type IngestMessage } from '../../src/sources/kafka-message.ts'
import { JsonRowScanner } from '../../src/sources/json-row-scanner.ts'

const body = (text: string | Buffer) => (typeof text === 'string' ? Buffer.from(text) : text)
const message = (value: Buffer): IngestMessage => ({ topic: 't', partition: 0, offset: 1n, key: null, value, tags: [null, null, null], row: Number.NaN })

test('a body as produce writes it reads as JSON.parse reads it, for every layout', () => {
  const cells = ['', 'Anti-Jewish', 'Zoë Ørsted 東京', '01-01-2017 00:00', 'x'.repeat(300), 'say "hi"', 'a\\b', 'tab\there']
  for (const layout of LAYOUTS) {
    const ids = layout.columns.map((column) => column.id)
    const scanner = new JsonRowScanner(ids)
    for (let round = 0; round < 40; round++) {
      const raw = Object.fromEntries(ids.map((id, index) => [id, cells[(round + index) % cells.length]]))
      const text = JSON.stringify(raw)
      const scanned = scanner.scan(body(text))
      const escapes = /\\/.test(text)
      assert.equal(scanned === undefined, escapes, `${layout.id} round ${round}: only bodies with escapes are left to JSON.parse`)
      if (scanned) assert.deepEqual(scanned, JSON.parse(text), `${layout.id} round ${round}`)
      const decoded = decodeMessage(message(body(text)), layout)
      assert.ok(decoded.ok)
      assert.deepEqual(decoded.value, raw, `${layout.id} round ${round}: decodeMessage, scanned or parsed`)
    }
  }
})

test('anything but the exact form is left to JSON.parse', () => {
  const scanner = new JsonRowScanner(['a', 'b'])
  assert.deepEqual(scanner.scan(body('{"a":"1","b":"2"}')), { a: '1', b: '2' })
  const others = [
    '{"b":"2","a":"1"}',
    '{"a":"1"}',
    '{"a":"1","b":"2","c":"3"}',
    '{"a":"1","b":2}',
    '{"a":"1","b":null}',
    '{"a": "1","b":"2"}',
    '{"a":"1","b":"2"} ',
    '{"a":"1","b":"2"}x',
    '{"a":"1","b":"2"',
    '{"a":"1","b":"2',
    '{"a":"1","b":"\\u0032"}',
    '{"a":"1","b":"\n"}',
    '\ufeff{"a":"1","b":"2"}',
    '[{"a":"1","b":"2"}]',
    '{"a":"1","bb":"2"}',
    '',
  ]
  for (const text of others) assert.equal(scanner.scan(body(text)), undefined, JSON.stringify(text))
})

test('texts of equal hash stay apart, and a column of ever-new texts still reads right', () => {
  // "Aa" and "BB" have the same hash (31 x 65 + 97 = 31 x 66 + 66).
  const scanner = new JsonRowScanner(['id', 'kind'])
  for (let row = 0; row < 3000; row++) {
    const kind = ['Aa', 'BB', 'AaAa', 'BBBB', 'AaBB'][row % 5]
    const id = `2017-${row}`
    assert.deepEqual(scanner.scan(body(`{"id":"${id}","kind":"${kind}"}`)), { id, kind }, `row ${row}`)
  }
})

test('bytes that are no UTF-8 read as the whole body decoded would read', () => {
  const scanner = new JsonRowScanner(['a', 'b'])
  for (const bad of [[0xe2, 0x82], [0xff], [0x80, 0x41], [0xc3]]) {
    const bytes = Buffer.concat([Buffer.from('{"a":"x'), Buffer.from(bad), Buffer.from('","b":"'), Buffer.from(bad), Buffer.from('"}')])
    assert.deepEqual(scanner.scan(bytes), JSON.parse(bytes.toString('utf8')), `bytes ${bad}`)
  }
})

test('a column named __proto__ is a key of the row, as JSON.parse makes it', () => {
  const scanner = new JsonRowScanner(['__proto__', 'b'])
  const text = '{"__proto__":"x","b":"y"}'
  const scanned = scanner.scan(body(text))!
  assert.deepEqual(Object.entries(scanned), Object.entries(JSON.parse(text)))
  assert.equal(Object.getPrototypeOf(scanned), Object.prototype)
})
