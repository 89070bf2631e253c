/**
 * The Kafka ingest with its main thread's heap capped (NODE_OPTIONS=--max-old-space-size=<cap>, as
 * a user would set it) against the same command uncapped, on one topic, interleaved (uncapped,
 * capped, uncapped, capped ...) because the machine is shared: each run prints the load averages
 * before it, records/s, CPU seconds per 1M records and peak RSS; the ranges and the capped/uncapped
 * ratios end the output. Each run is `hatecrimes ingest --flush-ms 1000` with a new group and lake,
 * until its group has committed the topic (as bench/kafka-throughput.ts runs it).
 *
 *   KAFKA_BROKERS=127.0.0.1:39092 node bench/ingest-heap.ts [cap MiB] [rounds] [rows]   (128, 2, 1,000,000)
 *
 * The topic (6 partitions) is filled once by `hatecrimes produce` from the generated CSV of
 * kafka-throughput.ts (.cache/bench/incidents-<rows>.csv).
 */
import { join } from 'node:path'
import { topicEnds } from '../src/pipelines/ingest-streaming.ts'
import { tempDir, testKafka, uniqueName } from '../test/integration/kafka-harness.ts'
import { loadavg, range } from './figures.ts'
import { benchInput, ourIngest, ourProduce, type Measured } from './kafka-runs.ts'

const cap = Number(process.argv[2] ?? 128)
const rounds = Number(process.argv[3] ?? 2)
const rows = Number(process.argv[4] ?? 1_000_000)
if (!(cap > 0) || !(rounds > 0) || !(rows > 0)) {
  console.error(`Expected a heap cap in MiB, a number of rounds and of rows (got ${process.argv.slice(2).join(' ')})`)
  process.exit(2)
}
const kafka = testKafka()
const brokers = kafka.brokers.join(',')
const sides = [
  { name: 'uncapped', flags: '' },
  { name: `capped at ${cap} MiB`, flags: `--max-old-space-size=${cap}` },
]

const input = await benchInput(rows)
const topic = uniqueName('bench-heap')
await ourProduce(input, brokers, topic, 6, rows)
const ends = await topicEnds(kafka, topic)
console.log(`ingest heap: ${rows} records, 6 partitions, topic ${topic}, broker ${brokers}, ${rounds} rounds`)

const lakes = tempDir('bench-heap')
const results: Measured[][] = sides.map(() => [])
for (let round = 0; round < rounds; round++) {
  for (const [i, side] of sides.entries()) {
    const before = loadavg()
    const result = await ourIngest(kafka, topic, uniqueName('bench-heap-group'), join(lakes, `lake-${round}-${i}`), ends, side.flags)
    results[i].push(result)
    const cpu = result.cpuPerMillion?.toFixed(1) ?? '?'
    console.log(`round ${round + 1} ${side.name.padEnd(20)} ${Math.round(result.rate).toLocaleString('en-US').padStart(7)} rec/s  ${cpu} CPU s per 1M  peak ${Math.round(result.peakMiB)} MiB  (loadavg before: ${before})`)
  }
}

for (const [i, side] of sides.entries()) {
  const runs = results[i]
  console.log(`${side.name.padEnd(20)} rec/s ${range(runs.map((r) => r.rate))}  CPU s per 1M ${range(runs.map((r) => r.cpuPerMillion ?? Number.NaN), 1)}  peak ${range(runs.map((r) => r.peakMiB))} MiB`)
}
const ratios = (pick: (m: Measured) => number) => range(results[1].map((capped, round) => pick(capped) / pick(results[0][round])), 2)
console.log(`capped / uncapped, per round: rec/s ${ratios((m) => m.rate)}, CPU ${ratios((m) => m.cpuPerMillion ?? Number.NaN)}, peak ${ratios((m) => m.peakMiB)}`)
process.exit(0)
