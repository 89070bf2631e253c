// The Prometheus endpoint of a real ingest: a CSV produced into a fresh topic, `hatecrimes ingest
// --metrics-port` run as a child until the group has committed the topic's end, and the counters
// it serves compared with the topic and with the rows in the lake's files.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { FsStore } from '../../src/lake/fs-store.ts'
import { parquetRows, deadLetterRows } from '../../src/lake/written-rows.ts'
import { topicEnds } from '../../src/pipelines/ingest-streaming.ts'
import { caughtUp, exited, freePort, messageCount, runCli, startCli, tempDir, testKafka, uniqueName, waitFor, writeFixtureCsv } from './kafka-harness.ts'

/** The samples of a Prometheus text page, summed per metric name over their labels. */
function metricSums(page: string): Map<string, number> {
  const sums = new Map<string, number>()
  for (const line of page.split('\n')) {
    const match = /^(hatecrimes_[a-z_]+)(?:\{[^}]*\})? ([-0-9.e+]+)$/.exec(line)
    if (match) sums.set(match[1], (sums.get(match[1]) ?? 0) + Number(match[2]))
  }
  return sums
}

test('the ingest serves Prometheus counters that match the topic and the rows in the lake', async () => {
  const kafka = testKafka()
  const topic = uniqueName('metrics')
  const group = uniqueName('metrics-group')
  const dir = tempDir('metrics')
  const lake = join(dir, 'lake')
  const input = writeFixtureCsv(join(dir, 'input.csv'), 1_200)
  const produced = await runCli(['produce', '--input', input, '--topic', topic, '--partitions', '2', '--no-progress'])
  assert.equal(produced.code, 0, produced.output)
  const ends = await topicEnds(kafka, topic)
  const messages = messageCount(ends)
  assert.equal(messages, 1_200 - Math.floor(1_200 / 97), 'rows with a field too many went to the producer\'s dead-letter topic')

  const port = await freePort()
  const ingest = startCli(['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-ms', '300', '--metrics-port', String(port)])
  try {
    await waitFor(() => caughtUp(kafka, group, topic, ends), 90_000, `group ${group} to commit ${topic} to its end`)
    let sums = new Map<string, number>()
    // The lag gauge is refreshed on a timer: wait for the tick after the last commit.
    await waitFor(
      async () => {
        const answer = await fetch(`http://127.0.0.1:${port}/metrics`)
        assert.equal(answer.status, 200)
        assert.match(answer.headers.get('content-type') ?? '', /^text\/plain/)
        sums = metricSums(await answer.text())
        return sums.get('hatecrimes_ingest_lag_records') === 0
      },
      30_000,
      'the lag gauge to reach 0',
    )
    const store = new FsStore(lake)
    const objects = await store.list('')
    let inFiles = 0
    for (const object of objects.filter((o) => o.key.endsWith('.parquet'))) inFiles += await parquetRows(store, object.key)
    let letters = 0
    for (const object of objects.filter((o) => o.key.endsWith('.jsonl'))) letters += await deadLetterRows(store, object.key)
    assert.equal(sums.get('hatecrimes_ingest_records_in_total'), messages)
    assert.equal(sums.get('hatecrimes_ingest_records_written_total'), inFiles)
    assert.equal(sums.get('hatecrimes_ingest_dead_lettered_total'), letters)
    assert.equal(inFiles + letters, messages)
    assert.equal(letters, Math.floor(1_200 / 50) - Math.floor(1_200 / (50 * 97)), 'the impossible dates, less those the producer already turned away')
    assert.ok((sums.get('hatecrimes_ingest_flush_duration_seconds_count') ?? 0) >= 1, 'flushes are timed')
  } finally {
    ingest.kill('SIGTERM')
    assert.equal(await exited(ingest), 0, ingest.output())
  }
})
