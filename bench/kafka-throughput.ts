/**
 * Our produce and ingest against Kafka's own ProducerPerformance and ConsumerPerformance, on the
 * same broker in the same run, interleaved (ours, Kafka's, ours, Kafka's) because the machine is
 * shared: each run prints the load averages before it, then records/s, the ratio ours/Kafka's pair
 * by pair, and peak RSS; a min-max summary ends the output. Before each run the file data earlier
 * runs wrote is written out (`sync`), so that no run shares the machine with the kernel writing it.
 *
 *   KAFKA_BROKERS=127.0.0.1:39092 node bench/kafka-throughput.ts [rows]   (default 1,000,000)
 *
 * The CSV is generated once into .cache/bench. ProducerPerformance gets the same message count and
 * a record size equal to the average JSON value our produce sends (measured exactly, by building the
 * values as produce does); its values are random letters and carry no key or headers, ours carry a
 * key and two lineage headers. Topics have 6 partitions. Each ConsumerPerformance run reads the topic
 * our produce wrote in the same round, as our ingest does. Kafka's tools only move bytes; our ingest
 * also decodes, cleans, writes Parquet and commits after each file.
 */
import { join } from 'node:path'
import { topicEnds } from '../src/pipelines/ingest-streaming.ts'
import { packedRows, RowBatchReader } from '../src/pipelines/produce-rows.ts'
import { tempDir, testKafka, uniqueName } from '../test/integration/kafka-harness.ts'
import { range, settled } from './figures.ts'
import { benchInput, createTopic, kafkaConsume, kafkaProduce, ourIngest, ourProduce, type Measured } from './kafka-runs.ts'

const PARTITIONS = 6
const ROUNDS = 2
const rows = Number(process.argv[2] ?? 1_000_000)
const kafka = testKafka()
const brokers = kafka.brokers.join(',')

/** The average size in bytes of the message values produce sends for this file, built as produce builds them. */
async function averageValueBytes(input: string): Promise<number> {
  let bytes = 0
  let values = 0
  for await (const batch of new RowBatchReader(input, { batchSize: 1000 })) {
    for (const { value } of packedRows(batch)) {
      bytes += value.length
      values++
    }
  }
  return Math.round(bytes / values)
}

const format = (n: number) => Math.round(n).toLocaleString('en-US')

function printRun(name: string, result: Measured, ratio?: number): void {
  const ratioText = ratio === undefined ? '' : `   ratio ${ratio.toFixed(3)}`
  const cpuText = result.cpuPerMillion === undefined ? '' : `   ${result.cpuPerMillion.toFixed(1)} CPU s per 1M records`
  console.log(`  ${name.padEnd(34)} ${format(result.rate).padStart(9)} rec/s (wall ${format(result.wallRate)})${ratioText}   peak RSS ${format(result.peakMiB)} MiB${cpuText}`)
}

/** Runs ours then Kafka's, `ROUNDS` times, printing each run; returns every pair. */
async function pairs(what: string, ours: (round: number) => Promise<Measured>, theirs: (round: number) => Promise<Measured>) {
  const results: { ours: Measured; theirs: Measured }[] = []
  for (let round = 0; round < ROUNDS; round++) {
    console.log(`${what}, round ${round + 1}`)
    console.log(`  loadavg ${settled()}`)
    const our = await ours(round)
    console.log(`  loadavg ${settled()}`)
    const their = await theirs(round)
    printRun('Kafka', their)
    printRun('hatecrimes', our, our.rate / their.rate)
    results.push({ ours: our, theirs: their })
  }
  return results
}

function summary(what: string, results: { ours: Measured; theirs: Measured }[]): void {
  const ratios = results.map(({ ours, theirs }) => ours.rate / theirs.rate)
  console.log(
    `${what}: hatecrimes ${range(results.map((r) => r.ours.rate))} rec/s, ${range(results.map((r) => r.ours.peakMiB))} MiB; ` +
      `Kafka ${range(results.map((r) => r.theirs.rate))} rec/s, ${range(results.map((r) => r.theirs.peakMiB))} MiB; ratio ${range(ratios, 3)}`,
  )
}

const input = await benchInput(rows)
const recordSize = await averageValueBytes(input)
console.log(`kafka throughput: ${rows} rows, values of ${recordSize} bytes on average, ${PARTITIONS} partitions, broker ${brokers}`)
console.log('acks=all, idempotent, zstd on both sides; our produce is timed from its start to its last acknowledgement, our ingest from its start (logged once Node has loaded it) to its last commit\n')

const ourTopics = Array.from({ length: ROUNDS }, () => uniqueName('bench-ours'))
const produce = await pairs(
  'produce vs ProducerPerformance',
  (round) => ourProduce(input, brokers, ourTopics[round], PARTITIONS, rows),
  async () => {
    const topic = uniqueName('bench-perf')
    await createTopic(brokers, topic, PARTITIONS)
    return kafkaProduce(brokers, topic, rows, recordSize)
  },
)
summary('produce', produce)
console.log('')
const lakes = tempDir('bench-kafka')
const ingest = await pairs(
  'ingest vs ConsumerPerformance (same topic)',
  async (round) => ourIngest(kafka, ourTopics[round], uniqueName('bench-group'), join(lakes, `lake-${round}`), await topicEnds(kafka, ourTopics[round])),
  (round) => kafkaConsume(brokers, ourTopics[round], rows),
)
console.log('')
summary('produce', produce)
summary('ingest', ingest)
