import { deadLetter, type DeadLetter } from '../core/record.ts'
import { decodeTagged, letterSourceOf, originOf, rawValueOf, type IngestMessage } from '../sources/kafka-message.ts'
import { unpackMessages, type PackedMessages } from '../sources/kafka-message-pack.ts'
import { KafkaPartitionBuffer, type SealedFile } from './kafka-partition-buffer.ts'

/** Messages of one partition handed to the take thread, with the buffer they go to and when they were taken. */
export interface TakeJob {
  /** The main thread's buffer of the partition (a new one after every assignment). */
  id: number
  generation: number
  /** Microseconds since the epoch, the records' `ingested_at`. */
  ingestedAt: bigint
  packed: PackedMessages
}

/** A dead letter with the key and value its message came with, for the dead-letter topic. */
export interface LetterToSend {
  letter: DeadLetter
  key: Uint8Array | null
  value: Uint8Array | null
}

/** A flush as the take thread made it: its encoded files, where they go, and what it took. */
export interface TakenFlush {
  files: SealedFile[]
  folders: string[]
  rows: number
  letters: number
  /** The flush's dead letters, to reach the dead-letter topic before its commit. */
  toSend: LetterToSend[]
}

/**
 * The records of the partitions a member holds, as the take thread keeps them: each message decoded,
 * cleaned and enriched into its partition's buffer (KafkaPartitionBuffer), or made a dead letter,
 * until the member seals the partition, which encodes its files. One buffer per Kafka partition: a
 * job of a new main-thread buffer (a new assignment) drops the old one, as `drop` does.
 *
 * @example
 * const partitions = new TakenPartitions('austin_apd')
 * partitions.take({ id: 1, generation: 3, ingestedAt, packed })
 * const flush = await partitions.seal(1)
 */
export class TakenPartitions {
  private readonly fallbackSource: string
  private readonly held = new Map<number, { id: number; buffer: KafkaPartitionBuffer; toSend: LetterToSend[] }>()

  /** `fallbackSource`: the source of messages without a source header. */
  constructor(fallbackSource: string) {
    this.fallbackSource = fallbackSource
  }

  take(job: TakeJob): void {
    const { topic, partition } = job.packed
    let held = this.held.get(partition)
    if (held?.id !== job.id) this.held.set(partition, (held = { id: job.id, buffer: new KafkaPartitionBuffer(topic, partition, 0n, job.generation), toSend: [] }))
    for (const message of unpackMessages(job.packed)) {
      const letter = takeMessage(held.buffer, message, this.fallbackSource, job.ingestedAt)
      if (letter) held.toSend.push({ letter, key: copy(message.key), value: copy(message.value) })
    }
  }

  /** Cuts what buffer `id` holds off as a flush, its files encoded; empty when the buffer is gone. */
  async seal(id: number): Promise<TakenFlush> {
    const held = [...this.held.values()].find((entry) => entry.id === id)
    if (!held) return { files: [], folders: [], rows: 0, letters: 0, toSend: [] }
    const { toSend } = held
    held.toSend = []
    const { files, folders, rows, letters } = held.buffer.seal()
    return { files, folders, rows, letters, toSend }
  }

  /** Forgets buffer `id` and what it holds: its partition was lost, none of it is to be written. */
  drop(id: number): void {
    for (const [partition, held] of this.held) if (held.id === id) this.held.delete(partition)
  }
}

/**
 * Decodes, cleans and enriches one message into its partition's buffer; a message that fails any
 * stage becomes a dead letter in the buffer (for the lake), returned for the dead-letter topic.
 *
 * @example
 * const letter = takeMessage(buffer, message, 'austin_apd', BigInt(Date.now()) * 1000n)
 */
export function takeMessage(buffer: KafkaPartitionBuffer, message: IngestMessage, fallbackSource: string, ingestedAt: bigint): DeadLetter | undefined {
  const origin = originOf(message)
  const bytes = message.value?.length ?? 0
  const decoded = decodeTagged(message, fallbackSource)
  const outcome = decoded.ok ? decoded.value.layout.transform(decoded.value.raw, { origin, source: decoded.value.source, ingestedAt }) : decoded
  if (outcome.ok) {
    buffer.add({ record: outcome.value, position: message.offset }, bytes)
    return undefined
  }
  const letter = deadLetter(outcome.rejection, origin, rawValueOf(message), letterSourceOf(message, fallbackSource))
  buffer.reject(letter, message.offset, bytes)
  return letter
}

/** A copy of a view into a pack, so a kept dead letter does not hold the whole pack. */
const copy = (bytes: Uint8Array | null) => (bytes ? new Uint8Array(bytes) : null)
