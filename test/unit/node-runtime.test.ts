// The project runs on the Node 24 that `npm ci` puts in node_modules/.bin. That Node comes from one
// optional package per platform; npm installs only the one whose os and cpu match the machine, and
// only if the lock file still lists every platform (an `npm install` on one machine can drop the
// others, which then breaks `npm ci` there without a word until `npm start` runs an old Node).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))
const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8'))

const platforms = [
  { os: 'linux', cpu: 'x64' },
  { os: 'linux', cpu: 'arm64' },
  { os: 'darwin', cpu: 'x64' },
  { os: 'darwin', cpu: 'arm64' },
  { os: 'win32', cpu: 'x64' },
]

type LockEntry = { version: string; os?: string; cpu?: string; optional?: boolean; dev?: boolean; bin?: Record<string, string> }

function lockEntry(name: string): LockEntry | undefined {
  return lock.packages[`node_modules/${name}`]
}

test('every supported platform has exactly one optional Node 24 package in the lock file', () => {
  const names = Object.keys(manifest.optionalDependencies ?? {})
  for (const { os, cpu } of platforms) {
    const matching = names.filter((name) => {
      const entry = lockEntry(name)
      return entry?.os === os && entry?.cpu === cpu
    })
    assert.equal(matching.length, 1, `Expected one Node package for ${os}-${cpu} in package-lock.json (got ${matching.join(', ') || 'none'})`)
    const entry = lockEntry(matching[0])!
    assert.equal(entry.version.split('.')[0], '24', `Expected Node 24 for ${os}-${cpu} (got ${entry.version})`)
    assert.equal(entry.optional, true, `${matching[0]} must stay optional, or npm ci fails on other platforms`)
    assert.notEqual(entry.dev, true, `${matching[0]} must not be a devDependency: npm ci --omit=dev would run without it`)
    assert.ok(entry.bin?.node, `Expected ${matching[0]} to link a "node" binary into node_modules/.bin`)
  }
})

test('no Node binary package is a plain dependency, which npm would try to install on every platform', () => {
  const plain = { ...manifest.dependencies, ...manifest.devDependencies }
  const binaries = Object.keys(plain).filter((name) => /^node-(bin-)?(linux|darwin|win)-/.test(name))
  assert.deepEqual(binaries, [])
})

test('npm scripts run the Node from node_modules/.bin when it is installed', { skip: process.env.npm_lifecycle_event === undefined }, () => {
  assert.equal(process.versions.node.split('.')[0], '24')
  assert.ok(realpathSync(process.execPath).startsWith(realpathSync(`${root}node_modules`)), `Expected node_modules' Node (got ${process.execPath})`)
})
