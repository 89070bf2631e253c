import { setImmediate as yieldToEvents } from 'node:timers/promises'
import type { FetchedPartition } from '../sources/kafka-fetcher.ts'
import { committedStates } from '../sources/kafka-consumer.ts'
import { KafkaPartitionHandover } from '../sinks/kafka-partition-handover.ts'
import { removeUncommitted } from '../sinks/kafka-uncommitted.ts'
import { overBudget, skipDeleted, type Owned } from './ingest-flush.ts'
import { OwnedPartitions } from './ingest-owned.ts'

export type { MemberOptions } from './ingest-flush.ts'

/** Messages handled between two looks at the event loop, so heartbeats and timers keep their pace. */
const YIELD_EVERY = 2_000

/**
 * The exactly-once core of the ingest: one buffer per owned Kafka partition, flushed as lake files
 * and then committed. Everything that touches the buffers runs one step at a time through
 * `serial`, so fetched data, timer flushes and rebalances never interleave.
 *
 * The protocol, per Kafka partition (invariants the tests check with kills and rebalances):
 * 1. On assignment, resume at the group's committed offset C (the log's start when nothing is
 *    committed) and delete the partition's files of earlier generations whose first offset is >= C:
 *    leftovers of flushes whose commit never happened. The replay from C writes those records again.
 * 2. The member fetches from its own `next` offsets (kafka-fetcher.ts), so a fetch answered for a
 *    position the buffer no longer stands at is dropped, and nothing is ever skipped: offsets below
 *    `next` never arrive, offsets past it are gaps the log itself has (markers, compaction).
 * 3. A flush (rows, bytes, age, idleness, memory bound, rebalance or shutdown) writes the
 *    partition's files, removes files earlier generations wrote into this range meanwhile, then
 *    commits `next` tagged with member, generation and C. The member hands each fetch's messages to
 *    the take thread, which decodes them, lays the records out and encodes the files; the member
 *    counts messages and bytes itself, so it cuts flushes where it would alone. A flush on rows,
 *    bytes, age, idleness or the memory bound is sealed first (its files made on the take thread
 *    and written while taking goes on) and committed in a `serial` step of its own as soon as its
 *    files are written; a partition has one sealed flush at most, so its commits stay in order. A
 *    partition let go with a sealed flush has its files deleted before any partition is taken
 *    again. Before rejoining a rebalance the member flushes everything under its old generation, so
 *    a plain rebalance never fences a commit.
 * 4. A fenced commit (the member was removed from the group) is checked against the group's
 *    commit tag: its files are deleted unless the commit landed after all; the partition is dropped
 *    and its next owner replays from C.
 *
 * @example
 * const member = new IngestMember(options)
 * consumer.on('consumer:group:join', (event) => member.onJoin(event))
 * await member.take((await fetcher.fetch(member.positions())).parts)
 */
export class IngestMember extends OwnedPartitions {
  /** Set while a rebalance waits for this member: taking stops early so the flush comes soon. */
  private revoking = false

  /** Reacts to a new assignment (from the client's `consumer:group:join` event). */
  onJoin(event: { memberId: string | null; generationId?: number; assignments?: { topic: string; partitions: number[] }[] }): Promise<void> {
    const partitions = (event.assignments ?? []).filter((a) => a.topic === this.options.topic).flatMap((a) => a.partitions)
    return this.serial(() => this.assign(partitions, event.generationId ?? -1, event.memberId ?? ''))
  }

  /** Flushes and commits every partition, then lets them go: called before the member rejoins a rebalance. */
  revoke(): Promise<void> {
    this.revoking = true
    return this.serial(async () => {
      for (const partition of [...this.owned.keys()]) await this.flush(partition)
      for (const partition of [...this.owned.keys()]) this.release(partition)
      this.revoking = false
    }).finally(() => (this.revoking = false))
  }

  /**
   * Takes what a fetch brought into the buffers; flushes when a partition reaches a trigger. Returns
   * once the take thread has taken the fetch before the previous one, so it is never more than two
   * fetches behind.
   */
  take(parts: readonly FetchedPartition[]): Promise<void> {
    return this.serial(async () => {
      for (const part of parts) {
        const owned = this.owned.get(part.partition)
        if (owned && owned.buffer.next === part.from) await this.takePartition(owned, part)
      }
      await this.options.thread.settle()
      const over = overBudget(this.owned, this.options.maxBufferedBytes)
      if (over !== undefined) await this.seal(over)
    })
  }

  /**
   * Seals the partitions whose oldest unflushed offset is older than `flushMs`, or that got no new
   * record for `idleMs` (the end of a burst, as a file sink's inactivity interval); each completes
   * as soon as its files are made.
   */
  flushAged(): Promise<void> {
    return this.serial(async () => {
      const now = performance.now()
      const { flushMs, idleMs } = this.options
      for (const [partition, { buffer, progressAt }] of [...this.owned]) {
        if (buffer.since !== undefined && (now - buffer.since >= flushMs || now - progressAt >= idleMs)) await this.seal(partition)
      }
    })
  }

