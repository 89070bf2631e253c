import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { KafkaPartitionBuffer, type SealedFile } from '../../src/sinks/kafka-partition-buffer.ts'
import { FsStore } from '../../src/lake/fs-store.ts'
import { KafkaPartitionHandover, writeHanded, type HandedFlush } from '../../src/sinks/kafka-partition-handover.ts'
import { takeMessage, TakenPartitions } from '../../src/sinks/take-partitions.ts'
import { takeHeapLimits, TakeThreads } from '../../src/sinks/take-thread.ts'
import { MessagePacker, unpackMessages } from '../../src/sources/kafka-message-pack.ts'
import type { IngestMessage } from '../../src/sources/kafka-message.ts'
import type { FetchedRecords } from '../../src/sources/kafka-record-walker.ts'
import { rawRow } from '../fixtures/austin-rows.ts'
import { fetchedRecords } from '../fixtures/record-batches.ts'

const ingestedAt = 1_700_000_000_000_000n

/** A lake in a new temporary folder. */
const newStore = () => new FsStore(mkdtempSync(join(tmpdir(), 'hc-take-lake-')))

/** Austin rows of three months, a value that is no JSON and an empty one, fetched from offset 100 on. */
function fetched(): FetchedRecords {
  const values = [...Array(30).keys()].map((i) => JSON.stringify(rawRow({ incident_number: `2017-${i}`, date_of_incident: `0${1 + (i % 3)}/1${i % 10}/2017 12:00:00 AM`, month: ['Jan', 'Feb', 'Mar'][i % 3] })))
  values.splice(7, 0, 'not json')
  values.splice(20, 0, '')
  return fetchedRecords(values.map((value, i) => ({ key: `key-${i}`, value })), 100n)
}

/** Fetched records `from` to `to` of Kafka partition `partition` packed for the take thread. */
function pack(records: FetchedRecords, from = 0, to = records.count, partition = 2) {
  const packer = new MessagePacker('incidents', partition)
  for (let index = from; index < to; index++) packer.add(records, index)
  return packer.done().packed
}

/** The fetched records of a partition as the take thread reads them. */
const messages = (partition: number): IngestMessage[] => [...unpackMessages(pack(fetched(), 0, undefined, partition))]

