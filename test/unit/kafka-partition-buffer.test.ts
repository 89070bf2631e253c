import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { FsStore } from '../../src/lake/fs-store.ts'
import { KafkaPartitionBuffer } from '../../src/sinks/kafka-partition-buffer.ts'
import { removeUncommitted, undoFlush } from '../../src/sinks/kafka-uncommitted.ts'
import { kafkaLetter as letter } from '../fixtures/incident-records.ts'

function store() {
  return new FsStore(mkdtempSync(join(tmpdir(), 'hatecrimes-buffer-')))
}

test('a flush names its file by stream and first/last offset and advances next', async () => {
  const lake = store()
  const buffer = new KafkaPartitionBuffer('incidents', 0, 10n, 1)
  buffer.reject(letter(10), 10n, 5)
  buffer.reject(letter(11), 11n, 5)
  assert.equal(buffer.bytes, 10)
  const flushed = await buffer.flush(lake)
  assert.deepEqual(flushed.files.map((f) => f.key), ['dead_letters/source=austin_apd/incidents-p0-g1-000000000000010-000000000000011.jsonl'])
  assert.equal(flushed.letters, 2)
  assert.equal(buffer.next, 12n)
  assert.equal(buffer.count, 0)
  assert.equal(buffer.since, undefined)
})

test('removeUncommitted deletes this partition\'s files of earlier generations at or past the resume offset', async () => {
  const lake = store()
  for (const [partition, first, generation] of [[0, 0n, 1], [0, 20n, 1], [0, 30n, 2], [0, 35n, 3], [0, 36n, 4], [1, 30n, 2]] as const) {
    const buffer = new KafkaPartitionBuffer('incidents', partition, first, generation)
    buffer.reject(letter(Number(first)), first, 1)
    await buffer.flush(lake)
  }
  const removed = await removeUncommitted(lake, 'incidents', new Map([[0, 20n]]), 3)
  assert.deepEqual(removed.sort(), [
    'dead_letters/source=austin_apd/incidents-p0-g1-000000000000020-000000000000020.jsonl',
    'dead_letters/source=austin_apd/incidents-p0-g2-000000000000030-000000000000030.jsonl',
  ])
  const left = (await lake.list('dead_letters/')).map((o) => o.key).sort()
  assert.deepEqual(left, [
    'dead_letters/source=austin_apd/incidents-p0-g1-000000000000000-000000000000000.jsonl',
    'dead_letters/source=austin_apd/incidents-p0-g3-000000000000035-000000000000035.jsonl',
    'dead_letters/source=austin_apd/incidents-p0-g4-000000000000036-000000000000036.jsonl',
    'dead_letters/source=austin_apd/incidents-p1-g2-000000000000030-000000000000030.jsonl',
  ], 'files below the resume offset, of the caller\'s own or a later generation (a newer owner) and of other partitions stay')
})

test('in a group\'s first generation removeUncommitted has no earlier generation to look for, and lists nothing', async () => {
  const lake = store()
  let listed = 0
  const counting = Object.assign(Object.create(lake) as FsStore, { list: (prefix: string) => (listed++, lake.list(prefix)) })
  assert.deepEqual(await removeUncommitted(counting, 'incidents', new Map([[0, 0n]]), 1), [])
  assert.deepEqual(await removeUncommitted(counting, 'incidents', new Map([[0, 0n]]), 1, { partition: 0, folders: ['incidents/source=a/year=2017/month=03'] }), [])
  assert.equal(listed, 0)
  await removeUncommitted(counting, 'incidents', new Map([[0, 0n]]), 2)
  assert.equal(listed, 2, 'from the second generation on, the table and the dead letters are listed')
})

test('a long topic keeps partition and generation in its file names, and long topics never share names', async () => {
  const lake = store()
  const [a, b] = ['t'.repeat(119) + 'a', 't'.repeat(119) + 'b']
  const keys: string[] = []
  for (const topic of [a, b]) {
    for (const partition of [0, 1]) {
      const buffer = new KafkaPartitionBuffer(topic, partition, 0n, 4)
      buffer.reject(letter(0), 0n, 1)
      keys.push(...(await buffer.flush(lake)).files.map((f) => f.key))
    }
  }
  assert.equal(new Set(keys).size, 4, keys.join(' '))
  for (const key of keys) assert.match(key, /-p[01]-g4-000000000000000-000000000000000\.jsonl$/)
  for (const key of keys) assert.ok(key.split('/').pop()!.length < 120, key)
  assert.equal((await removeUncommitted(lake, a, new Map([[1, 0n]]), 5)).length, 1, 'clean-up finds only its own topic and partition')
})

test('skipTo moves next over offsets without records, and a flush then has nothing to write', async () => {
  const buffer = new KafkaPartitionBuffer('incidents', 0, 10n, 1)
  buffer.skipTo(12n)
  buffer.skipTo(11n)
  assert.equal(buffer.next, 12n)
  assert.equal(buffer.count, 0)
  assert.notEqual(buffer.since, undefined, 'an advance without records still ages, so it gets committed')
  assert.deepEqual((await buffer.flush(store())).files, [])
})

test('undoFlush leaves a file alone once someone else has rewritten it', async () => {
  const lake = store()
  const buffer = new KafkaPartitionBuffer('incidents', 0, 0n, 1)
  buffer.reject(letter(0), 0n, 1)
  const { files } = await buffer.flush(lake)
  await new Promise((resolve) => setTimeout(resolve, 20))
  await lake.put(files[0].key, new TextEncoder().encode('{"rewritten":true,"by":"the new owner"}\n'))
  await undoFlush(lake, files)
  assert.ok(await lake.head(files[0].key), 'the rewritten file stays')
  const again = new KafkaPartitionBuffer('incidents', 0, 5n, 1)
  again.reject(letter(5), 5n, 1)
  const mine = await again.flush(lake)
  await undoFlush(lake, mine.files)
  assert.equal(await lake.head(mine.files[0].key), undefined, 'an untouched file of the fenced flush is deleted')
})

test('the old and the new owner of a partition never write the same file, so an undo cannot hit the new owner', async () => {
  const lake = store()
  const old = new KafkaPartitionBuffer('incidents', 0, 400n, 1)
  const successor = new KafkaPartitionBuffer('incidents', 0, 400n, 2)
  successor.reject(letter(400), 400n, 1)
  const kept = await successor.flush(lake)
  old.reject(letter(400), 400n, 1)
  const fenced = await old.flush(lake)
  assert.notEqual(fenced.files[0].key, kept.files[0].key, 'same offsets, different names')
  await undoFlush(lake, fenced.files)
  assert.ok(await lake.head(kept.files[0].key), "the new owner's file stays")
  assert.equal(await lake.head(fenced.files[0].key), undefined)
})
