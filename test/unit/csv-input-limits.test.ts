import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HatecrimesError } from '../../src/core/errors.ts'
import { ChunkDecoder, encodingName } from '../../src/sources/csv-decoding.ts'
import { readCsv, type CsvItem, type CsvReadOptions } from '../../src/sources/csv-source.ts'
import { austinCsv, rawRow } from '../fixtures/austin-rows.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-limits-'))
const file = (name: string, bytes: string | Uint8Array) => {
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}
const [HEADER, GOOD_LINE] = austinCsv([rawRow()]).split('\r\n')

async function read(path: string, options: CsvReadOptions = {}) {
  const items: CsvItem[] = []
  let failure: HatecrimesError | undefined
  try {
    for await (const item of readCsv(path, options)) items.push(item)
  } catch (error) {
    if (!(error instanceof HatecrimesError)) throw error
    failure = error
  }
  return { items, failure }
}

/** A CSV of good rows with `line` as row 4, encoded byte for byte as latin1 (Windows-1252 for these bytes). */
function latin1Csv(line: string): Buffer {
  return Buffer.from(`${HEADER}\r\n${GOOD_LINE}\r\n${GOOD_LINE}\r\n${line}\r\n${GOOD_LINE}\r\n`, 'latin1')
}

test('invalid UTF-8 stops the read at its record, naming the byte, its offset and --encoding', async () => {
  const bytes = latin1Csv(GOOD_LINE.replace('Residence/Home', 'R\u00e9sidence'))
  const { items, failure } = await read(file('cp1252.csv', bytes))
  assert.deepEqual(items.map((item) => item.row), [2, 3], 'the rows before it are read; the bad one is not stored altered')
  assert.equal(failure?.code, 'BAD_INPUT')
  const offset = bytes.indexOf(0xe9)
  assert.match(failure!.message, new RegExp(`^Expected UTF-8 text in cp1252\\.csv, found byte 0xe9 at byte offset ${offset} \\(row 4\\)`))
  assert.match(failure!.message, /--encoding windows-1252/)
})

test('--encoding windows-1252 (or latin1) keeps the source text, dash and accent included', async () => {
  const line = GOOD_LINE.replace(/^([^,]*),[^,]*/, '$1,2020-30\u2013A').replace('Residence/Home', 'R\u00e9sidence')
  const bytes = Buffer.from(latin1Csv(line.replace('\u2013', '\u0096')))
  for (const encoding of ['windows-1252', 'latin1']) {
    const { items, failure } = await read(file('cp1252.csv', bytes), { encoding })
    assert.equal(failure, undefined)
    const row = items.find((item) => item.row === 4)
    assert.ok(row?.kind === 'row')
    assert.equal(row.raw.incident_number, '2020-30\u2013A')
    assert.equal(row.raw.offense_location, 'R\u00e9sidence')
  }
})

test('a UTF-16 file with a byte-order mark reads without --encoding', async () => {
  const text = `\uFEFF${HEADER}\r\n${GOOD_LINE.replace('Residence/Home', 'R\u00e9sidence')}\r\n`
  for (const [name, bytes] of [
    ['utf16le.csv', Buffer.from(text, 'utf16le')],
    ['utf16be.csv', Buffer.from(text, 'utf16le').swap16()],
  ] as const) {
    const { items, failure } = await read(file(name, bytes))
    assert.equal(failure, undefined, name)
    assert.ok(items[0]?.kind === 'row', name)
    assert.equal(items[0].raw.offense_location, 'R\u00e9sidence', name)
  }
})

test('a UTF-8 character cut by a chunk boundary decodes whole; a bad byte gets its file offset', () => {
  const bytes = Buffer.from('a\u00e9\u20ac\u{1F600}b', 'utf8')
  for (let cut = 0; cut <= bytes.length; cut++) {
    const decoder = new ChunkDecoder()
    const text = decoder.decode(bytes.subarray(0, cut), false).text + decoder.decode(bytes.subarray(cut), true).text
    assert.equal(text, 'a\u00e9\u20ac\u{1F600}b', `cut at byte ${cut}`)
  }
  const decoder = new ChunkDecoder()
  assert.deepEqual(decoder.decode(Buffer.from('abc'), false), { text: 'abc' })
  assert.deepEqual(decoder.decode(Buffer.from([0x64, 0xe2, 0x82, 0x41]), false), { text: 'd', invalid: { offset: 4, byte: 0xe2 } })
  assert.equal(encodingName('latin1'), 'windows-1252')
  assert.throws(() => encodingName('klingon'), (error: HatecrimesError) => error.code === 'BAD_OPTION' && /--encoding .*"klingon"/.test(error.message))
})

test('a quote left open stops the read at the size limit, naming the row where the record starts', async () => {
  const runaway = `${GOOD_LINE.split(',')[0]},"2020-1,${'x'.repeat(300_000)}`
  const path = file('runaway.csv', `${HEADER}\r\n${GOOD_LINE}\r\n${runaway}\r\n${GOOD_LINE}\r\n`)
  const { items, failure } = await read(path, { maxRecordChars: 100_000 })
  assert.deepEqual(items.map((item) => item.row), [2])
  assert.equal(failure?.code, 'BAD_INPUT')
  assert.match(failure!.message, /^Expected records of at most 100000 characters in runaway\.csv, found a record over that starting at row 3 \(.*a quote left open\?\)/)
  assert.match(failure!.message, /--max-record-chars/)
  assert.ok(failure!.message.length < 700, `the message quotes a few hundred characters at most (got ${failure!.message.length})`)
  const within = await read(path, { maxRecordChars: 1_000_000 })
  assert.equal(within.failure, undefined, 'under a higher limit the quote runs to the end of the file, as before')
})

test('a header that is one endless line is refused at the limit, and a bad header quotes a few hundred characters', async () => {
  const endless = await read(file('endless.csv', `Month,${'y'.repeat(200_000)}`), { maxRecordChars: 50_000 })
  assert.match(endless.failure?.message ?? '', /starting at row 1 \(no line end\)/)
  const wide = await read(file('wide.csv', `Month,${'Bias '.repeat(20_000)}\r\n${GOOD_LINE}\r\n`))
  assert.match(wide.failure?.message ?? '', /^Expected the header of a known layout .* in row 1 of wide\.csv; the closest, .* is missing .*\(got "Month", "Bias Bias .*… \(\d+ characters in all\)\)$/)
  assert.ok(wide.failure!.message.length < 1_500, `got ${wide.failure!.message.length} characters`)
})
