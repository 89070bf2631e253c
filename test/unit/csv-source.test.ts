import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { HatecrimesError } from '../../src/core/errors.ts'
import { RAW_COLUMNS, RAW_HEADERS } from '../../src/core/record.ts'
import { readCsv, type CsvItem } from '../../src/sources/csv-source.ts'
import { writeSyntheticCsv } from '../../src/sources/synthetic.ts'
import { austinCsv, rawRow } from '../fixtures/austin-rows.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-csv-'))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const collect = async (path: string) => {
  const items: CsvItem[] = []
  const csv = readCsv(path)
  for await (const item of csv) items.push(item)
  return { items, stats: csv.stats }
}

test('quoted fields with commas, quotes and newlines; BOM; CRLF', async () => {
  const rows = [rawRow({ bias: 'Anti-Multi Races, Group' }), rawRow({ offense_location: 'Line one\nline "two"' })]
  const { items } = await collect(file('quoted.csv', `\uFEFF${austinCsv(rows)}`))
  assert.deepEqual(items.map((item) => item.kind), ['row', 'row'])
  assert.ok(items[0].kind === 'row' && items[1].kind === 'row')
  assert.equal(items[0].raw.month, 'Mar', 'the BOM does not stick to the first header')
  assert.equal(items[0].raw.bias, 'Anti-Multi Races, Group')
  assert.equal(items[1].raw.offense_location, 'Line one\nline "two"')
  assert.deepEqual(items.map((item) => item.row), [2, 3])
})

test('blank lines are skipped and counted; row numbers stay spreadsheet rows', async () => {
  const text = austinCsv([rawRow(), rawRow()]).replace('\r\n', '\r\n\r\n')
  const { items, stats } = await collect(file('blank.csv', `${text}\r\n`))
  assert.deepEqual(items.map((item) => item.row), [3, 4])
  assert.equal(stats.blankLines, 2)
  assert.equal(stats.rows, 2)
})

test('rows with missing or extra fields become problems naming their row', async () => {
  const header = RAW_COLUMNS.map((column) => RAW_HEADERS[column]).join(',')
  const good = austinCsv([rawRow()]).split('\r\n')[1]
  const text = [header, good, good.split(',').slice(0, 14).join(','), `${good},surplus`, good].join('\n')
  const { items } = await collect(file('columns.csv', text))
  assert.deepEqual(items.map((item) => item.kind), ['row', 'problem', 'problem', 'row'])
  const short = items[1]
  assert.ok(short.kind === 'problem')
  assert.equal(short.rejection.message, 'Expected 15 fields at row 3 of columns.csv (got 14)')
  assert.equal(short.raw.length, 14)
  assert.ok(items[2].kind === 'problem' && items[2].rejection.message.endsWith('(got 16)'))
})

test('headers match in any order and case; extra columns are ignored', async () => {
  const columns = [...RAW_COLUMNS].reverse()
  const header = ['Notes', ...columns.map((column) => RAW_HEADERS[column].toUpperCase())].join(',')
  const line = ['n', ...columns.map((column) => rawRow()[column])].join(',')
  const { items } = await collect(file('reordered.csv', `${header}\n${line}\n`))
  assert.ok(items[0].kind === 'row')
  assert.deepEqual(items[0].raw, rawRow())
})

test('a missing header column, an empty file and a missing file are clear errors', async () => {
  const header = RAW_COLUMNS.filter((column) => column !== 'bias').map((column) => RAW_HEADERS[column]).join(',')
  await assert.rejects(collect(file('nobias.csv', `${header}\n`)), (error: HatecrimesError) => {
    assert.equal(error.code, 'BAD_INPUT')
    assert.match(error.message, /^Expected the Austin header in row 1 of nobias\.csv, missing "Bias" \(got /)
    return true
  })
  await assert.rejects(collect(file('empty.csv', '')), /Expected a header row in empty\.csv/)
  assert.throws(() => readCsv(join(dir, 'nope.csv')), /Expected a CSV file at .*nope\.csv \(no such file\)/)
})

test('a large file streams with bounded memory', async () => {
  // Live heap after a full collection: what the reader retains, not garbage waiting to be collected.
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const path = join(dir, 'large.csv')
  await writeSyntheticCsv(path, { rows: 200_000, seed: 5 })
  const csv = readCsv(path)
  gc()
  const before = process.memoryUsage().heapUsed
  let peak = before
  let rows = 0
  for await (const item of csv) {
    if (item.kind === 'row') rows++
    if (rows % 20_000 === 0) {
      gc()
      peak = Math.max(peak, process.memoryUsage().heapUsed)
    }
  }
  assert.equal(rows, 200_000)
  assert.ok(peak - before < 16 * 1024 * 1024, `heap grew by ${((peak - before) / 1048576).toFixed(0)} MiB`)
  assert.equal(csv.progress().bytesRead, csv.progress().totalBytes)
})
