import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { HatecrimesError } from '../../src/core/errors.ts'
import { AUSTIN_COLUMN_IDS as RAW_COLUMNS, AUSTIN_HEADERS as RAW_HEADERS } from '../../src/layouts/austin-apd/columns.ts'
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
const HEADER = RAW_COLUMNS.map((column) => RAW_HEADERS[column]).join(',')
const GOOD_LINE = austinCsv([rawRow()]).split('\r\n')[1]
const large = (async () => {
  const path = join(dir, 'large.csv')
  await writeSyntheticCsv(path, { rows: 200_000, seed: 5 })
  return path
})()

test('quoted fields with commas, quotes and newlines; BOM; CRLF; rows count records, not lines', async () => {
  const rows = [rawRow({ bias: 'Anti-Multi Races, Group' }), rawRow({ offense_location: 'Line one\r\nline "two"' }), rawRow()]
  const { items } = await collect(file('quoted.csv', `\uFEFF${austinCsv(rows)}`))
  assert.deepEqual(items.map((item) => item.kind), ['row', 'row', 'row'])
  assert.ok(items[0].kind === 'row' && items[1].kind === 'row')
  assert.equal(items[0].raw.month, 'Mar', 'the BOM does not stick to the first header')
  assert.equal(items[0].raw.bias, 'Anti-Multi Races, Group')
  assert.equal(items[1].raw.offense_location, 'Line one\r\nline "two"')
  assert.deepEqual(items.map((item) => item.row), [2, 3, 4], 'the row after the two-line record is row 4')
})

test('LF line ends read the same as CRLF', async () => {
  const crlf = await collect(file('crlf.csv', austinCsv([rawRow(), rawRow({ bias: 'Anti-Jewish' })])))
  const lf = await collect(file('lf.csv', austinCsv([rawRow(), rawRow({ bias: 'Anti-Jewish' })]).replaceAll('\r\n', '\n')))
  assert.deepEqual(lf.items, crlf.items)
  assert.ok(lf.items[1].kind === 'row' && lf.items[1].raw.council_district === '9', 'no \\r left on the last field')
})

test('blank lines and rows of empty fields are skipped and counted; row numbers stay spreadsheet rows', async () => {
  const text = [HEADER, '', GOOD_LINE, ',,,,,,,,,,,,,,', '   ', GOOD_LINE, ''].join('\r\n')
  const { items, stats } = await collect(file('blank.csv', `${text}\r\n`))
  assert.deepEqual(items.map((item) => [item.kind, item.row]), [['row', 3], ['row', 6]])
  assert.equal(stats.blankLines, 4)
  assert.equal(stats.rows, 2)
})

test('rows with missing or extra fields become problems naming their row', async () => {
  const text = [HEADER, GOOD_LINE, GOOD_LINE.split(',').slice(0, 14).join(','), `${GOOD_LINE},surplus`, GOOD_LINE].join('\n')
  const { items, stats } = await collect(file('columns.csv', text))
  assert.deepEqual(items.map((item) => [item.kind, item.row]), [['row', 2], ['problem', 3], ['problem', 4], ['row', 5]])
  const [short, long] = [items[1], items[2]]
  assert.ok(short.kind === 'problem' && long.kind === 'problem')
  assert.deepEqual(short.rejection, { stage: 'read', code: 'column_count', message: 'Expected 15 fields at row 3 of columns.csv (got 14)' })
  assert.equal(short.raw.length, 14)
  assert.equal(long.rejection.message, 'Expected 15 fields at row 4 of columns.csv (got 16)')
  assert.equal(stats.rows, 4, 'problems count as rows read')
})

test('headers match in any order, case and spacing; extra columns are ignored', async () => {
  const columns = [...RAW_COLUMNS].reverse()
  const spelled = (text: string, i: number) => (i % 2 ? ` ${text.toUpperCase()} ` : text.toLowerCase().replace(' ', '  '))
  const header = ['Notes', ...columns.map((column, i) => spelled(RAW_HEADERS[column], i))].join(',')
  const line = ['n', ...columns.map((column) => rawRow()[column])].join(',')
  const { items } = await collect(file('reordered.csv', `${header}\n${line}\n`))
  assert.ok(items[0].kind === 'row')
  assert.deepEqual(items[0].raw, rawRow())
})

test('a missing header column, an empty file, a missing file and a directory are clear errors', async () => {
  const header = RAW_COLUMNS.filter((column) => column !== 'bias' && column !== 'zip_code').map((column) => RAW_HEADERS[column]).join(',')
  await assert.rejects(collect(file('nobias.csv', `${header}\n`)), (error: HatecrimesError) => {
    assert.ok(error instanceof HatecrimesError)
    assert.equal(error.code, 'BAD_INPUT')
    assert.match(error.message, /^Expected the header of a known layout \(austin_apd, [a-z_, ]+\) in row 1 of nobias\.csv; the closest, austin_apd, is missing "Bias" \(got "Month", /)
    return true
  })
  await assert.rejects(collect(file('empty.csv', '')), /Expected a header row in empty\.csv \(the file is empty\)/)
  const missing = join(dir, 'nope.csv')
  assert.throws(() => readCsv(missing), (error: HatecrimesError) => {
    assert.equal(error.code, 'INPUT_MISSING')
    assert.equal(error.message, `Expected a CSV file at ${missing} (no such file)`)
    return true
  })
  assert.throws(() => readCsv(dir), /Expected a CSV file at .* \(it is a directory\)/)
})

test('a multi-byte character split across read chunks stays whole', async () => {
  // Put the two bytes of "é" on either side of the 64 KiB boundary of the file stream's first chunk.
  const before = `${HEADER}\r\n`.length + GOOD_LINE.indexOf('Residence/Home')
  const location = `${'x'.repeat(65_535 - before)}é`
  const { items } = await collect(file('utf8.csv', austinCsv([rawRow({ offense_location: location }), rawRow()])))
  assert.ok(items[0].kind === 'row')
  assert.equal(items[0].raw.offense_location, location)
  assert.equal(items.length, 2)
})

test('the parser waits for a busy consumer, and an abort stops the read', async () => {
  const controller = new AbortController()
  const csv = readCsv(await large, { signal: controller.signal })
  const seen: number[] = []
  await assert.rejects(async () => {
    for await (const item of csv) {
      seen.push(item.row)
      if (seen.length === 1) {
        await sleep(200)
        const { bytesRead, totalBytes, fraction } = csv.progress()
        assert.ok(bytesRead < 4 * 1024 * 1024 && totalBytes > 20 * 1024 * 1024, `read ${bytesRead} of ${totalBytes} while paused`)
        assert.equal(fraction, bytesRead / totalBytes)
      }
      if (seen.length === 1000) controller.abort()
    }
  }, { name: 'AbortError' })
  assert.equal(seen.length, 1000)
  assert.ok(csv.stats.bytesRead < csv.stats.totalBytes, 'the rest of the file was never read')
  const aborted = readCsv(join(dir, 'quoted.csv'), { signal: controller.signal })
  await assert.rejects(aborted[Symbol.asyncIterator]().next(), { name: 'AbortError' }, 'an aborted signal stops the read before it starts')
})

test('a large file streams with bounded memory', async () => {
  // Live heap after a full collection: what the reader retains, not garbage waiting to be collected.
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const csv = readCsv(await large)
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
  assert.deepEqual(csv.stats, { rows: 200_000, blankLines: 0, bytesRead: csv.progress().totalBytes, totalBytes: csv.progress().totalBytes })
  assert.equal(csv.progress().fraction, 1)
})
