import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { readDeadLetterHeaders } from '../../src/sinks/dead-letter-topic.ts'
import { SOURCE_HEADERS } from '../../src/sources/kafka-message.ts'
import { readMessages, runCli, tempDir, testKafka, uniqueName, writeFixtureCsv } from './kafka-harness.ts'

test('produce --rate spreads the messages over the time the rate implies', async () => {
  const kafka = testKafka()
  const input = writeFixtureCsv(join(tempDir('produce-rate'), 'incidents.csv'), 300)
  const topic = uniqueName('rate')
  // 300 rows at 50 a second: batches of 5 (a tenth of a second), the last sent no sooner than 5.9 s
  // after the first. Unlimited, the same rows go out in well under a second.
  const { code, output } = await runCli(['produce', '--input', input, '--topic', topic, '--partitions', '1', '--rate', '50', '--no-progress'])
  assert.equal(code, 0, output)
  const seconds = Number(/, ([\d.]+) s \(/.exec(output)?.[1])
  assert.ok(seconds >= 5.9, `the run took ${seconds} s; 300 rows at 50/s need at least 5.9 s`)

  const rows = 300 - Math.floor(300 / 97)
  const stamps = (await readMessages(kafka, topic, rows)).map((message) => Number(message.timestamp))
  const spread = (Math.max(...stamps) - Math.min(...stamps)) / 1000
  assert.ok(spread >= 5.8, `the messages were sent over ${spread} s; at 50/s they span at least 5.8 s`)
})

test('produce --rate keeps the rate in every second of the run: no second holds more than the rate and one batch', async () => {
  const kafka = testKafka()
  const input = writeFixtureCsv(join(tempDir('produce-rate-windows'), 'incidents.csv'), 1_000)
  const topic = uniqueName('rate-windows')
  const rate = 200
  const { code, output } = await runCli(['produce', '--input', input, '--topic', topic, '--partitions', '1', '--rate', String(rate), '--no-progress'])
  assert.equal(code, 0, output)
  const stamps = (await readMessages(kafka, topic, 1_000 - Math.floor(1_000 / 97))).map((message) => Number(message.timestamp)).sort((a, b) => a - b)
  // The most messages any one second of the run holds: the rate plus one batch (a tenth of a second's worth).
  let most = 0
  for (let first = 0, last = 0; first < stamps.length; first++) {
    while (last < stamps.length && stamps[last] < stamps[first] + 1_000) last++
    most = Math.max(most, last - first)
  }
  const kept = (stamps.length - 1) / ((stamps.at(-1)! - stamps[0]) / 1000)
  assert.ok(most <= rate * 1.1, `at most ${rate * 1.1} messages in any second (found ${most})`)
  assert.ok(kept <= rate * 1.02 && kept >= rate * 0.5, `kept ${kept.toFixed(1)} messages/s for --rate ${rate}`)
  // The summary tells the rate kept apart from the whole run's, which counts connecting too.
  const reported = Number(/; (\d+) rows\/s from the first row\)/.exec(output)?.[1])
  assert.ok(reported <= rate * 1.02 && reported >= rate * 0.9, `the summary reports ${reported} rows/s from the first row for --rate ${rate}: ${output}`)
})

test('produce names the source file by its base name in the message and dead-letter headers', async () => {
  const kafka = testKafka()
  const dir = tempDir('produce-lineage')
  const input = writeFixtureCsv(join(dir, 'lineage.csv'), 200)
  const topic = uniqueName('lineage')
  const { code, output } = await runCli(['produce', '--input', input, '--topic', topic, '--partitions', '2', '--no-progress'])
  assert.equal(code, 0, output)

  // The fixture's rows 97 and 194 have a field too many: they are the two dead letters.
  const messages = await readMessages(kafka, topic, 198)
  assert.equal(messages.length, 198)
  assert.deepEqual(new Set(messages.map((message) => message.headers.get(SOURCE_HEADERS.file))), new Set(['lineage.csv']))
  const sourceRows = messages.map((message) => Number(message.headers.get(SOURCE_HEADERS.row))).sort((a, b) => a - b)
  assert.deepEqual(sourceRows.slice(0, 3), [2, 3, 4], 'spreadsheet rows: the header is row 1')

  const letters = (await readMessages(kafka, `${topic}.dlq`, 2)).map((message) => readDeadLetterHeaders(message.headers))
  assert.deepEqual(letters.map((letter) => [letter.file, letter.row, letter.code]).sort(), [
    ['lineage.csv', '195', 'column_count'],
    ['lineage.csv', '98', 'column_count'],
  ])
})
