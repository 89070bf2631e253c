import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { test } from 'node:test'
import { SOURCE_HEADERS, type IngestMessage } from '../../src/sources/kafka-message.ts'
import { MessagePacker, unpackMessages } from '../../src/sources/kafka-message-pack.ts'

const message = (offset: bigint, key: string | null, value: string | null, headers: Record<string, string>): IngestMessage => ({
  topic: 'incidents',
  partition: 3,
  offset,
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: new Map(Object.entries(headers)),
})

const tagged = (row: string) => ({ [SOURCE_HEADERS.file]: 'austin.csv', [SOURCE_HEADERS.layout]: 'austin_apd', [SOURCE_HEADERS.source]: 'austin_apd', [SOURCE_HEADERS.row]: row })

test('messages come out of a pack as they went in: bytes, offsets and the headers the ingest reads', () => {
  const messages = [
    message(10n, '2017-1', '{"a":"é"}', tagged('2')),
    message(11n, null, '{}', tagged('3')),
    message(12n, '', null, {}),
    message(15n, 'k', '', { [SOURCE_HEADERS.source]: 'nypd', [SOURCE_HEADERS.row]: 'x' }),
  ]
  const packer = new MessagePacker('incidents', 3)
  for (const each of messages) packer.add(each)
  assert.equal(packer.count, 4)
  const { packed } = packer.done()
  assert.equal(packer.count, 0, 'the packer starts empty again')
  const unpacked = [...unpackMessages(packed)]
  assert.deepEqual(unpacked.map((each) => [each.topic, each.partition, each.offset]), messages.map((each) => ['incidents', 3, each.offset]))
  for (const [index, each] of unpacked.entries()) {
    const sent = messages[index]
    assert.deepEqual(each.key === null ? null : Buffer.from(each.key), sent.key, `key of ${index}`)
    assert.deepEqual(each.value === null ? null : Buffer.from(each.value), sent.value, `value of ${index}`)
  }
  assert.deepEqual(unpacked[0].headers, new Map(Object.entries(tagged('2'))))
  assert.deepEqual(unpacked[2].headers, new Map(), 'no headers stay none')
  // A row header that is no number reads as none, as originOf reads it.
  assert.deepEqual(unpacked[3].headers, new Map([[SOURCE_HEADERS.source, 'nypd']]))
})

test('the file, layout and source headers are kept once per pack, the row per message', () => {
  const packer = new MessagePacker('incidents', 0)
  for (let row = 2; row < 1_002; row++) packer.add(message(BigInt(row), String(row), '{}', tagged(String(row))))
  packer.add(message(2_000n, 'x', '{}', { ...tagged('7'), [SOURCE_HEADERS.file]: 'other.csv' }))
  const { packed } = packer.done()
  assert.equal(packed.tags.length, 2)
  assert.equal(packed.rows[999], 1_001)
  assert.equal(packed.bytes.byteLength, [...Array(1_000).keys()].reduce((sum, i) => sum + String(i + 2).length + 2, 0) + 3)
})

test('a pack moves to another thread without a copy and reads the same there', () => {
  const packer = new MessagePacker('incidents', 1)
  packer.add(message(7n, 'key', '{"incident_number":"2017-1"}', tagged('9')))
  const { packed, transfer } = packer.done()
  const moved = structuredClone(packed, { transfer })
  assert.equal(packed.bytes.byteLength, 0, 'the sender no longer holds the bytes')
  const [only] = [...unpackMessages(moved)]
  assert.equal(only.value?.toString('utf8'), '{"incident_number":"2017-1"}')
  assert.equal(only.headers.get(SOURCE_HEADERS.row), '9')
})
