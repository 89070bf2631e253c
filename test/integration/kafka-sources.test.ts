import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { gzipSync } from 'node:zlib'
import { createProducer } from '../../src/sinks/kafka-topic.ts'
import { LAKE_COLUMNS } from '../../src/lake/lake-columns.ts'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { topicEnds } from '../../src/pipelines/ingest-streaming.ts'
import { produceCsv } from '../../src/pipelines/produce.ts'
import { SOURCE_HEADERS } from '../../src/sources/kafka-message.ts'
import { freshTopic, readMessages, runCli, runIngestUntil } from './kafka-harness.ts'

const FBI_ROWS = 1500

/** The first rows of the FBI national file, gzipped, as a user might have saved a download. */
function fbiSample(dir: string): string {
  const lines = execFileSync('sh', ['-c', `unzip -p data/fbi_cde_hate_crime_1991_2020.zip | head -n ${FBI_ROWS + 1}`], { maxBuffer: 1 << 26 })
  const path = join(dir, 'fbi-sample.csv.gz')
  writeFileSync(path, gzipSync(lines))
  return path
}

/**
 * Per source, its rows read from a file and a sum of their hashes over every column but Kafka's
 * lineage; of `source_file`, the base name only (`run` keeps the path it was given, `produce` sends
 * the base name).
 */
async function rowsBySource(lake: string) {
  const columns = LAKE_COLUMNS.map((column) => column.name)
    .filter((name) => !name.startsWith('kafka_') && name !== 'ingested_at')
    .map((name) => (name === 'source_file' ? "regexp_extract(source_file, '[^/]*$')" : name))
  const query = await openLakeQuery(lake)
  try {
    return await query.query(`SELECT source, COUNT(*)::INTEGER AS n, SUM(hash(${columns.join(', ')})::HUGEINT)::VARCHAR AS rows FROM incidents WHERE source_file IS NOT NULL GROUP BY 1 ORDER BY 1`)
  } finally {
    await query.close()
  }
}

test('one topic carries two sources: each message says its layout and source, and the ingest maps each with its own layout', async () => {
  const { kafka, dir, lake, topic, group } = freshTopic('sources')
  const files = ['data/austin_hate_crimes_2017_2025.csv', fbiSample(dir)]
  const austin = await produceCsv({ input: files[0], kafka, topic, partitions: 2 })
  const fbi = await produceCsv({ input: files[1], kafka, topic })
  assert.deepEqual([austin.produced, fbi.produced], [266, FBI_ROWS])
  // A message from a producer before layouts: no layout or source header, read as an Austin row.
  const producer = createProducer(kafka)
  const legacy = { month: 'Mar', incident_number: '2017-7', date_of_incident: '03/21/2017 12:00:00 AM', day_of_week: 'Tue', victims_under_18: '0', victims_over_18: '1', offenders_under_18: '0', offenders_over_18: '1', race_ethnicity_of_offenders: 'White/Non-Hispanic', offenses: 'Assault', offense_location: 'Residence/Home', bias: 'Anti-Jewish', zip_code: '78701', apd_sector: 'George', council_district: '9' }
  await producer.send({ messages: [{ topic, key: Buffer.from('2017-7'), value: Buffer.from(JSON.stringify(legacy)), partition: 0 }] })
  // A message that names a layout nobody knows is a dead letter, not a guess.
  const unknown = new Map([[Buffer.from(SOURCE_HEADERS.layout), Buffer.from('chicago_pd')]])
  await producer.send({ messages: [{ topic, key: Buffer.from('x'), value: Buffer.from('{}'), headers: unknown, partition: 1 }] })
  await producer.close()

  const first = await readMessages(kafka, topic, 1)
  assert.ok(['austin_apd', 'fbi_cde'].includes(first[0].headers.get(SOURCE_HEADERS.layout) ?? ''), 'messages carry their layout')
  assert.equal(first[0].headers.get(SOURCE_HEADERS.source), first[0].headers.get(SOURCE_HEADERS.layout))

  const ends = await topicEnds(kafka, topic)
  const { code, output } = await runIngestUntil(kafka, topic, group, lake, ends)
  assert.equal(code, 0, output)
  const query = await openLakeQuery(lake)
  try {
    const bySource = await query.query(`SELECT source, COUNT(*)::INTEGER AS n, COUNT(agency_ori)::INTEGER AS with_ori FROM incidents GROUP BY 1 ORDER BY 1`)
    assert.deepEqual(bySource, [
      { source: 'austin_apd', n: 267, with_ori: 267 },
      { source: 'fbi_cde', n: FBI_ROWS, with_ori: FBI_ROWS },
    ])
    const unmapped = await query.query(`SELECT COUNT(*)::INTEGER AS n FROM incidents WHERE list_contains(quality_flags, 'unmapped_bias') OR list_contains(quality_flags, 'unmapped_offense')`)
    assert.deepEqual(unmapped, [{ n: 0 }], 'each message was mapped with its own layout')
    // The unknown layout's letter is filed under the ingest's source (its headers name none), with no layout.
    const letters = await query.query(`SELECT code, source, layout FROM dead_letters`)
    assert.deepEqual(letters, [{ code: 'unknown_layout', source: 'austin_apd', layout: null }])
    assert.deepEqual(query.files().deadLetters.map((file) => file.key.split('/').slice(0, 2).join('/')), ['dead_letters/source=austin_apd'])
  } finally {
    await query.close()
  }
  // Every row read through Kafka is the row an in-process `run` makes of the same file, column for column.
  const ran = join(dir, 'ran')
  for (const input of files) assert.equal((await runCli(['run', '--no-kafka', '--input', input, '--lake', ran])).code, 0)
  const [ingested, direct] = [await rowsBySource(lake), await rowsBySource(ran)]
  assert.deepEqual(ingested.map((row) => row.n), [266, FBI_ROWS])
  assert.deepEqual(ingested, direct)
})
