import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultPartitioner } from '@platformatic/kafka'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HatecrimesError } from '../../src/core/errors.ts'
import { AUSTIN_COLUMN_IDS as RAW_COLUMNS, AUSTIN_HEADERS as RAW_HEADERS } from '../../src/layouts/austin-apd/columns.ts'
import { packedRows, RowBatchReader } from '../../src/pipelines/produce-rows.ts'
import { readCsv } from '../../src/sources/csv-source.ts'
import { writeSyntheticCsv } from '../../src/sources/synthetic.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-produce-rows-'))

test('the worker packs every row as produce sends it: key, JSON value, row number and the partition the client would pick, in file order', async () => {
  const path = join(dir, 'rows.csv')
  await writeSyntheticCsv(path, { rows: 2500, seed: 3 })
  const expected: string[] = []
  for await (const item of readCsv(path)) {
    if (item.kind === 'row') expected.push(`${item.raw.incident_number.trim()}|${JSON.stringify(item.raw)}|${item.row}`)
  }
  const reader = new RowBatchReader(path, { batchSize: 1000, ahead: 1 })
  const got: string[] = []
  const sizes: number[] = []
  for await (const batch of reader) {
    sizes.push(batch.rows)
    for (const { key, value, row, partition } of packedRows(batch)) {
      got.push(`${key}|${value}|${row}`)
      assert.equal(partition, defaultPartitioner({ topic: 't' }, key), `the partition of ${key}`)
    }
  }
  assert.deepEqual(sizes, [1000, 1000, 500])
  assert.equal(got.length, expected.length)
  assert.deepEqual(got, expected)
  assert.equal(reader.progress().fraction, 1)
})

test('a row the reader turns away comes out as a problem with its row number, the rows around it packed', async () => {
  const header = RAW_COLUMNS.map((column) => RAW_HEADERS[column]).join(',')
  const line = (id: string) => `Jan,${id},01/05/2020 12:00:00 AM,Sun,0,1,0,1,Unknown,Simple Assault,Park/Playground,Anti-Jewish,78704,Henry,9`
  const path = join(dir, 'problem.csv')
  writeFileSync(path, [header, line('2020-1'), `${line('2020-2')},extra`, line('  ')].join('\n') + '\n')
  const batches = []
  for await (const batch of new RowBatchReader(path, { batchSize: 10 })) batches.push(batch)
  assert.equal(batches.length, 1)
  assert.deepEqual(batches[0].problems.map((problem) => [problem.row, problem.rejection.code]), [[3, 'column_count']])
  const rows = [...packedRows(batches[0])]
  assert.deepEqual(rows.map(({ key, row, partition }) => [key?.toString(), row.toString(), partition === undefined]), [['2020-1', '2', false], [undefined, '4', true]])
})

test('a file without the Austin header fails with the reader\'s own error', async () => {
  const path = join(dir, 'bad-header.csv')
  writeFileSync(path, 'a,b,c\n1,2,3\n')
  await assert.rejects(
    async () => {
      for await (const batch of new RowBatchReader(path, { batchSize: 10 })) assert.fail(`got a batch of ${batch.rows}`)
    },
    (error: unknown) => error instanceof HatecrimesError && error.code === 'BAD_INPUT' && /Expected the header of a known layout \(austin_apd, [a-z_, ]+\)/.test(error.message),
  )
})

test('keys of every length and in any script get the partition the client would pick', async () => {
  const header = RAW_COLUMNS.map((column) => RAW_HEADERS[column]).join(',')
  const line = (id: string) => `Jan,${id},01/05/2020 12:00:00 AM,Sun,0,1,0,1,Unknown,Simple Assault,Park/Playground,Anti-Jewish,78704,Henry,9`
  const ids = ['7', '20', '2020', '2020-1', '2020-12', '2020-123', '2020-1234', 'é', 'Ñ-2020', '事件-17', '🏳️‍🌈-9']
  const path = join(dir, 'keys.csv')
  writeFileSync(path, [header, ...ids.map(line)].join('\n') + '\n')
  const keys: string[] = []
  for await (const batch of new RowBatchReader(path, { batchSize: 100 })) {
    for (const { key, partition } of packedRows(batch)) {
      keys.push(key!.toString())
      assert.equal(partition, defaultPartitioner({ topic: 't' }, key), `the partition of ${key}`)
    }
  }
  assert.deepEqual(keys, ids)
})
