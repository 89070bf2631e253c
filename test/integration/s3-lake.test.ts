import { test } from 'node:test'
import assert from 'node:assert/strict'
import { request, createServer, type ClientRequest } from 'node:http'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { HatecrimesError } from '../../src/core/errors.ts'
import { openLakeQuery } from '../../src/lake/lake-query.ts'
import { S3Store, s3Settings } from '../../src/lake/s3-store.ts'
import { runStreaming } from '../../src/pipelines/ingest-streaming.ts'
import { runInProcess } from '../../src/pipelines/run-in-process.ts'
import { austinCsv, MESSY_ROWS } from '../fixtures/austin-rows.ts'
import { tempDir, testKafka, uniqueName, writeFixtureCsv } from './kafka-harness.ts'
import { ownS3Server, testBucket, testStore, uniqueLake } from './s3-harness.ts'

const bytes = (value: string) => new TextEncoder().encode(value)

test('wrong credentials, a missing bucket and an unreachable endpoint give clear errors without the secret', async () => {
  const secret = 'not-the-secret-5f3a'
  await assert.rejects(
    withEnv({ AWS_SECRET_ACCESS_KEY: secret }, () => new S3Store(uniqueLake('denied')).list('')),
    (error: HatecrimesError) => {
      assert.equal(error.code, 'LAKE_DENIED')
      assert.match(error.message, /^S3 refused to list s3:\/\/hatecrimes-test\/denied-\S+ at \S+ \((SignatureDoesNotMatch|InvalidAccessKeyId)\): check AWS_ACCESS_KEY_ID/)
      assert.ok(!error.message.includes(secret), 'the secret is never printed')
      return true
    },
  )
  await assert.rejects(new S3Store('s3://no-such-bucket-hc/x').list(''), /Bucket "no-such-bucket-hc" does not exist at http:\/\/127\.0\.0\.1:\d+: create it or fix --lake/)
  const unreachable = new S3Store(uniqueLake('gone'), s3Settings({ ...process.env, HATECRIMES_S3_ENDPOINT: 'http://127.0.0.1:39999', HATECRIMES_S3_RETRY_MS: '1500' }))
  await assert.rejects(unreachable.put('a', bytes('x')), (error: HatecrimesError) => {
    assert.equal(error.code, 'LAKE_UNREACHABLE')
    assert.match(error.message, /Could not write s3:\/\/.* at http:\/\/127\.0\.0\.1:39999 \(ECONNREFUSED\) after retrying/)
    return true
  })
})

async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]))
  Object.assign(process.env, env)
  try {
    return await run()
  } finally {
    for (const [name, value] of Object.entries(saved)) process.env[name] = value
  }
}

test('a proxy that answers 503 to every other request causes retries, not loss', async () => {
  const upstream = new URL(process.env.HATECRIMES_S3_ENDPOINT!)
  let requests = 0
  let refused = 0
  const proxy = createServer((incoming, outgoing) => {
    if (requests++ % 2 === 0) {
      refused++
      incoming.resume()
      outgoing.writeHead(503, { 'content-type': 'application/xml' }).end('<Error><Code>SlowDown</Code></Error>')
      return
    }
    const forward = request({ host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    })
    incoming.pipe(forward)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const { port } = proxy.address() as { port: number }
  const store = testStore('flaky', { HATECRIMES_S3_ENDPOINT: `http://127.0.0.1:${port}` })
  try {
    const bodies = Array.from({ length: 6 }, (_, i) => bytes(`file ${i} `.repeat(1000)))
    for (const [i, body] of bodies.entries()) await store.put(`incidents/f${i}.parquet`, body)
    for (const [i, body] of bodies.entries()) assert.deepEqual(await store.get(`incidents/f${i}.parquet`), body)
    assert.equal((await store.list('incidents/')).length, 6)
    assert.ok(refused >= 6, `the proxy refused ${refused} requests`)
  } finally {
    await store.close()
    proxy.close()
  }
})

test('the S3 server stopped for a few seconds: writes wait and retry, nothing is half-written', async () => {
  testBucket()
  // A port below the kernel's range for outgoing connections, so none can take it while the server is down.
  const server = ownS3Server(29011)
  server.start()
  const store = new S3Store(`s3://hatecrimes-test/outage`, s3Settings({ ...process.env, HATECRIMES_S3_ENDPOINT: server.endpoint, HATECRIMES_S3_RETRY_MS: '60000' }))
  try {
    await store.put('before.bin', bytes('before'))
    server.stop()
    const during = store.put('during.bin', bytes('written while the server was away'))
    await sleep(3_000)
    server.start()
    await during
    assert.equal(new TextDecoder().decode(await store.get('during.bin')), 'written while the server was away')
    // What S3Proxy itself keeps across its restart is not under test here; the retried write is.
    assert.ok((await store.list('')).some((o) => o.key === 'during.bin' && o.size === 33), 'the retried object is listed whole')
  } finally {
    await store.close()
    server.stop()
  }
})

test('a write that stalls halfway: a clear error after the timeout, and no half object on the server', async () => {
  // In front of the real server: pass on the first half of each body, then go silent.
  const upstream = new URL(process.env.HATECRIMES_S3_ENDPOINT!)
  const stalled: ClientRequest[] = []
  let halves = 0
  const stuck = createServer((incoming) => {
    const forward = request({ host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers })
    forward.on('error', () => {})
    stalled.push(forward)
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const body = Buffer.concat(chunks)
      forward.write(body.subarray(0, body.length >> 1), () => halves++)
    })
  })
  await new Promise<void>((resolve) => stuck.listen(0, '127.0.0.1', resolve))
  const { port } = stuck.address() as { port: number }
  const lake = uniqueLake('stuck')
  const store = new S3Store(lake, s3Settings({ ...process.env, HATECRIMES_S3_ENDPOINT: `http://127.0.0.1:${port}`, HATECRIMES_S3_REQUEST_TIMEOUT_MS: '400', HATECRIMES_S3_RETRY_MS: '1000' }))
  const real = new S3Store(lake)
  try {
    await assert.rejects(store.put('incidents/stuck.parquet', bytes('never acknowledged '.repeat(500))), (error: HatecrimesError) => {
      assert.equal(error.code, 'LAKE_UNREACHABLE')
      assert.match(error.message, new RegExp(`Could not write s3://.*/incidents/stuck\\.parquet at http://127\\.0\\.0\\.1:${port} \\(\\w+\\) after retrying`))
      return true
    })
    assert.ok(halves >= 2, `the server received half a body on each of ${halves} tries`)
    for (const forward of stalled) forward.destroy()
    await sleep(500)
    assert.equal(await real.head('incidents/stuck.parquet'), undefined)
    assert.deepEqual(await real.list(''), [])
  } finally {
    await store.close()
    await real.close()
    stuck.closeAllConnections()
    stuck.close()
  }
})

