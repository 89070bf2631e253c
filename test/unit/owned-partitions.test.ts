import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { FsStore } from '../../src/lake/fs-store.ts'
import type { MemberOptions } from '../../src/pipelines/ingest-flush.ts'
import { OwnedPartitions } from '../../src/pipelines/ingest-owned.ts'
import { KafkaPartitionHandover } from '../../src/sinks/kafka-partition-handover.ts'
import { TakeThreads } from '../../src/sinks/take-thread.ts'
import { rawRow } from '../fixtures/austin-rows.ts'
import { fetchedRecords } from '../fixtures/record-batches.ts'

/** The member's partitions with their protected steps in reach: hold a partition, seal it, let it go. */
class Partitions extends OwnedPartitions {
  hold(handover: KafkaPartitionHandover): void {
    this.owned.set(handover.partition, { buffer: handover, folders: new Set(), from: 100n, assignedAt: 0, progressAt: 0 })
  }

  sealNow(partition: number): Promise<void> {
    return this.seal(partition)
  }

  sealed(partition: number) {
    return this.owned.get(partition)?.sealed
  }

  /** Lets a partition go in a step of its own, as a rebalance does. */
  letGo(partition: number): Promise<void> {
    return this.serial(async () => {
      this.release(partition)
      await this.settleReleased()
    })
  }
}

/** Twelve Austin rows over three months, fetched from offset 100 on. */
const records = () =>
  fetchedRecords(
    [...Array(12).keys()].map((i) => ({ key: `key-${i}`, value: JSON.stringify(rawRow({ incident_number: `2017-${i}`, date_of_incident: `0${1 + (i % 3)}/1${i % 10}/2017 12:00:00 AM`, month: ['Jan', 'Feb', 'Mar'][i % 3] })) })),
    100n,
  )

test('a partition let go after its flush was sealed has the files that flush wrote deleted before anything is taken again', async () => {
  const store = new FsStore(mkdtempSync(join(tmpdir(), 'hc-owned-')))
  const thread = new TakeThreads('austin_apd', 1_000, 1)
  try {
    // Only the store is used: the flush is let go before its commit, so no commit is ever sent.
    const partitions = new Partitions({ store, thread } as unknown as MemberOptions)
    const handover = new KafkaPartitionHandover(thread, 'incidents', 1, 100n, 4)
    partitions.hold(handover)
    const fetched = records()
    for (let index = 0; index < fetched.count; index++) handover.add(fetched, index, 1_700_000_000_000_000n)
    await partitions.sealNow(1)
    const { written } = partitions.sealed(1)!
    // Let go while its files are made and written: the step that would commit them comes after.
    await partitions.letGo(1)
    const { files } = await written
    assert.equal(files.length, 3, 'the sealed flush wrote a file per month')
    assert.deepEqual(await store.list(''), [], 'the flush let go left nothing in the lake')
    assert.deepEqual(partitions.partitions(), [])
  } finally {
    await thread.close()
  }
})
