import assert from 'node:assert/strict'
import { AuthenticationError, MultipleErrors, NetworkError, TimeoutError, UserError } from '@platformatic/kafka'
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
  // The broker at fault is quoted whole, whichever place it has in the list.
  assert.throws(() => loadKafkaConfig({ brokers: 'a:1, bad broker' }, {}), /--brokers or KAFKA_BROKERS: expected a host:port pair \(got "bad broker"\)/)
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
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
  const inner = new MultipleErrors('metadata failed 2 times.', [new MultipleErrors('Cannot connect to any broker.', [new NetworkError('Connection to 127.0.0.1:1 failed.', { cause: refused })])])
  const failure = kafkaFailure(inner, config, 'reading metadata')
  assert.equal(failure.code, 'KAFKA_UNREACHABLE')
  assert.match(failure.message, /Expected a Kafka broker at 127\.0\.0\.1:1 while reading metadata \(none answered: .*ECONNREFUSED/)
  assert.match(failure.message, /scripts\/kafka\.sh start/)
  assert.equal(kafkaFailure(new TimeoutError('Request timed out.'), config, 'x').code, 'KAFKA_UNREACHABLE', 'a time-out too')
})

test("failures are told apart by the client's error classes and Node's codes, not by words in a message", () => {
  const config = loadKafkaConfig({ brokers: 'k:1' }, {})
  const worded = kafkaFailure(new UserError('Topic "cannot connect ECONNREFUSED certificate" is not in the assignment'), config, 'fetching')
  assert.equal(worded.code, 'KAFKA_FAILED')
  assert.match(worded.message, /^Kafka at k:1 failed while fetching: /, 'neither unreachable nor a certificate problem')
  const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' })
  const tls = kafkaFailure(new MultipleErrors('Cannot connect to any broker.', [new NetworkError('Connection to k:1 failed.', { cause: untrusted })]), config, 'connecting')
  assert.match(tls.message, /^Could not verify the TLS certificate of the Kafka broker at k:1 while connecting .*KAFKA_TLS_CA_FILE/)
  const plain = Object.assign(new Error('ssl3_get_record: wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' })
  assert.match(kafkaFailure(new NetworkError('Connection to k:1 failed.', { cause: plain }), config, 'connecting').message, /check that the port is a TLS listener/)
  const refused = kafkaFailure(new AuthenticationError('SASL authentication failed.'), config, 'connecting')
  assert.equal(refused.code, 'KAFKA_FAILED')
  assert.match(refused.message, /refused the SASL authentication while connecting .*KAFKA_SASL_PASSWORD/)
})