test('the in-process pipeline writes to S3 and the rows read back equal the input', async () => {
  const dir = tempDir('s3-run')
  const input = join(dir, 'austin.csv')
  writeFileSync(input, austinCsv(MESSY_ROWS))
  const lake = uniqueLake('run')
  const summary = await runInProcess({ input, lake })
  assert.equal(summary.written, MESSY_ROWS.length)
  const rows = await lakeRows(lake, join(dir, 'cache'), 'SELECT * EXCLUDE (ingested_at) FROM incidents ORDER BY source_row')
  assert.deepEqual(rows.map((r) => r.incident_id), MESSY_ROWS.map((r) => r.incident_number))
  assert.equal(rows[1].year, 2018)
  await runInProcess({ input, lake: join(dir, 'folder-lake') })
  assert.deepEqual(rows, await lakeRows(join(dir, 'folder-lake'), '', 'SELECT * EXCLUDE (ingested_at) FROM incidents ORDER BY source_row'), 'every column as a folder lake holds it')
})

/** The rows of a query on a lake, read as the query command reads them. */
async function lakeRows(lake: string, cacheDir: string, sql: string) {
  const query = await openLakeQuery(lake, { cacheDir })
  try {
    return await query.query(sql)
  } finally {
    await query.close()
  }
}

test('the Kafka pipeline writes to S3: good + dead-lettered == produced, nothing twice', async () => {
  const kafka = testKafka()
  const dir = tempDir('s3-kafka')
  const input = writeFixtureCsv(join(dir, 'incidents.csv'), 1500)
  const lake = uniqueLake('kafka')
  const summary = await runStreaming({ input, lake, brokers: kafka.brokers.join(','), topic: uniqueName('s3'), partitions: 2, flushRows: 300 })
  const query = await openLakeQuery(lake, { cacheDir: join(dir, 'cache') })
  try {
    const [good] = await query.query('SELECT count(*) AS n, count(DISTINCT (kafka_partition, kafka_offset)) AS distinct_offsets FROM incidents')
    const [dead] = await query.query('SELECT count(*) AS n FROM dead_letters')
    assert.equal(Number(good.n), summary.written)
    assert.equal(good.distinct_offsets, good.n, 'no offset twice')
    assert.equal(Number(good.n) + Number(dead.n), summary.produced, 'the lake holds every produced message once')
    assert.ok(Number(dead.n) > 0 && summary.produce.deadLettered > 0, 'both dead-letter stages were used')
    assert.equal(summary.written + summary.deadLettered, 1500)
  } finally {
    await query.close()
  }
  // The content of every row, lineage aside, is what the in-process path writes from the same file.
  const content = 'SELECT * EXCLUDE (ingested_at, source_file, source_row, kafka_topic, kafka_partition, kafka_offset) FROM incidents ORDER BY ALL'
  await runInProcess({ input, lake: join(dir, 'folder-lake') })
  assert.deepEqual(await lakeRows(lake, join(dir, 'cache'), content), await lakeRows(join(dir, 'folder-lake'), '', content))
})
