import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HatecrimesError } from '../../src/core/errors.ts'
import { clientOptions, describeKafka, kafkaFailure, loadKafkaConfig } from '../../src/core/kafka-config.ts'

test('brokers come from --brokers before KAFKA_BROKERS', () => {
  const env = { KAFKA_BROKERS: 'a:1,b:2' }
  assert.deepEqual(loadKafkaConfig({}, env).brokers, ['a:1', 'b:2'])
  assert.deepEqual(loadKafkaConfig({ brokers: 'c:3' }, env).brokers, ['c:3'])
})

test('a missing or malformed broker list names the flag and the value', () => {
  assert.throws(() => loadKafkaConfig({}, {}), /--brokers or KAFKA_BROKERS: expected at least one broker/)
  assert.throws(() => loadKafkaConfig({ brokers: 'localhost' }, {}), (error: HatecrimesError) => {
    assert.equal(error.code, 'BAD_OPTION')
    assert.match(error.message, /host:port/)
    return true
  })
})

test('SASL SCRAM and TLS map to client options', () => {
  const config = loadKafkaConfig({ brokers: 'kafka:9093' }, {
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'app',
    KAFKA_SASL_PASSWORD: 's3cret-value',
    KAFKA_TLS: '1',
  })
  const options = clientOptions(config)
  assert.deepEqual(options.sasl, { mechanism: 'SCRAM-SHA-512', username: 'app', password: 's3cret-value' })
  assert.deepEqual(options.tls, { rejectUnauthorized: true })
  assert.equal(describeKafka(config), 'kafka:9093 (SASL SCRAM-SHA-512 as app, TLS)')
})

test('the password never appears in configuration errors or client failures', () => {
  const env = { KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: '', KAFKA_SASL_PASSWORD: 'hunter2-secret' }
  assert.throws(() => loadKafkaConfig({ brokers: 'k:1' }, env), (error: Error) => {
    assert.match(error.message, /KAFKA_SASL_USERNAME/)
    assert.doesNotMatch(error.message, /hunter2-secret/)
    return true
  })
  const config = loadKafkaConfig({ brokers: 'k:1' }, { ...env, KAFKA_SASL_USERNAME: 'u' })
  const failure = kafkaFailure(new Error('auth failed for u:hunter2-secret'), config, 'connecting')
  assert.doesNotMatch(failure.message, /hunter2-secret/)
  assert.match(failure.message, /\[redacted\]/)
})

test('an unreachable cluster gets KAFKA_UNREACHABLE with the broker list and a hint', () => {
  const config = loadKafkaConfig({ brokers: '127.0.0.1:1' }, {})
  const inner = Object.assign(new Error('metadata failed 2 times.'), { errors: [new Error('Cannot connect to any broker.')] })
  const failure = kafkaFailure(inner, config, 'reading metadata')
  assert.equal(failure.code, 'KAFKA_UNREACHABLE')
  assert.match(failure.message, /Expected a Kafka broker at 127\.0\.0\.1:1 while reading metadata/)
  assert.match(failure.message, /scripts\/kafka\.sh start/)
})