/** A flush's files, each as its key and bytes; the time a dead letter was made is left out. */
const contents = (files: readonly SealedFile[]) =>
  files.map((file) => ({ key: file.key, bytes: Buffer.from(file.body).toString('latin1').replace(/"at":"[^"]+"/g, '"at":""') }))

/** The files a buffer on this thread makes of a partition's messages. */
function madeHere(taken: IngestMessage[], partition: number) {
  const buffer = new KafkaPartitionBuffer('incidents', partition, 100n, 4)
  for (const message of taken) takeMessage(buffer, message, 'austin_apd', ingestedAt)
  return contents(buffer.seal().files)
}

for (const [partition, where] of [[1, 'the take thread'], [2, 'the calling thread']] as const) {
  test(`${where} makes the very files a buffer here makes, and sends back the dead letters`, async () => {
    const records = fetched()
    const thread = new TakeThreads('austin_apd', 1_000, 1)
    try {
      const handover = new KafkaPartitionHandover(thread, 'incidents', partition, 100n, 4)
      // Handed over in two packs, as two fetches would.
      for (let index = 0; index < 12; index++) handover.add(records, index, ingestedAt)
      handover.handOver()
      for (let index = 12; index < records.count; index++) handover.add(records, index, ingestedAt)
      assert.equal(handover.count, 32)
      const flush = handover.seal()
      assert.deepEqual([flush.first, flush.next, flush.taken, handover.count], [100n, 132n, 32, 0])
      const store = newStore()
      const { sealed, toSend, files, checked } = await writeHanded(store, flush)
      assert.deepEqual([sealed.rows, sealed.letters], [30, 2])
      assert.deepEqual(contents(sealed.files), madeHere(messages(partition), partition))
      // Written and read back: three months of records and a dead-letter file, each with its tag.
      assert.deepEqual(await checked, { rows: 30, letters: 2 })
      assert.deepEqual(files.map((file) => file.key), sealed.files.map((file) => file.key))
      for (const file of files) assert.equal((await store.head(file.key))?.etag, file.etag)
      assert.deepEqual(toSend.map((item) => [item.letter.code, Buffer.from(item.key!).toString(), Buffer.from(item.value!).toString()]), [
        ['not_json', 'key-7', 'not json'],
        ['empty_message', 'key-20', ''],
      ])
    } finally {
      await thread.close()
    }
  })
}

// Partitions go round the threads twice, then to the calling thread: modulo 3 with one thread, modulo 5 with two.
for (const [count, expected] of [[1, [true, true, false, true, true, false]], [2, [true, true, true, true, false, true]]] as const) {
  test(`with ${count} take thread(s), partitions go to the threads twice and to the calling thread once, each always to the same place`, async () => {
    const threads = new TakeThreads('austin_apd', 1_000, count)
    try {
      const moved: boolean[] = []
      for (let partition = 0; partition < 6; partition++) {
        const packer = new MessagePacker('incidents', partition)
        const records = fetched()
        for (let index = 0; index < records.count; index++) packer.add(records, index)
        const { packed, transfer } = packer.done()
        threads.take({ id: 10 + partition, generation: 4, ingestedAt, packed }, transfer)
        // A pack handed to a thread moves there; one taken here stays.
        moved.push(packed.bytes.byteLength === 0)
      }
      assert.deepEqual(moved, expected)
      for (let partition = 0; partition < 6; partition++) {
        const flush = await threads.seal(10 + partition, partition)
        assert.deepEqual([flush.rows, flush.letters], [30, 2], `partition ${partition}`)
        assert.ok(flush.files.every((file) => file.key.includes(`incidents-p${partition}-g4-`)))
      }
    } finally {
      await threads.close()
    }
  })
}

test('a partition dropped on the take thread keeps nothing, and a new assignment starts empty', async () => {
  const partitions = new TakenPartitions('austin_apd')
  const records = fetched()
  partitions.take({ id: 1, generation: 4, ingestedAt, packed: pack(records, 0, 5) })
  partitions.drop(1)
  assert.deepEqual(await partitions.seal(1), { files: [], folders: [], rows: 0, letters: 0, toSend: [] })
  partitions.take({ id: 2, generation: 4, ingestedAt, packed: pack(records, 0, 5) })
  partitions.take({ id: 3, generation: 5, ingestedAt, packed: pack(records, 5, 9) })
  assert.equal((await partitions.seal(2)).rows, 0, 'the buffer of the old assignment is gone')
  const flush = await partitions.seal(3)
  assert.deepEqual([flush.rows, flush.letters], [3, 1])
  assert.ok(flush.files.every((file) => file.key.includes('incidents-p2-g5-')))
})

test('a take thread that stops fails the flushes it held and every call after', async () => {
  const thread = new TakeThreads('austin_apd', 1_000, 1)
  const handover = new KafkaPartitionHandover(thread, 'incidents', 1, 100n, 4)
  const records = fetched()
  for (let index = 0; index < records.count; index++) handover.add(records, index, ingestedAt)
  const flush = handover.seal()
  const settled = thread.settle()
  await thread.close()
  await assert.rejects(flush.made, /take thread to keep running/)
  await assert.rejects(settled.then(() => thread.settle()), /take thread to keep running/)
  handover.add(fetched(), 0, ingestedAt)
  assert.throws(() => handover.seal(), /take thread to keep running/)
})

test('a take thread started ahead of its first job takes it as one started by it, and alone holds no process open', async () => {
  const threads = new TakeThreads('austin_apd', 1_000, 1)
  try {
    threads.start()
    threads.start()
    const handover = new KafkaPartitionHandover(threads, 'incidents', 1, 100n, 4)
    const records = fetched()
    for (let index = 0; index < records.count; index++) handover.add(records, index, ingestedAt)
    const { sealed } = await writeHanded(newStore(), handover.seal())
    assert.deepEqual([sealed.rows, sealed.letters], [30, 2])
  } finally {
    await threads.close()
  }
  threads.start()
  // A process whose only work, after a second, is a started take thread: it must end by itself, its thread alive.
  const script = join(mkdtempSync(join(tmpdir(), 'hc-take-')), 'started.mjs')
  writeFileSync(
    script,
    `import { TakeThreads } from ${JSON.stringify(new URL('../../src/sinks/take-thread.ts', import.meta.url).href)}
const threads = new TakeThreads('austin_apd', 1000, 1)
threads.start()
setTimeout(() => {}, 1000)
process.once('beforeExit', () => threads.settle().then(() => console.log('thread alive'), (error) => console.log(error.message)))`,
  )
  const exited = spawnSync(process.execPath, [script], { timeout: 20_000, encoding: 'utf8' })
  assert.equal(exited.status, 0, `the process ended by itself (${exited.error ?? exited.stderr})`)
  assert.equal(exited.stdout.trim(), 'thread alive')
})

test('a take thread given no job closes cleanly and takes none after', async () => {
  const thread = new TakeThreads('austin_apd', 1_000, 1)
  await thread.settle()
  await thread.close()
  const handover = new KafkaPartitionHandover(thread, 'incidents', 1, 100n, 4)
  handover.add(fetched(), 0, ingestedAt)
  assert.throws(() => handover.handOver(), /the ingest closed it/)
  await assert.rejects(thread.seal(0, 1), /the ingest closed it/)
})

test('a flush the take thread holds other messages of than were taken breaks the balance, and nothing is written', async () => {
  const made = Promise.resolve({ files: [], folders: [], rows: 4, letters: 1, toSend: [] })
  const flush: HandedFlush = { stream: 'incidents-p2-g4', first: 100n, next: 106n, taken: 6, made }
  const store = newStore()
  await assert.rejects(writeHanded(store, flush), (error: Error & { code?: string }) => error.code === 'BALANCE_BROKEN' && /Expected the take thread to hold the 6 messages of incidents-p2-g4 \(offsets 100 to 105\) \(it held 4 records and 1 dead letters\)/.test(error.message))
  assert.deepEqual(await store.list(''), [])
})

test('the take thread heap grows with the rows a file can hold', () => {
  assert.equal(takeHeapLimits(10_000).maxOldGenerationSizeMb, 228)
  assert.ok(takeHeapLimits(100_000).maxOldGenerationSizeMb > takeHeapLimits(10_000).maxOldGenerationSizeMb)
})