  /** Flushes and commits every owned partition (shutdown). */
  flushAll(): Promise<void> {
    return this.serial(async () => {
      for (const partition of [...this.owned.keys()]) await this.flush(partition)
      await this.settleReleased()
    })
  }

  /** Moves partitions past offsets the topic's retention deleted before they were read (see skipDeleted). */
  resumeGone(earliest: readonly bigint[]): Promise<void> {
    return this.serial(async () => void (this.totals.skipped += skipDeleted(this.owned, earliest, this.options)))
  }

  /** Reports partitions with lag but no progress for `stallMs` and resumes them from their commit, as after a rebalance. */
  checkStalls(ends: ReadonlyMap<number, bigint>, stallMs: number): Promise<void> {
    return this.serial(async () => {
      const now = performance.now()
      const stalled = [...this.owned].filter(([p, o]) => (ends.get(p) ?? 0n) > o.buffer.next && now - o.progressAt > stallMs).map(([p]) => p)
      if (!stalled.length) return
      this.totals.stalls += stalled.length
      this.options.metrics.stalls.inc(stalled.length)
      this.options.log.warn({ partitions: stalled, stallMs }, 'partitions with lag made no progress: resuming them from the committed offset')
      await this.assign([...this.owned.keys()], this.generation, this.member, stalled)
    })
  }

  private async assign(partitions: number[], generation: number, member: string, only = partitions): Promise<void> {
    const { log, store, topic, consumer, metrics } = this.options
    this.generation = generation
    this.member = member
    for (const partition of [...this.owned.keys()]) if (!partitions.includes(partition) || only.includes(partition)) this.release(partition)
    await this.settleReleased()
    if (!only.length) return log.info({ generation, partitions }, 'partitions assigned')
    // Records come soon: the take threads load their code meanwhile, not once the first fetch is in.
    this.options.thread.start()
    const states = await committedStates(consumer, topic, only)
    const earliest = await this.options.earliest()
    const starts = new Map(only.map((p) => [p, maxOf(states.get(p)?.offset ?? -1n, earliest[p] ?? 0n)]))
    const removed = await removeUncommitted(store, topic, starts, generation)
    this.totals.removedFiles += removed.length
    metrics.removedFiles.inc(removed.length)
    for (const [partition, from] of starts) {
      const now = performance.now()
      this.owned.set(partition, { buffer: new KafkaPartitionHandover(this.options.thread, topic, partition, from, generation), folders: new Set(), from, assignedAt: now, progressAt: now })
      this.committed.set(partition, from)
    }
    log.info({ generation, partitions, resumeAt: Object.fromEntries([...starts].map(([p, o]) => [p, String(o)])), removed: removed.length }, 'partitions assigned')
  }

  /**
   * Takes a fetched partition's messages, handing them to the take thread, and seals at each
   * trigger, and when the fetch reached the end of a log it had been behind for `idleMs` or more.
   */
  private async takePartition(owned: Owned, part: FetchedPartition): Promise<void> {
    const ingestedAt = BigInt(Date.now()) * 1000n
    const { buffer } = owned
    let handled = 0
    try {
      const { records } = part
      for (let index = 0; index < records.count; index++) {
        // On a stop or a rebalance, what is taken is flushed and committed; the rest is fetched again.
        if (this.options.signal.aborted || this.revoking) return
        buffer.add(records, index, ingestedAt)
        handled++
        if (buffer.count >= this.options.flushRows || buffer.bytes >= this.options.flushBytes) await this.seal(part.partition)
        if (this.owned.get(part.partition) !== owned) return
        if (handled % YIELD_EVERY === 0) await yieldToEvents()
      }
      buffer.skipTo(part.next)
      const now = (owned.progressAt = performance.now())
      if (part.next < part.end) owned.behindSince ??= now
      else if (owned.behindSince !== undefined) {
        // A backlog read to its end lands at once; one read in less than `idleMs` waits as a trickle would.
        const drained = now - owned.behindSince >= this.options.idleMs && buffer.count > 0
        owned.behindSince = undefined
        if (drained) {
          this.options.log.debug({ partition: part.partition, next: String(part.next) }, 'backlog read to its end: flushing at once')
          await this.seal(part.partition)
        }
      }
    } finally {
      if (this.owned.get(part.partition) === owned) buffer.handOver()
      this.totals.in += handled
      this.options.metrics.recordsIn.inc({ partition: String(part.partition) }, handled)
    }
  }
}

const maxOf = (a: bigint, b: bigint) => (a > b ? a : b)
