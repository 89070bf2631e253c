import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { test } from 'node:test'
import { freePort } from './kafka-harness.ts'

// scripts/free-ports.sh, which scripts/test.sh asks for the servers' ports when a default is taken.
const freePorts = (from: number, count: number) => Number(execFileSync('bash', ['scripts/free-ports.sh', String(from), String(count)], { encoding: 'utf8' }).trim())

async function holding(port: number): Promise<Server> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return server
}

const closed = (server: Server) => new Promise((resolve) => server.close(resolve))

/** Whether every port of a block can be listened on now. */
async function listenable(first: number, count: number): Promise<boolean> {
  for (let port = first; port < first + count; port++) await closed(await holding(port))
  return true
}

test('a free block is kept; a block with a port held moves on by tens to one whose ports are all free', async () => {
  const free = await freePort()
  assert.equal(freePorts(free, 1), free, 'a free port is the answer itself')
  const held = await freePort()
  const server = await holding(held)
  try {
    const alone = freePorts(held, 1)
    assert.ok(alone > held && (alone - held) % 10 === 0, `the held port ${held} is passed over by tens (got ${alone})`)
    assert.ok(await listenable(alone, 1))
    const block = freePorts(held - 2, 3)
    assert.ok(block > held - 2 && (block - (held - 2)) % 10 === 0, `a block of three holding ${held} is passed over by tens (got ${block})`)
    assert.ok(await listenable(block, 3))
  } finally {
    await closed(server)
  }
})

test('no free block in reach is an error that says what was asked', () => {
  assert.throws(
    () => execFileSync('bash', ['scripts/free-ports.sh', '65530', '10'], { encoding: 'utf8', stdio: 'pipe' }),
    (error: Error & { stderr: string }) => /expected 10 free ports in a row on 127\.0\.0\.1 from 65530/.test(error.stderr),
  )
})
