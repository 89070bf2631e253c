import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { HatecrimesError } from '../../src/core/errors.ts'
import { FsStore } from '../../src/lake/fs-store.ts'
import type { ObjectInfo, PutOptions } from '../../src/lake/object-store.ts'
import { encodeParquet } from '../../src/lake/parquet-file.ts'
import { KafkaPartitionBuffer } from '../../src/sinks/kafka-partition-buffer.ts'
import { removeUncommitted } from '../../src/sinks/kafka-uncommitted.ts'
import { kafkaLetter as letter, makeRecords } from '../fixtures/incident-records.ts'

/** A folder store that can write something other than it was given, and notes what it lists. */
class LossyStore extends FsStore {
  /** Replaces the bytes of the Parquet files put (return undefined to skip the write: a lost write). */
  alter: ((body: Uint8Array) => Uint8Array | undefined) | undefined
  readonly listed: string[] = []

  constructor() {
    super(mkdtempSync(join(tmpdir(), 'hatecrimes-balance-')))
  }

  override async put(key: string, body: Uint8Array, options?: PutOptions): Promise<void> {
    const bytes = this.alter && key.endsWith('.parquet') ? this.alter(body) : body
    if (bytes) await super.put(key, bytes, options)
  }

  override async list(prefix: string): Promise<ObjectInfo[]> {
    this.listed.push(prefix)
    return super.list(prefix)
  }
}

/** A buffer of partition 0 holding `count` records of consecutive days from 2019-01-20 and one dead letter. */
function filled(count: number, generation = 1): KafkaPartitionBuffer {
  const buffer = new KafkaPartitionBuffer('incidents', 0, 100n, generation)
  makeRecords(count, '2019-01-20').forEach((record, i) => buffer.add({ record, position: 100n + BigInt(i) }, 10))
  buffer.reject(letter(100 + count), 100n + BigInt(count), 10)
  return buffer
}

const balanceBroken = (pattern: RegExp) => (error: unknown) => error instanceof HatecrimesError && error.code === 'BALANCE_BROKEN' && pattern.test(error.message)

test('a flush is checked against the files it wrote, read back from the lake', async () => {
  const lake = new LossyStore()
  const flushed = await filled(20).flush(lake)
  assert.equal(flushed.rows, 20)
  assert.equal(flushed.letters, 1)
  assert.equal(flushed.files.length, 3, 'January and February, and the dead letters')
})

test('a lost write breaks the balance before anything can be committed', async () => {
  const lake = new LossyStore()
  lake.alter = () => undefined
  await assert.rejects(filled(20).flush(lake), balanceBroken(/Expected the file incidents\/source=test\/year=2019\/month=0[12]\/incidents-p0-g1-\d+-\d+\.parquet .* to be in file:/))
})

test('a file holding other rows than the flush took breaks the balance, with both counts', async () => {
  const lake = new LossyStore()
  lake.alter = () => encodeParquet(makeRecords(3, '2019-01-01'))
  await assert.rejects(filled(20).flush(lake), balanceBroken(/Expected each of the 21 rows .*incidents-p0-g1 \(offsets 100 to 120\).*found 6 rows in the 2 files written and 1 dead letters/))
})

test('the clean-up before a commit lists only its own partition in the folders it wrote, not the lake', async () => {
  const lake = new LossyStore()
  // An old owner (generation 1) wrote offsets 100-120 of partition 0; another partition's files sit beside them.
  await filled(20, 1).flush(lake)
  const other = new KafkaPartitionBuffer('incidents', 1, 100n, 1)
  makeRecords(5, '2019-01-20').forEach((record, i) => other.add({ record, position: 100n + BigInt(i) }, 10))
  const untouched = (await other.flush(lake)).files.map((file) => file.key)
  const sealed = filled(20, 2).seal()
  lake.listed.length = 0
  const removed = await removeUncommitted(lake, 'incidents', new Map([[0, 100n]]), 2, { partition: 0, folders: sealed.folders })
  assert.equal(removed.length, 3, removed.join(' '))
  assert.ok(removed.every((key) => key.includes('incidents-p0-g1-')), removed.join(' '))
  for (const key of untouched) assert.ok(await lake.head(key), `${key} of partition 1 stays`)
  assert.deepEqual(lake.listed.sort(), [
    'dead_letters/source=austin_apd/incidents-p0-g',
    'incidents/source=test/year=2019/month=01/incidents-p0-g',
    'incidents/source=test/year=2019/month=02/incidents-p0-g',
  ])
})
