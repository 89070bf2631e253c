import { test } from 'node:test'
import assert from 'node:assert/strict'
import { HatecrimesError } from '../../src/core/errors.ts'
import { liveDataFiles, manifestBytes, parseManifest } from '../../src/lake/compaction-manifest.ts'

const KEY = 'incidents/source=test/year=2017/month=03/_compaction-ab12.json'
const bytes = (text: string) => new TextEncoder().encode(text)

test('a manifest reads back as written, its settle included', () => {
  const manifest = { merged: 'm/a-0-9.parquet', replaced: ['m/a-0-4.parquet', 'm/a-5-9.parquet'], settleMs: 10_000 }
  assert.deepEqual(parseManifest(manifestBytes(manifest), KEY), manifest)
  assert.deepEqual(parseManifest(bytes('{"merged":"m/x.parquet","replaced":["m/y.parquet"]}'), KEY), { merged: 'm/x.parquet', replaced: ['m/y.parquet'] }, 'one written before the settle was recorded')
})

test('a file that is not a manifest stops the reader with its key and what is wrong, instead of hiding files', () => {
  const cases: [string, RegExp][] = [
    ['{"merged":"m/x.parquet","replaced":"m/y.parquet"}', /replaced: .*expected array/i],
    ['{"merged":"m/x.parquet"}', /replaced: /],
    ['{"merged":"m/x.json","replaced":["m/y.parquet"]}', /merged: /],
    ['{"merged":"m/x.parq', /not JSON; got "\{\\"merged\\":\\"m\/x\.parq"\)/],
  ]
  for (const [text, problem] of cases) {
    assert.throws(
      () => parseManifest(bytes(text), KEY),
      (error: HatecrimesError) => {
        assert.equal(error.code, 'LAKE_READ_FAILED')
        assert.match(error.message, new RegExp(`^Expected a compaction manifest .* in ${KEY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `))
        assert.match(error.message, problem)
        return true
      },
      text,
    )
  }
})

test('a manifest hides its files only once its merged file is listed', () => {
  const at = (key: string) => ({ key, size: 1, etag: key, modified: new Date(0) })
  const manifest = { merged: 'm/a-0-9.parquet', replaced: ['m/a-0-4.parquet', 'm/a-5-9.parquet'] }
  assert.equal(liveDataFiles(manifest.replaced.map(at), [manifest]).length, 2)
  assert.deepEqual(liveDataFiles([...manifest.replaced, manifest.merged].map(at), [manifest]).map((info) => info.key), [manifest.merged])
})
