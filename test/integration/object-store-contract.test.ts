import { describe, test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FsStore } from '../../src/lake/fs-store.ts'
import { ObjectExistsError, ObjectMissingError, type ObjectStore } from '../../src/lake/object-store.ts'
import { testStore } from './s3-harness.ts'

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const bytes = (value: string) => new TextEncoder().encode(value)

/** The same contract for every store: what the pipelines rely on. */
function contract(name: string, open: () => ObjectStore) {
  describe(`${name} store`, () => {
    const store = open()
    after(() => store.close())

    test('put then get, head, range and list', async () => {
      await store.put('incidents/year=2017/month=03/a.parquet', bytes('hello lake'))
      await store.put('incidents/year=2017/month=04/b.parquet', bytes('second'))
      await store.put('dead_letters/x.jsonl', bytes('{}\n'))
      assert.equal(text(await store.get('incidents/year=2017/month=03/a.parquet')), 'hello lake')
      assert.equal(text(await store.getRange('incidents/year=2017/month=03/a.parquet', 6, 4)), 'lake')
      const info = await store.head('incidents/year=2017/month=03/a.parquet')
      assert.equal(info?.size, 10)
      assert.ok(info?.etag)
      assert.deepEqual((await store.list('incidents/')).map((o) => o.key), [
        'incidents/year=2017/month=03/a.parquet',
        'incidents/year=2017/month=04/b.parquet',
      ])
      assert.deepEqual((await store.list('')).map((o) => o.key).length, 3)
    })

    test('a replaced object changes its etag; readers see the old or the new, whole', async () => {
      const before = await store.head('incidents/year=2017/month=04/b.parquet')
      await store.put('incidents/year=2017/month=04/b.parquet', bytes('second, rewritten'))
      const afterPut = await store.head('incidents/year=2017/month=04/b.parquet')
      assert.notEqual(afterPut?.etag, before?.etag)
      assert.equal(text(await store.get('incidents/year=2017/month=04/b.parquet')), 'second, rewritten')
    })

    test('conditional writes never clobber an existing object', async () => {
      await store.put('once.bin', bytes('first'), { ifNoneMatch: true })
      await assert.rejects(store.put('once.bin', bytes('second'), { ifNoneMatch: true }), ObjectExistsError)
      assert.equal(text(await store.get('once.bin')), 'first')
    })

    test('missing objects: get throws ObjectMissingError, head is undefined, delete is quiet', async () => {
      await assert.rejects(store.get('nope.parquet'), ObjectMissingError)
      assert.equal(await store.head('nope.parquet'), undefined)
      await store.delete('nope.parquet')
      await store.delete('once.bin')
      assert.equal(await store.head('once.bin'), undefined)
    })

    test('a large body (multipart on S3) reads back identical', async () => {
      const large = new Uint8Array(12 * 1024 * 1024).map((_, i) => (i * 7) % 251)
      await store.put('large.bin', large)
      const back = await store.get('large.bin')
      assert.equal(back.length, large.length)
      assert.ok(Buffer.from(back).equals(Buffer.from(large)))
      const other = large.map((value) => value ^ 1)
      await assert.rejects(store.put('large.bin', other, { ifNoneMatch: true }), ObjectExistsError, 'a conditional multipart write never clobbers')
      assert.ok(Buffer.from(await store.get('large.bin')).equals(Buffer.from(large)))
      await store.put('large-once.bin', other, { ifNoneMatch: true })
      assert.equal((await store.head('large-once.bin'))?.size, other.length)
    })
  })
}

contract('folder', () => new FsStore(mkdtempSync(join(tmpdir(), 'hc-contract-'))))
contract('S3', () => testStore('contract'))
