import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { test } from 'node:test'
import { exited, startCli, tempDir, writeFixtureCsv } from './kafka-harness.ts'

const ingestArgs = () => ['ingest', '--topic', 'incidents', '--group', 'nobody', '--lake', tempDir('unreachable')]

test('an unreachable broker is reported within 30 s with the brokers and the fix, not retried silently', async () => {
  const started = performance.now()
  const child = startCli(ingestArgs(), { KAFKA_BROKERS: '127.0.0.1:1' })
  const code = await exited(child)
  const seconds = (performance.now() - started) / 1000
  assert.equal(code, 4, child.output())
  assert.ok(seconds < 30, `reported after ${seconds.toFixed(1)} s`)
  assert.match(child.output(), /error: Expected a Kafka broker at 127\.0\.0\.1:1/)
  assert.doesNotMatch(child.output(), /\n\s+at /, 'no stack trace')
})

test('produce reports an unreachable broker within 30 s, although it rides out a broker lost once reached', async () => {
  const input = writeFixtureCsv(`${tempDir('unreachable-produce')}/incidents.csv`, 10)
  const started = performance.now()
  const child = startCli(['produce', '--input', input, '--topic', 'incidents', '--no-progress'], { KAFKA_BROKERS: '127.0.0.1:1' })
  const code = await exited(child)
  const seconds = (performance.now() - started) / 1000
  assert.equal(code, 4, child.output())
  assert.ok(seconds < 30, `reported after ${seconds.toFixed(1)} s`)
  assert.match(child.output(), /error: Expected a Kafka broker at 127\.0\.0\.1:1/)
})

test('SIGTERM is honoured while the ingest waits for a broker', async () => {
  for (const delay of [300, 1_500, 4_000]) {
    const child = startCli(ingestArgs(), { KAFKA_BROKERS: '127.0.0.1:1' })
    await new Promise((resolve) => setTimeout(resolve, delay))
    const signalled = performance.now()
    child.kill('SIGTERM')
    await exited(child)
    const seconds = (performance.now() - signalled) / 1000
    assert.ok(seconds < 5, `stopped ${seconds.toFixed(1)} s after SIGTERM sent at ${delay} ms`)
  }
})

test('a busy --metrics-port is a clear error, not a crash', async () => {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as { port: number }
  const child = startCli([...ingestArgs(), '--metrics-port', String(port)], { KAFKA_BROKERS: '127.0.0.1:1' })
  assert.equal(await exited(child), 2, child.output())
  server.close()
  assert.match(child.output(), new RegExp(`error: Expected port ${port} to be free for --metrics-port`))
})
