import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { test } from 'node:test'
import { decodeTagged, SOURCE_HEADERS, type IngestMessage, type Tags } from '../../src/sources/kafka-message.ts'
import { MessagePacker, unpackMessages } from '../../src/sources/kafka-message-pack.ts'
import type { FetchedRecords } from '../../src/sources/kafka-record-walker.ts'
import { rawRow } from '../fixtures/austin-rows.ts'
import { fetchedRecords, type TestMessage } from '../fixtures/record-batches.ts'

const tagged = (row: string) => ({ [SOURCE_HEADERS.file]: 'austin.csv', [SOURCE_HEADERS.layout]: 'austin_apd', [SOURCE_HEADERS.source]: 'austin_apd', [SOURCE_HEADERS.row]: row })

/** Every fetched record packed, in order. */
function packAll(packer: MessagePacker, records: FetchedRecords) {
  for (let index = 0; index < records.count; index++) packer.add(records, index)
  return packer.done()
}

test('messages come out of a pack as they were fetched: bytes, offsets and the headers the ingest reads', () => {
  const messages: TestMessage[] = [
    { key: '2017-1', value: '{"a":"é"}', headers: tagged('2') },
    { key: null, value: '{}', headers: tagged('3') },
    { key: '', value: null },
    { key: 'k', value: '', headers: { [SOURCE_HEADERS.source]: 'nypd', [SOURCE_HEADERS.row]: 'x' } },
  ]
  const packer = new MessagePacker('incidents', 3)
  const records = fetchedRecords(messages, 10n, 'zstd')
  for (let index = 0; index < records.count; index++) packer.add(records, index)
  assert.equal(packer.count, 4)
  const { packed } = packer.done()
  assert.equal(packer.count, 0, 'the packer starts empty again')
  const unpacked = [...unpackMessages(packed)]
  assert.deepEqual(unpacked.map((each) => [each.topic, each.partition, each.offset]), [10n, 11n, 12n, 13n].map((offset) => ['incidents', 3, offset]))
  for (const [index, each] of unpacked.entries()) {
    const sent = messages[index]
    assert.equal(each.key === null ? null : each.key.toString('utf8'), sent.key, `key of ${index}`)
    assert.equal(each.value === null ? null : each.value.toString('utf8'), sent.value, `value of ${index}`)
  }
  assert.deepEqual([unpacked[0].tags, unpacked[0].row], [['austin.csv', 'austin_apd', 'austin_apd'], 2])
  assert.deepEqual([unpacked[2].tags, unpacked[2].row], [[null, null, null], Number.NaN], 'no headers stay none')
  assert.deepEqual([unpacked[3].tags, unpacked[3].row], [[null, null, 'nypd'], Number.NaN])
})

test('the file, layout and source headers are kept once per pack, the row per message', () => {
  const messages: TestMessage[] = Array.from({ length: 1_000 }, (_, i) => ({ key: String(i + 2), value: '{}', headers: tagged(String(i + 2)) }))
  messages.push({ key: 'x', value: '{}', headers: { ...tagged('7'), [SOURCE_HEADERS.file]: 'other.csv' } })
  const { packed } = packAll(new MessagePacker('incidents', 0), fetchedRecords(messages))
  assert.equal(packed.tags.length, 2)
  assert.equal(packed.rows[999], 1_001)
  assert.equal(packed.bytes.byteLength, [...Array(1_000).keys()].reduce((sum, i) => sum + String(i + 2).length + 2, 0) + 3)
})

test('a pack moves to another thread without a copy and reads the same there', () => {
  const { packed, transfer } = packAll(new MessagePacker('incidents', 1), fetchedRecords([{ key: 'key', value: '{"incident_number":"2017-1"}', headers: tagged('9') }], 7n))
  const moved = structuredClone(packed, { transfer })
  assert.equal(packed.bytes.byteLength, 0, 'the sender no longer holds the bytes')
  const [only] = [...unpackMessages(moved)]
  assert.equal(only.value?.toString('utf8'), '{"incident_number":"2017-1"}')
  assert.deepEqual([only.offset, only.row], [7n, 9])
  assert.ok(Buffer.isBuffer(only.key))
})

test("each message is decoded by its own layout and source headers, also right after messages with others", () => {
  const value = Buffer.from(JSON.stringify(rawRow({ incident_number: '2017-9' })))
  const message = (tags: Tags): IngestMessage => ({ topic: 't', partition: 0, offset: 5n, key: null, value, tags, row: 2 })
  const bad: Tags = ['a.csv', 'austin_apd', 'Not A Source']
  const none: Tags = [null, null, null]
  const outcomes = [bad, ['a.csv', 'austin_apd', 'austin_apd'], bad, [null, 'nope', null], none].map((tags) => decodeTagged(message(tags as Tags), 'austin_apd'))
  assert.deepEqual(
    outcomes.map((outcome) => (outcome.ok ? `${outcome.value.layout.id} ${outcome.value.source}` : outcome.rejection.code)),
    ['bad_source', 'austin_apd austin_apd', 'bad_source', 'unknown_layout', 'austin_apd austin_apd'],
  )
  const fallback = decodeTagged(message(none), 'sf_police')
  assert.equal(fallback.ok && fallback.value.source, 'sf_police', 'the fallback source of the call, not of the call before')
})

test('a body is read as UTF-8 whether or not it is all ASCII, and a column that is not a string is named', () => {
  const austin: Tags = ['a.csv', 'austin_apd', 'austin_apd']
  const decode = (body: string) => decodeTagged({ topic: 't', partition: 0, offset: 5n, key: null, value: Buffer.from(body), tags: austin, row: 2 }, 'austin_apd')
  for (const location of ['Parking Lot', 'Café – Niño’s', '🏳️‍🌈 Center']) {
    const outcome = decode(JSON.stringify(rawRow({ offense_location: location })))
    assert.equal(outcome.ok && outcome.value.raw.offense_location, location)
  }
  const wrong = decode(JSON.stringify({ ...rawRow(), bias: 7 }))
  assert.equal(!wrong.ok && wrong.rejection.message, 'Expected a string in every raw column (got bias: 7)')
})
