import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateRawSync, gzipSync } from 'node:zlib'
import { readCsv, type CsvItem } from '../../src/sources/csv-source.ts'
import { packingOf } from '../../src/sources/input-bytes.ts'
import { austinCsv, MESSY_ROWS } from '../fixtures/austin-rows.ts'

const dir = mkdtempSync(join(tmpdir(), 'hc-input-'))

/** A zip archive of one deflated entry, as far as a streaming reader sees it: local header, data, then a stand-in directory. */
function zipOf(name: string, text: string): Buffer {
  const data = deflateRawSync(Buffer.from(text))
  const header = Buffer.alloc(30)
  header.writeUInt32LE(0x04034b50, 0)
  header.writeUInt16LE(20, 4)
  header.writeUInt16LE(8, 8)
  header.writeUInt32LE(data.length, 18)
  header.writeUInt32LE(Buffer.byteLength(text), 22)
  header.writeUInt16LE(Buffer.byteLength(name), 26)
  return Buffer.concat([header, Buffer.from(name), data, Buffer.from('PK\u0001\u0002 central directory, never read')])
}

async function rowsOf(path: string) {
  const csv = readCsv(path)
  const items: CsvItem[] = []
  for await (const item of csv) items.push(item)
  return { items, progress: csv.progress() }
}

test('the packing is read from the name', () => {
  assert.deepEqual(['a.csv', 'a.CSV.GZ', 'hate_crime.zip', 'b.txt'].map(packingOf), ['csv', 'gzip', 'zip', 'csv'])
})

test('a .csv.gz and a .zip give the rows of the plain file, and progress counts the compressed bytes', async () => {
  const text = austinCsv(MESSY_ROWS)
  const plain = join(dir, 'austin.csv')
  writeFileSync(plain, text)
  writeFileSync(join(dir, 'austin.csv.gz'), gzipSync(text))
  writeFileSync(join(dir, 'austin.zip'), zipOf('austin.csv', text))
  const expected = (await rowsOf(plain)).items
  for (const name of ['austin.csv.gz', 'austin.zip']) {
    const { items, progress } = await rowsOf(join(dir, name))
    assert.deepEqual(items, expected, name)
    assert.equal(progress.totalBytes, statSync(join(dir, name)).size, name)
    assert.equal(progress.bytesRead, progress.totalBytes, name)
  }
})

test('a zip whose first entry is no deflated .csv, and a corrupt gzip, are clear errors', async () => {
  writeFileSync(join(dir, 'readme.zip'), zipOf('README.txt', 'hello'))
  await assert.rejects(rowsOf(join(dir, 'readme.zip')), /Expected a zip archive whose first entry is a deflated \.csv in readme\.zip \(its first entry is README\.txt, not a \.csv\)/)
  writeFileSync(join(dir, 'plain.zip'), 'Month,Incident Number,Date of Incident,Day of Week\n')
  await assert.rejects(rowsOf(join(dir, 'plain.zip')), /Expected a zip archive .* in plain\.zip \(it starts with 0x/)
  writeFileSync(join(dir, 'bad.csv.gz'), Buffer.from('not gzip at all'))
  await assert.rejects(rowsOf(join(dir, 'bad.csv.gz')), /^HatecrimesError: Expected compressed data that inflates in .*bad\.csv\.gz \(got Z_DATA_ERROR: incorrect header check\)/)
})
