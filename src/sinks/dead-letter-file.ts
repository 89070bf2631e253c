import type { DeadLetter } from '../core/record.ts'
import type { ObjectStore } from '../lake/object-store.ts'
import { DEAD_LETTER_PREFIX, rangeName } from '../lake/partitions.ts'

/** A dead letter with its position in its stream (row number of a file, or Kafka offset). */
export interface PositionedLetter {
  letter: DeadLetter
  position: bigint
}

/**
 * The key of a dead-letter file, named like data files by stream and first/last position so that a
 * replay replaces it rather than adding a second copy.
 *
 * @example
 * deadLetterKey('incidents-p0', 10n, 42n) // dead_letters/incidents-p0-000000000000010-000000000000042.jsonl
 */
export function deadLetterKey(stream: string, first: bigint, last: bigint): string {
  return `${DEAD_LETTER_PREFIX}/${rangeName(stream, first, last)}.jsonl`
}

/** Serialises dead letters as JSON lines; bigint values (offsets) become strings. */
export function deadLetterLines(letters: readonly DeadLetter[]): string {
  return letters
    .map((letter) => JSON.stringify(letter, (_key, value) => (typeof value === 'bigint' ? String(value) : value)))
    .join('\n')
    .concat('\n')
}

/**
 * Writes a batch of dead letters as one JSON-lines object in the lake's `dead_letters/` folder.
 *
 * @example
 * await writeDeadLetters(store, 'file-austin.csv', [{ letter, position: 17n }])
 */
export async function writeDeadLetters(
  store: ObjectStore,
  stream: string,
  batch: readonly PositionedLetter[],
): Promise<string> {
  const key = deadLetterKey(stream, batch[0].position, batch[batch.length - 1].position)
  await store.put(key, new TextEncoder().encode(deadLetterLines(batch.map((item) => item.letter))))
  return key
}
