// SASL/SCRAM and TLS against the test broker's own listeners (scripts/kafka.sh with KAFKA_SASL_PORT
// and KAFKA_TLS_PORT, as scripts/test.sh starts it): a CSV produced through the SCRAM listener and
// ingested through the TLS one lands whole; a wrong password (to produce and to ingest) and an unknown
// certificate are refused with clear errors that never print the password.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { topicEnds } from '../../src/pipelines/ingest-streaming.ts'
import { caughtUp, exited, lakePositions, messageCount, startCli, tempDir, testKafka, uniqueName, waitFor, writeFixtureCsv } from './kafka-harness.ts'

function secureEnv(): { sasl: Record<string, string>; tls: Record<string, string> } {
  const { KAFKA_SASL_BROKERS, KAFKA_TLS_BROKERS, KAFKA_TLS_CA_FILE } = process.env
  if (!KAFKA_SASL_BROKERS || !KAFKA_TLS_BROKERS || !KAFKA_TLS_CA_FILE) {
    throw new Error('Expected KAFKA_SASL_BROKERS, KAFKA_TLS_BROKERS and KAFKA_TLS_CA_FILE (start the broker with KAFKA_SASL_PORT and KAFKA_TLS_PORT: see scripts/kafka.sh)')
  }
  return {
    sasl: {
      KAFKA_BROKERS: KAFKA_SASL_BROKERS,
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: process.env.KAFKA_SASL_USERNAME ?? 'hatecrimes',
      KAFKA_SASL_PASSWORD: process.env.KAFKA_SASL_PASSWORD ?? 'hatecrimes-secret',
    },
    tls: { KAFKA_BROKERS: KAFKA_TLS_BROKERS, KAFKA_TLS: '1', KAFKA_TLS_CA_FILE },
  }
}

async function cli(args: string[], env: Record<string, string>) {
  const child = startCli(args, env)
  const code = await exited(child)
  return { code, output: child.output() }
}

test('produce through SCRAM-SHA-512 and ingest through TLS: every message in the lake once', async () => {
  const { sasl, tls } = secureEnv()
  const kafka = testKafka()
  const topic = uniqueName('secure')
  const group = uniqueName('secure-group')
  const dir = tempDir('secure')
  const input = writeFixtureCsv(join(dir, 'input.csv'), 300)
  const produced = await cli(['produce', '--input', input, '--topic', topic, '--partitions', '2', '--no-progress'], sasl)
  assert.equal(produced.code, 0, produced.output)
  assert.match(produced.output, new RegExp(`at ${sasl.KAFKA_BROKERS} \\(SASL SCRAM-SHA-512 as ${sasl.KAFKA_SASL_USERNAME}\\)`))
  const ends = await topicEnds(kafka, topic)
  assert.equal(messageCount(ends), 300 - Math.floor(300 / 97))

  const lake = join(dir, 'lake')
  const ingest = startCli(['ingest', '--topic', topic, '--group', group, '--lake', lake, '--flush-ms', '300'], tls)
  try {
    await waitFor(() => caughtUp(kafka, group, topic, ends), 90_000, `group ${group} to commit ${topic} through TLS`)
  } finally {
    ingest.kill('SIGTERM')
    assert.equal(await exited(ingest), 0, ingest.output())
  }
  assert.match(ingest.output(), new RegExp(`at ${tls.KAFKA_BROKERS} \\(TLS\\)`))
  const { rows, deadLetters } = await lakePositions(lake)
  assert.equal(rows.length + deadLetters.length, messageCount(ends))
  assert.equal(new Set([...rows, ...deadLetters]).size, messageCount(ends), 'no message twice')
})

test('a wrong SCRAM password is refused with a Kafka error that does not print it', async () => {
  const { sasl } = secureEnv()
  const input = writeFixtureCsv(join(tempDir('secure-denied'), 'input.csv'), 10)
  const password = 'wrong-password-7d1c'
  const { code, output } = await cli(['produce', '--input', input, '--topic', uniqueName('denied'), '--no-progress'], { ...sasl, KAFKA_SASL_PASSWORD: password })
  assert.equal(code, 4, output)
  assert.match(output, /^error: .*Kafka/m)
  assert.match(output, /authenticat|SASL|SCRAM/i)
  assert.ok(!output.includes(password), `the password was printed:\n${output}`)
})

test('an ingest with a wrong SCRAM password says the authentication was refused, not that no broker answered', async () => {
  const { sasl } = secureEnv()
  const lake = join(tempDir('secure-ingest-denied'), 'lake')
  const args = ['ingest', '--topic', uniqueName('denied-ingest'), '--group', uniqueName('denied-group'), '--lake', lake]
  const { code, output } = await cli(args, { ...sasl, KAFKA_SASL_PASSWORD: 'wrong-password-5e2a' })
  assert.equal(code, 4, output)
  assert.match(output, /refused the SASL authentication while signing in/)
  assert.doesNotMatch(output, /to answer within/)
  assert.ok(!output.includes('wrong-password-5e2a'), `the password was printed:\n${output}`)
})

test('a TLS listener whose certificate the client does not trust is refused', async () => {
  const { tls } = secureEnv()
  const input = writeFixtureCsv(join(tempDir('secure-untrusted'), 'input.csv'), 10)
  const { KAFKA_TLS_CA_FILE: _, ...untrusted } = tls
  const { code, output } = await cli(['produce', '--input', input, '--topic', uniqueName('untrusted'), '--no-progress'], { ...untrusted, KAFKA_TLS_CA_FILE: '' })
  assert.equal(code, 4, output)
  assert.match(output, /certificate/i)
})
