import { test } from 'node:test'
import assert from 'node:assert/strict'
import Papa from 'papaparse'
import { ChunkParser, guessDelimiter } from '../../src/sources/csv-parser.ts'

/** Every record of `text` parsed in chunks of `size` characters, the last call with `last`. */
function inChunks(text: string, size: number): string[][] {
  const parser = new ChunkParser()
  const records: string[][] = []
  for (let at = 0; at < text.length; at += size) records.push(...parser.parse(text.slice(at, at + size), false))
  records.push(...parser.parse('', true))
  return records
}

// Quotes with commas, escaped quotes and line breaks; CRLF and LF lines; a blank line; spaces after
// a closing quote; a quote inside an unquoted field; a last record without a line end.
const HARD = 'id,text,n\r\n1,"a, ""b""\r\nc",2\n2,plain,3\r\n3,"x" ,4\r\n\r\n4,o"k,5\r\n5,,\r\n6,"",7'
const EXPECTED = [
  ['id', 'text', 'n'],
  ['1', 'a, "b"\r\nc', '2'],
  ['2', 'plain', '3'],
  ['3', 'x', '4'],
  [''],
  ['4', 'o"k', '5'],
  ['5', '', ''],
  ['6', '', '7'],
]

test('quotes, escaped quotes, embedded line breaks, CRLF and LF read alike however the text is cut', () => {
  for (let size = 1; size <= HARD.length; size++) assert.deepEqual(inChunks(HARD, size), EXPECTED, `chunks of ${size} characters`)
})

test('a file whose lines end with CR alone reads by them', () => {
  assert.deepEqual(inChunks('a,b\r1,"x\ry"\r2,3', 4), [['a', 'b'], ['1', 'x\ry'], ['2', '3']])
})

test('what papaparse reads from a whole text, the parser reads from its chunks', () => {
  const text = HARD.replace(/(?<!\r)\n/g, '\r\n')
  const whole = Papa.parse<string[]>(text, { skipEmptyLines: false }).data
  assert.deepEqual(inChunks(text, 7), whole)
})

test('a byte-order mark is dropped, and the delimiter is the header line\'s', () => {
  assert.deepEqual(inChunks('\uFEFFa,b\r\n1,2\r\n', 3), [['a', 'b'], ['1', '2']])
  assert.deepEqual(inChunks('\uFEFFa,b\r1,2\r', 2), [['a', 'b'], ['1', '2']], 'a CR line end is found past the mark')
  assert.deepEqual(inChunks('a;b;c\n1;2,5;3\n', 4), [['a', 'b', 'c'], ['1', '2,5', '3']])
  assert.equal(guessDelimiter('a\tb\tc\r\n'), '\t')
  assert.equal(guessDelimiter('single column\n'), ',')
})

test('an unclosed quote runs to the end of the file; a record waits while its quote is open', () => {
  const parser = new ChunkParser()
  assert.deepEqual(parser.parse('a,b\n1,"open\n', false), [['a', 'b']])
  assert.equal(parser.pending, '1,"open\n')
  assert.deepEqual(parser.parse('still,open', true), [['1', 'open\nstill,open']])
})

test('a dropped record is read past to its line end, quotes and all, and parsing goes on after it', () => {
  const parser = new ChunkParser()
  assert.deepEqual(parser.parse('a,b\n1,"long\n', false), [['a', 'b']])
  assert.equal(parser.dropPending(), '1,"long\n')
  assert.deepEqual(parser.parse('still long, "" quoted\n', false), [], 'inside the quote: nothing yet')
  assert.deepEqual(parser.parse('end",x\n2,3\n', false), [['2', '3']])
})

