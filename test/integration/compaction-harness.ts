import type { ObjectStore } from '../../src/lake/object-store.ts'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { writeBatch } from '../../src/sinks/lake-files.ts'
import { makeRecord } from '../fixtures/incident-records.ts'

export const MARCH = { source: 'test', year: 2017, month: 3 }

/**
 * Five small files in March 2017 (ten rows each, positions from `from`), as a streaming ingest
 * writes them under `stream`.
 */
export async function smallFiles(store: ObjectStore, from = 0, stream = 'stream'): Promise<void> {
  const records = Array.from({ length: 50 }, (_, i) =>
    makeRecord({ incident_id: `T-${from + i}`, incident_date: `2017-03-${String((i % 28) + 1).padStart(2, '0')}`, source_row: from + i + 2 }),
  )
  for (let i = 0; i < 5; i++) {
    const batch = records.slice(i * 10, i * 10 + 10).map((record, j) => ({ record, position: BigInt(from + i * 10 + j) }))
    await writeBatch(store, stream, batch)
  }
}

/** The rows a reader of the lake (lake-query, through its mirror for S3) sees now. */
export async function rowsOf(store: ObjectStore, cacheDir: string, sql = 'SELECT * FROM incidents ORDER BY incident_id') {
  const lake = await openLakeQuery(store.url, { cacheDir })
  try {
    return await lake.query(sql)
  } finally {
    await lake.close()
  }
}
