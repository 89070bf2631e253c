import assert from 'node:assert/strict'
import { test } from 'node:test'
import { commitLanded, type CommitTag } from '../../src/sources/kafka-consumer.ts'

const mine: CommitTag = { member: 'a', generation: 20, from: 1000n }

test('my own commit at or past the flush end landed; below it, it did not', () => {
  assert.equal(commitLanded({ offset: 1400n, tag: mine }, mine, 1400n), true)
  assert.equal(commitLanded({ offset: 1200n, tag: mine }, mine, 1400n), false, 'only my previous flush is committed')
})

test('a new owner that resumed at or past the flush end proves my commit landed before the handover', () => {
  const next: CommitTag = { member: 'b', generation: 21, from: 1400n }
  assert.equal(commitLanded({ offset: 2000n, tag: next }, mine, 1400n), true)
})

test('a new owner that replayed my range and committed further does not make my flush committed', () => {
  const next: CommitTag = { member: 'b', generation: 21, from: 1200n }
  assert.equal(commitLanded({ offset: 2000n, tag: next }, mine, 1400n), false)
})

test('the same member in a later generation is another owner', () => {
  const later: CommitTag = { member: 'a', generation: 22, from: 1200n }
  assert.equal(commitLanded({ offset: 1600n, tag: later }, mine, 1400n), false)
})

test('an untagged commit (another tool) is judged by its offset; no commit at all means not landed', () => {
  assert.equal(commitLanded({ offset: 1500n }, mine, 1400n), true)
  assert.equal(commitLanded({ offset: -1n }, mine, 1400n), false)
})
