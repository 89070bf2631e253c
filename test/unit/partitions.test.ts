import { test } from 'node:test'
import assert from 'node:assert/strict'
import { dataFileKey, dataFileRange, partitionOf, partitionPath, safeName, sourceNameProblem } from '../../src/lake/partitions.ts'
import { deadLetterKey, deadLetterLines } from '../../src/sinks/lake-files.ts'

test('partition paths are Hive-style with a two-digit month', () => {
  assert.equal(partitionPath({ source: 'austin_apd', year: 2017, month: 3 }), 'incidents/source=austin_apd/year=2017/month=03')
  assert.equal(partitionPath({ source: 'austin_apd', year: 2024, month: 12 }), 'incidents/source=austin_apd/year=2024/month=12')
})

test('a data file key round-trips its partition and stream range', () => {
  const key = dataFileKey({ source: 'austin_apd', year: 2019, month: 1 }, 'incidents-p2', 1200n, 1450n)
  assert.equal(key, 'incidents/source=austin_apd/year=2019/month=01/incidents-p2-000000000001200-000000000001450.parquet')
  assert.deepEqual(partitionOf(key), { source: 'austin_apd', year: 2019, month: 1 })
  assert.deepEqual(dataFileRange(key), { stream: 'incidents-p2', first: 1200n, last: 1450n })
})

test('keys sort in stream order because positions are zero-padded', () => {
  const keys = [9n, 10n, 100n].map((first) => dataFileKey({ source: 'austin_apd', year: 2020, month: 5 }, 's', first, first))
  assert.deepEqual([...keys].sort(), keys)
})

test('file names keep only safe characters', () => {
  assert.equal(safeName('file-my data (v2).csv'), 'file-my_data_v2_.csv')
  assert.equal(dataFileRange('incidents/source=austin_apd/year=2020/month=05/notes.txt'), undefined)
  assert.equal(partitionOf('dead_letters/x.jsonl'), undefined)
})

test('dead-letter keys share the data file name scheme, in their source\'s folder', () => {
  const key = deadLetterKey('austin_apd', 'file-austin.csv', 17n, 40n)
  assert.equal(key, 'dead_letters/source=austin_apd/file-austin.csv-000000000000017-000000000000040.jsonl')
  assert.deepEqual(dataFileRange(key), { stream: 'file-austin.csv', first: 17n, last: 40n })
})

test('dead letters serialise as one JSON object per line, offsets as strings', () => {
  const lines = deadLetterLines([
    {
      stage: 'parse',
      code: 'bad_date',
      message: 'Expected a date',
      origin: { kind: 'kafka', topic: 't', partition: 0, offset: 7n },
      source: 'austin_apd',
      layout: 'austin_apd',
      raw: { big: 5n },
      at: '2026-01-01T00:00:00.000Z',
    },
  ])
  assert.equal(lines.split('\n').length, 2)
  assert.deepEqual(JSON.parse(lines.split('\n')[0]).raw, { big: '5' })
})

test('source names are folder names as they are: lower-case letters, digits and _', () => {
  assert.equal(sourceNameProblem('fbi_cde'), undefined)
  assert.equal(sourceNameProblem('sf_police'), undefined)
  assert.equal(sourceNameProblem('FBI CDE'), 'Expected a source name of lower-case letters, digits and _ (got "FBI CDE")')
  assert.match(sourceNameProblem('a/b') ?? '', /got "a\/b"/)
  assert.equal(partitionOf('incidents/year=2017/month=03/x.parquet'), undefined, 'a key outside any source folder is no partition')
})
