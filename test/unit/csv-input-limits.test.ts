import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HatecrimesError } from '../../src/core/errors.ts'
import { ChunkDecoder, encodingName, undecodedBytes } from '../../src/sources/csv-decoding.ts'
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

test('a row with bytes that are not UTF-8 goes to the dead letters with its row and byte; the read goes on', async () => {
  const bytes = latin1Csv(GOOD_LINE.replace('Residence/Home', 'R\u00e9sidence'))
  const { items, failure } = await read(file('cp1252.csv', bytes))
  assert.equal(failure, undefined)
  assert.deepEqual(items.map((item) => `${item.row} ${item.kind}`), ['2 row', '3 row', '4 problem', '5 row'], 'the bad row is not stored altered; the next one is read')
  const problem = items[2]
  assert.ok(problem.kind === 'problem')
  assert.equal(problem.rejection.code, 'not_utf8')
  assert.equal(problem.rejection.stage, 'read')
  assert.match(problem.rejection.message, /^Expected UTF-8 text at row 4 of cp1252\.csv, found byte 0xe9 in "R\uFFFDsidence"/)
  assert.match(problem.rejection.message, /--encoding windows-1252/)
  assert.ok(problem.raw.includes('R\uFFFDsidence'), 'the dead letter holds the row, each bad byte as U+FFFD')
})

test('bad bytes anywhere in a long file, chunk boundaries included, send exactly their rows to the dead letters', async () => {
  // About 200 bytes a row: 3,000 rows span several 64 KiB chunks, so some bad rows straddle two.
  const lines = Array.from({ length: 3_000 }, (_, i) => (i % 97 === 5 ? GOOD_LINE.replace('Residence/Home', `Caf\u00e9 ${i}\u0096`) : GOOD_LINE))
  const { items, failure } = await read(file('long-cp1252.csv', Buffer.from(`${HEADER}\r\n${lines.join('\r\n')}\r\n`, 'latin1')))
  assert.equal(failure, undefined)
  assert.equal(items.length, 3_000)
  const bad = items.filter((item) => item.kind === 'problem')
  assert.deepEqual(bad.map((item) => item.row), lines.flatMap((line, i) => (line === GOOD_LINE ? [] : [i + 2])))
  assert.ok(bad.every((item) => item.kind === 'problem' && /found byte 0xe9, 0x96 in/.test(item.rejection.message)))
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

test('a UTF-8 character cut by a chunk boundary decodes whole; each bad byte is kept as an escape', () => {
  const bytes = Buffer.from('a\u00e9\u20ac\u{1F600}b', 'utf8')
  for (let cut = 0; cut <= bytes.length; cut++) {
    const decoder = new ChunkDecoder()
    const text = decoder.decode(bytes.subarray(0, cut), false).text + decoder.decode(bytes.subarray(cut), true).text
    assert.equal(text, 'a\u00e9\u20ac\u{1F600}b', `cut at byte ${cut}`)
  }
  const decoder = new ChunkDecoder()
  assert.deepEqual(decoder.decode(Buffer.from('abc'), false), { text: 'abc', undecoded: 0 })
  assert.deepEqual(decoder.decode(Buffer.from([0x64, 0xe2, 0x82, 0x41]), false), { text: 'd\udce2\udc82A', undecoded: 2 })
  assert.deepEqual(undecodedBytes('d\udce2\udc82A'), [0xe2, 0x82])
  assert.deepEqual(undecodedBytes('\u{1F480}'), [], 'a surrogate pair whose low half looks like an escape is a real character')
  assert.equal(encodingName('latin1'), 'windows-1252')
  assert.throws(() => encodingName('klingon'), (error: HatecrimesError) => error.code === 'BAD_OPTION' && /--encoding .*"klingon"/.test(error.message))
})

test('a record past the size limit goes to the dead letters, quoted a few hundred characters, and the read goes on', async () => {
  const long = `${GOOD_LINE.split(',')[0]},"2020-1 ${'x'.repeat(300_000)}",${GOOD_LINE.split(',').slice(2).join(',')}`
  const path = file('long.csv', `${HEADER}\r\n${GOOD_LINE}\r\n${long}\r\n${GOOD_LINE}\r\n`)
  const { items, failure } = await read(path, { maxRecordChars: 100_000 })
  assert.equal(failure, undefined)
  assert.deepEqual(items.map((item) => `${item.row} ${item.kind}`), ['2 row', '3 problem', '4 row'])
  const problem = items[1]
  assert.ok(problem.kind === 'problem')
  assert.equal(problem.rejection.code, 'record_too_long')
  assert.match(problem.rejection.message, /^Expected records of at most 100000 characters in long\.csv, found a record over that starting at row 3 /)
  assert.match(problem.rejection.message, /--max-record-chars/)
  assert.ok(problem.rejection.message.length < 700, `the message quotes a few hundred characters at most (got ${problem.rejection.message.length})`)
  assert.ok(JSON.stringify(problem.raw).length < 700, 'so does the dead letter')
  const within = await read(path, { maxRecordChars: 1_000_000 })
  assert.deepEqual(within.items.map((item) => `${item.row} ${item.kind}`), ['2 row', '3 row', '4 row'], 'under a higher limit it is a row')
})

test('a quote left open turns the rest of the file into one record: it goes to the dead letters with its row', async () => {
  const runaway = `${GOOD_LINE.split(',')[0]},"2020-1,${'x'.repeat(300_000)}`
  const path = file('runaway.csv', `${HEADER}\r\n${GOOD_LINE}\r\n${runaway}\r\n${GOOD_LINE}\r\n`)
  const { items, failure } = await read(path, { maxRecordChars: 100_000 })
  assert.equal(failure, undefined)
  assert.deepEqual(items.map((item) => `${item.row} ${item.kind}`), ['2 row', '3 problem'])
  assert.ok(items[1].kind === 'problem')
  assert.match(items[1].rejection.message, /starting at row 3 \(it holds an odd number of quotes: a quote left open\?\)/)
})

test('a header that is one endless line is refused at the limit, and a bad header quotes a few hundred characters', async () => {
  const endless = await read(file('endless.csv', `Month,${'y'.repeat(200_000)}`), { maxRecordChars: 50_000 })
  assert.match(endless.failure?.message ?? '', /starting at row 1 \(no line end\)/)
  const wide = await read(file('wide.csv', `Month,${'Bias '.repeat(20_000)}\r\n${GOOD_LINE}\r\n`))
  assert.match(wide.failure?.message ?? '', /^Expected the header of a known layout .* in row 1 of wide\.csv; the closest, .* is missing .*\(got "Month", "Bias Bias .*… \(\d+ characters in all\)\)$/)
  assert.ok(wide.failure!.message.length < 1_500, `got ${wide.failure!.message.length} characters`)
})
