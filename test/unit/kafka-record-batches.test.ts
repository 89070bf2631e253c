import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { test } from 'node:test'
import { SOURCE_HEADERS } from '../../src/sources/kafka-message.ts'
import { readRecordBatches, type FetchedRecords } from '../../src/sources/kafka-record-batches.ts'
import { RecordWalker } from '../../src/sources/kafka-record-walker.ts'
import { recordBatch, type TestMessage } from '../fixtures/record-batches.ts'

const tagged = (row: string): Record<string, string> => ({ [SOURCE_HEADERS.file]: 'austin.csv', [SOURCE_HEADERS.layout]: 'austin_apd', [SOURCE_HEADERS.source]: 'austin_apd', [SOURCE_HEADERS.row]: row })

const messages: TestMessage[] = [
  { key: '2017-1', value: '{"a":"é"}', headers: tagged('2') },
  { key: null, value: '{}', headers: { ...tagged('3'), other: 'ignored' } },
  { key: '', value: null },
  { key: 'k', value: '', headers: { [SOURCE_HEADERS.source]: 'nypd', [SOURCE_HEADERS.row]: 'x', [SOURCE_HEADERS.layout]: null } },
]

/** Each record read back: offset, key, value, tags and row. */
function read(records: FetchedRecords) {
  const text = (index: number, place: number) => {
    const [start, length] = [records.spans[4 * index + place], records.spans[4 * index + place + 1]]
    return length < 0 ? null : records.chunks[index].toString('utf8', start, start + length)
  }
  return Array.from({ length: records.count }, (_, i) => ({ offset: records.offsets[i], key: text(i, 0), value: text(i, 2), tags: records.tags[i], row: records.rows[i] }))
}

const expected = [
  { offset: 40n, key: '2017-1', value: '{"a":"é"}', tags: ['austin.csv', 'austin_apd', 'austin_apd'], row: 2 },
  { offset: 41n, key: null, value: '{}', tags: ['austin.csv', 'austin_apd', 'austin_apd'], row: 3 },
  { offset: 42n, key: '', value: null, tags: [null, null, null], row: Number.NaN },
  // A null header value reads as an empty text, and a row that is no number as NaN, as Number() reads them.
  { offset: 43n, key: 'k', value: '', tags: [null, '', 'nypd'], row: Number.NaN },
]

for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
  test(`records of a ${compression} batch come out with their offsets, bytes and the headers the ingest reads`, () => {
    const { records } = readRecordBatches(new RecordWalker(), recordBatch(messages, { base: 40n, compression }), 40n, [])
    assert.deepEqual(read(records), expected)
    assert.equal(records.tags[0], records.tags[1], 'neighbours with the same tags share them')
  })
}

test('a fetch from the middle of a batch leaves out the records before it, and ends after the last whole batch', () => {
  const first = recordBatch(messages, { base: 40n })
  const second = recordBatch(messages.slice(0, 2), { base: 44n, compression: 'zstd' })
  const bytes = Buffer.concat([first, second, second.subarray(0, 30)])
  const { records, next } = readRecordBatches(new RecordWalker(), bytes, 42n, [])
  assert.deepEqual(read(records).map((record) => record.offset), [42n, 43n, 44n, 45n])
  assert.equal(next, 46n, 'a partial batch at the end is fetched again')
  assert.equal(readRecordBatches(new RecordWalker(), second.subarray(0, 70), 44n, []).next, 44n)
})

test('records of aborted transactions and control markers are left out; committed ones stay', () => {
  const marker = (type: number) => [{ key: String.fromCharCode(0, 0, 0, type), value: '' }]
  const bytes = Buffer.concat([
    recordBatch(messages.slice(0, 2), { base: 0n, producerId: 7n, transactional: true }),
    recordBatch(messages.slice(0, 1), { base: 2n, producerId: 8n, transactional: true }),
    recordBatch(marker(0), { base: 3n, producerId: 7n, transactional: true, attributes: 1 << 5 }),
    recordBatch(marker(1), { base: 4n, producerId: 8n, transactional: true, attributes: 1 << 5 }),
    recordBatch(messages.slice(1, 2), { base: 5n, producerId: 7n, transactional: true }),
  ])
  const { records, next } = readRecordBatches(new RecordWalker(), bytes, 0n, [{ producerId: 7n, firstOffset: 0n }])
  assert.deepEqual(read(records).map((record) => record.offset), [2n, 5n])
  assert.equal(next, 6n)
})

test('a batch of an old message format is refused with its offset', () => {
  const batch = recordBatch(messages, { base: 9n })
  batch.writeInt8(1, 16)
  assert.throws(() => readRecordBatches(new RecordWalker(), batch, 9n, []), /Expected record batches of format v2 .* at offset 9 \(got magic 1\)/)
})
