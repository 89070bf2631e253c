import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDashboard } from '../../src/dashboard/server.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { austinCsv, MESSY_ROWS, rawRow } from '../fixtures/austin-rows.ts'
import { readEventsUntil } from '../fixtures/event-stream.ts'
import { tempDir } from './kafka-harness.ts'
import { uniqueLake } from './s3-harness.ts'

test('the dashboard serves an S3 lake and follows it as new files land', async () => {
  const lake = uniqueLake('dashboard')
  const dir = tempDir('dashboard-s3')
  writeFileSync(join(dir, 'first.csv'), austinCsv(MESSY_ROWS))
  await runInProcess({ input: join(dir, 'first.csv'), lake })
  const dashboard = await startDashboard({ lake, port: 0, pollMs: 200 })
  const json = async (path: string) => (await fetch(new URL(path, dashboard.url))).json()
  const controller = new AbortController()
  try {
    const { charts, status } = await json('/api/charts?year_from=2023')
    assert.deepEqual(charts.totals, [{ incidents: 4, rows: 5, first_date: '2023-06-13', last_date: '2025-02-03' }])
    assert.equal(status.rows, 14)

    const events = await fetch(new URL('/api/events', dashboard.url), { signal: controller.signal })
    writeFileSync(join(dir, 'second.csv'), austinCsv([rawRow({ incident_number: '2024-31', date_of_incident: '12/01/2024 12:00:00 AM', month: 'Dec', day_of_week: 'Sun' })]))
    await runInProcess({ input: join(dir, 'second.csv'), lake })
    const text = await readEventsUntil(events.body!, /event: lake-changed/, 30_000)
    assert.match(text, /event: lake-changed\ndata: \{[^\n]*"rows":15/)
    assert.equal((await json('/api/charts?year_from=2023')).charts.totals[0].incidents, 5)
  } finally {
    controller.abort()
    await dashboard.close()
  }
})
