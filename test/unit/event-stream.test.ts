import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readEventsUntil } from '../fixtures/event-stream.ts'

const encoder = new TextEncoder()
/** A stream that sends `chunks`, then ends or (open) stays silent. */
function stream(chunks: string[], open = false): ReadableStream<Uint8Array<ArrayBuffer>> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      if (!open) controller.close()
    },
  })
}

test('the events read until the pattern is seen, across chunks', async () => {
  const text = await readEventsUntil(stream(['event: status\ndata: {}\n\n', 'event: lake-', 'changed\ndata: {"rows":3}\n\n'], true), /event: lake-changed\ndata: .*"rows":3/, 1_000)
  assert.match(text, /^event: status/)
})

test('a stream that ends before the pattern fails at once, with what it sent', async () => {
  await assert.rejects(readEventsUntil(stream(['event: status\ndata: {}\n\n']), /lake-changed/, 60_000), /before it ended \(got "event: status/)
})

test('a silent stream fails after the time-out', async () => {
  const started = performance.now()
  await assert.rejects(readEventsUntil(stream([], true), /lake-changed/, 200), /within 200 ms/)
  assert.ok(performance.now() - started < 5_000)
})
