import type { FetchedPartition } from '../sources/kafka-fetcher.ts'
import { flushPartition, type MemberOptions, type Owned } from './ingest-flush.ts'

/**
 * The partitions a group member holds and their flushes: what IngestMember (ingest-member.ts)
 * takes records into, seals, completes and commits. A flush is sealed first, so
 * its files are made on the take thread while the member takes on, and is completed
 * (written, then committed) once encoded; a partition has at most one sealed flush, and sealing
 * the next completes it first, so a partition's commits stay in order. Every method here runs
 * inside the member's `serial` steps.
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

  constructor(options: MemberOptions) {
    this.options = options
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
   * Seals what a partition holds as its next flush, whose files the take thread makes while
   * taking goes on; the flush sealed before it is completed first, so a partition has
   * at most one flush in the air and commits stay in order.
   */
  protected async seal(partition: number): Promise<void> {
    await this.complete(partition)
    const owned = this.owned.get(partition)
    if (owned) owned.sealed = owned.buffer.seal()
  }

  /** Lets a partition go: nothing it holds, on the take thread or sealed, is written. */
  protected release(partition: number): void {
    this.owned.get(partition)?.buffer.drop()
    this.owned.delete(partition)
  }

  /** Completes the sealed flushes whose files are made: written, then committed. */
  protected async completeEncoded(): Promise<void> {
    for (const [partition, owned] of [...this.owned]) if (owned.sealed?.ready) await this.complete(partition)
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
    this.committed.set(partition, sealed.next)
  }
}
