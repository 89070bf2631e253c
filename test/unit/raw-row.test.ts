import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AUSTIN_COLUMN_IDS as RAW_COLUMNS } from '../../src/layouts/austin-apd/columns.ts'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { detached, perCell, perCellKept, rawText, shown, tidyCell, toRawRow as toRawIn } from '../../src/transforms/raw-row.ts'
import { rawRow } from '../fixtures/austin-rows.ts'

const toRawRow = (value: unknown) => toRawIn(value, RAW_COLUMNS)

test('a message body with every raw column as a string is the RawRow itself; extra keys are let be', () => {
  const body = { ...rawRow(), producer_version: '2', note: 7 }
  const outcome = toRawRow(body)
  assert.ok(outcome.ok)
  assert.equal(outcome.value, body, 'no copy is made')
  for (const column of RAW_COLUMNS) assert.equal(outcome.value[column], rawRow()[column])
})

test('a body that is not an object is invalid at the decode stage, saying what it was', () => {
  const cases: [unknown, string][] = [
    [[1, 2], 'an array'],
    [null, 'null'],
    ['2017-1,Mar', 'string'],
    [42, 'number'],
  ]
  for (const [value, found] of cases) {
    const outcome = toRawRow(value)
    assert.ok(!outcome.ok)
    assert.deepEqual(outcome.rejection, {
      stage: 'decode',
      code: 'not_an_object',
      message: `Expected a JSON object with the 15 raw columns (got ${found})`,
    })
  }
})

test('missing columns are named', () => {
  const { bias: _bias, zip_code: _zip, ...partial } = rawRow()
  const outcome = toRawRow(partial)
  assert.ok(!outcome.ok)
  assert.deepEqual(outcome.rejection, {
    stage: 'decode',
    code: 'missing_fields',
    message: 'Expected every raw column in the message (missing: bias, zip_code)',
  })
})

test('non-string values are named with what they held', () => {
  const outcome = toRawRow({ ...rawRow(), zip_code: 78701, council_district: null })
  assert.ok(!outcome.ok)
  assert.equal(outcome.rejection.code, 'wrong_field_type')
  assert.equal(outcome.rejection.message, 'Expected a string in every raw column (got zip_code: 78701, council_district: null)')
  const undefinedValue = toRawRow({ ...rawRow(), bias: undefined })
  assert.ok(!undefinedValue.ok)
  assert.match(undefinedValue.rejection.message, /\(got bias: undefined\)$/)
})

test('cells are trimmed and inner whitespace collapsed; tidy cells come back as they were', () => {
  assert.equal(tidyCell('  Parking Lots/  Garage '), 'Parking Lots/ Garage')
  assert.equal(tidyCell('Anti-Gay\t(Male)'), 'Anti-Gay (Male)')
  assert.equal(tidyCell('Residence/Home\r\n'), 'Residence/Home')
  assert.equal(tidyCell('   '), '')
  const clean = 'Anti-Multi Races, Group'
  assert.equal(tidyCell(clean), clean)
})

test('found values are quoted and cut short in messages', () => {
  assert.equal(shown('2017-13-45'), '"2017-13-45"')
  assert.equal(shown('say "hi"'), '"say \\"hi\\""')
  assert.equal(shown('x'.repeat(500)), `"${'x'.repeat(80)}..."`)
  assert.equal(shown(78701), '78701')
  assert.equal(shown({ a: 'y'.repeat(200) }).length, 83)
})

test('a per-cell mapping runs once per distinct text, including undefined results, and stays bounded', () => {
  const calls: string[] = []
  const lookup = perCell((cell: string) => {
    calls.push(cell)
    return cell === 'unknown' ? undefined : cell.length
  }, 3)
  assert.equal(lookup('abc'), 3)
  assert.equal(lookup('abc'), 3)
  assert.equal(lookup('unknown'), undefined)
  assert.equal(lookup('unknown'), undefined)
  assert.deepEqual(calls, ['abc', 'unknown'])
  lookup('d')
  lookup('ee')
  lookup('abc')
  assert.deepEqual(calls, ['abc', 'unknown', 'd', 'ee', 'abc'], 'the memo was emptied when it held 3 texts')
})

test('memoised cells and their kept copies do not pin the text they were cut from', () => {
  // Parser cells are slices of a 64 KiB chunk; here each is a slice of its own 1 MiB string.
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const lookup = perCell((cell: string) => ({ cell }))
  const mapped = perCellKept((cell: string) => ({ length: cell.length }))
  const kept: string[] = []
  const keptWithMapping: string[] = []
  gc()
  const before = process.memoryUsage().heapUsed
  for (let i = 0; i < 200; i++) {
    const chunk = `${String(i).padStart(4, '0')} Parking Lots/ Garage`.padEnd(1 << 20, 'x')
    const cell = chunk.slice(0, 25)
    lookup(cell)
    kept.push(rawText(cell))
    keptWithMapping.push(mapped(cell).raw)
  }
  gc()
  const grown = (process.memoryUsage().heapUsed - before) / 1048576
  assert.ok(grown < 20, `200 cells of 1 MiB strings kept ${grown.toFixed(0)} MiB alive`)
  assert.equal(kept[7], '0007 Parking Lots/ Garage')
  assert.equal(lookup('0007 Parking Lots/ Garage').cell, '0007 Parking Lots/ Garage')
  assert.equal(rawText('0007 Parking Lots/ Garage'), kept[7], 'one kept copy per distinct text')
  assert.deepEqual(mapped('0007 Parking Lots/ Garage'), { length: 25, raw: '0007 Parking Lots/ Garage' })
  assert.equal(mapped('0007 Parking Lots/ Garage'), mapped(keptWithMapping[7]), 'a mapped cell keeps its text once per distinct text')
  assert.equal(detached('short'), 'short')
})
