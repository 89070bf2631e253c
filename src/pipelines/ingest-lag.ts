import { ListOffsetTimestamps } from '@platformatic/kafka'
import type { IngestConsumer } from '../sources/kafka-consumer.ts'
import type { IngestMember } from './ingest-member.ts'
import type { IngestMetrics } from './ingest-metrics.ts'

/**
 * Updates the lag gauge every `everyMs`: for each partition this member owns, the log end offset
 * minus what this member has committed (what a restart would still have to read), and hands the
 * end offsets to `onEnds` (the stall check). Errors while the broker is away are skipped: the next
 * tick tries again.
 *
 * @example
 * const lag = watchLag(consumer, 'incidents', member, metrics, (ends) => member.checkStalls(ends, 60_000))
 * lag.stop()
 */
export function watchLag(
  consumer: IngestConsumer,
  topic: string,
  member: Pick<IngestMember, 'partitions' | 'committed'>,
  metrics: IngestMetrics,
  onEnds: (ends: Map<number, bigint>) => Promise<unknown>,
  everyMs = 5_000,
): { stop: () => void } {
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      const ends = await consumer.listOffsets({ topics: [topic], timestamp: ListOffsetTimestamps.LATEST })
      const byPartition = new Map((ends.get(topic) ?? []).map((end, partition) => [partition, end]))
      metrics.lag.reset()
      for (const partition of member.partitions()) {
        const end = byPartition.get(partition)
        const done = member.committed.get(partition)
        if (end !== undefined && done !== undefined) metrics.lag.set({ partition: String(partition) }, Number(end - done))
      }
      await onEnds(byPartition)
    } catch {
      // The broker may be restarting; the gauge keeps its last values until the next tick.
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void tick(), everyMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
