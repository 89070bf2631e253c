import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Papa from 'papaparse'
import { isBlank } from '../../src/sources/csv-chunks.ts'
import { ChunkParser } from '../../src/sources/csv-parser.ts'
import { readCsv } from '../../src/sources/csv-source.ts'
import { writeSyntheticCsv } from '../../src/sources/synthetic.ts'

const TEXT = 'a,b,c\r\n1,"two, ""2""",3\r\n4,"five\r\nlines",6\r\n\r\n7,8,9'

test('records cut anywhere by chunk boundaries parse as papaparse parses the whole text', () => {
  const whole = Papa.parse<string[]>(TEXT, { skipEmptyLines: false }).data
  // Papaparse (here as in its own streamers) guesses the line ending and delimiter from the first
  // chunk, so that chunk must hold the header's line end and not stop between its \r and \n.
  for (let size = 8; size <= TEXT.length; size++) {
    if (TEXT[size - 1] === '\r') continue
    const parser = new ChunkParser()
    const records: string[][] = []
    for (let at = 0; at < TEXT.length; at += size) records.push(...parser.parse(TEXT.slice(at, at + size), false))
    records.push(...parser.parse('', true))
    assert.deepEqual(records, whole, `chunks of ${size} characters`)
  }
})

test('a chunk gives only the records it ends; the unfinished one waits for the next chunk', () => {
  const parser = new ChunkParser()
  assert.deepEqual(parser.parse('a,b\r\n1,"x\r\n', false), [['a', 'b']], 'the open quote holds the second record')
  assert.deepEqual(parser.parse('y",2\r\n3,', false), [['1', 'x\r\ny', '2']])
  assert.deepEqual(parser.parse('4', true), [['3', '4']], 'the last record needs no line end')
})

test('blank records are those with nothing but spaces', () => {
  assert.equal(isBlank(['']), true)
  assert.equal(isBlank(['', '  ', '']), true)
  assert.equal(isBlank(['', 'x']), false)
})

test('batches() hands out one parsed chunk at a time and reads no further than asked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hc-chunks-'))
  const path = join(dir, 'large.csv')
  await writeSyntheticCsv(path, { rows: 50_000, seed: 3 })
  const csv = readCsv(path)
  const sizes: number[] = []
  const rows: number[] = []
  for await (const batch of csv.batches()) {
    if (!sizes.length) {
      // The file stream reads 64 KiB at a time and keeps at most one more chunk buffered.
      assert.ok(csv.progress().bytesRead <= 4 * 65_536, `read ${csv.progress().bytesRead} bytes for the first batch`)
    }
    sizes.push(batch.length)
    for (const item of batch) rows.push(item.row)
  }
  assert.ok(sizes.length > 10 && Math.max(...sizes) < 1_000, `batch sizes ${Math.min(...sizes)}..${Math.max(...sizes)} over ${sizes.length} batches`)
  assert.equal(rows.length, 50_000)
  assert.deepEqual(rows.slice(0, 3), [2, 3, 4])
  assert.equal(rows.at(-1), 50_001)
  const single: number[] = []
  for await (const item of readCsv(path)) single.push(item.row)
  assert.deepEqual(single, rows, 'iterating records gives the same records as the batches')
  writeFileSync(join(dir, 'blank.csv'), '')
  await assert.rejects(async () => {
    for await (const _ of readCsv(join(dir, 'blank.csv')).batches()) assert.fail('no batch from an empty file')
  }, /Expected a header row in blank\.csv/)
})
