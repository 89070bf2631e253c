import type { FetchedPartition } from '../sources/kafka-fetcher.ts'
import { writeHanded } from '../sinks/kafka-partition-handover.ts'
import { undoFlush } from '../sinks/kafka-uncommitted.ts'
import { flushPartition, type MemberOptions, type Owned, type Sealed } from './ingest-flush.ts'

/**
 * The partitions a group member holds and their flushes: what IngestMember (ingest-member.ts)
 * takes records into, seals, completes and commits. A flush is sealed first, so its files are made
 * on the take thread and written to the lake while the member takes on, and is completed
 * (committed) as soon as they are written, in a step of its own; a partition has at most one sealed
 * flush, and sealing the next completes it first, so a partition's commits stay in order. A flush
 * whose partition is let go before its commit has its files deleted. Every step that touches the
 * partitions runs through `serial`, one at a time.
 *
 * @example
 * class IngestMember extends OwnedPartitions {}
 */
export class OwnedPartitions {
  readonly committed = new Map<number, bigint>()
  readonly totals = { in: 0, written: 0, deadLettered: 0, fencedFlushes: 0, removedFiles: 0, skipped: 0, stalls: 0 }
  protected readonly owned = new Map<number, Owned>()
  protected readonly options: MemberOptions
  protected member = ''
  protected generation = -1
  private chain: Promise<unknown> = Promise.resolve()
  /** The deletions of flushes written for partitions let go before their commit: awaited before taking a partition again. */
  private undoing: Promise<void>[] = []
  /** What failed a step nobody awaits (a flush completed once made): every later step fails with it. */
  private broken: unknown

  constructor(options: MemberOptions) {
    this.options = options
  }

  /** Runs `work` after every step queued before it. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(() => {
      if (this.broken !== undefined) throw this.broken
      return work()
    })
    this.chain = run.catch(() => undefined)
    return run
  }

  /** The offset each owned partition is to be fetched from next. */
  positions(): Map<number, bigint> {
    return new Map([...this.owned].map(([partition, owned]) => [partition, owned.buffer.next]))
  }

  /** The offsets the owned partitions will stand at once `parts` are taken: where to fetch ahead. */
  positionsAfter(parts: readonly FetchedPartition[]): Map<number, bigint> {
    const positions = this.positions()
    for (const part of parts) if (positions.get(part.partition) === part.from) positions.set(part.partition, part.next)
    return positions
  }

  /** The partitions this member holds now. */
  partitions(): number[] {
    return [...this.owned.keys()]
  }

  /** Flushes a partition now: its sealed flush, then what it holds, each committed before the call returns. */
  protected async flush(partition: number): Promise<void> {
    await this.seal(partition)
    await this.complete(partition)
  }

  /**
   * Seals what a partition holds as its next flush, whose files the take thread makes and the member
   * writes while taking goes on; the flush sealed before it is completed first, so a partition has
   * at most one flush in the air and commits stay in order. The flush is completed in a step of its
   * own once its files are written (or their making or writing failed), unless something completed
   * or dropped it before: the records of a burst's end reach the lake without waiting for the next fetch.
   */
  protected async seal(partition: number): Promise<void> {
    await this.complete(partition)
    const owned = this.owned.get(partition)
    if (!owned) return
    const flush = owned.buffer.seal()
    const sealed: Sealed = (owned.sealed = { flush, written: writeHanded(this.options.store, flush), at: performance.now() })
    const completeOnce = () => (this.owned.get(partition)?.sealed === sealed ? this.complete(partition) : Promise.resolve())
    const completeSoon = () => void this.serial(completeOnce).catch((error: unknown) => (this.broken ??= error))
    sealed.written.then(completeSoon, completeSoon)
  }

  /**
   * Lets a partition go: nothing it holds on the take thread is written, and the files of its flush
   * sealed but not committed are deleted (see settleReleased).
   */
  protected release(partition: number): void {
    const owned = this.owned.get(partition)
    this.owned.delete(partition)
    owned?.buffer.drop()
    if (!owned?.sealed) return
    const undo = owned.sealed.written.then(({ files }) => undoFlush(this.options.store, files), () => undefined)
    // A failed deletion fails the next settleReleased, not the process.
    undo.catch(() => undefined)
    this.undoing.push(undo)
  }

  /** Waits until the files of flushes let go uncommitted are deleted: before a partition is taken again, which may write the same names. */
  protected async settleReleased(): Promise<void> {
    await Promise.all(this.undoing.splice(0))
  }

  /** Writes and commits a partition's sealed flush (see flushPartition); a fenced one lets the partition go. */
  protected async complete(partition: number): Promise<void> {
    const owned = this.owned.get(partition)
    const sealed = owned?.sealed
    if (!owned || !sealed) return
    owned.sealed = undefined
    const tag = { member: this.member, generation: this.generation, from: owned.from }
    const result = await flushPartition(this.options, owned, sealed, tag, this.committed.get(partition) ?? -1n)
    this.totals.removedFiles += result.removed
    if (result.outcome === 'idle') return
    this.totals.written += result.rows
    this.totals.deadLettered += result.letters
    if (result.outcome === 'fenced') {
      this.release(partition)
      this.totals.fencedFlushes++
      return
    }
    this.committed.set(partition, sealed.flush.next)
  }
}
