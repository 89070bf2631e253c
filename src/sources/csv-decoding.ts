import { isUtf8 } from 'node:buffer'
import { HatecrimesError } from '../core/errors.ts'

/**
 * Bytes of a CSV file to text, chunk by chunk, in the file's own encoding. UTF-8 (the default) is
 * checked, not repaired: a decoder that swaps bad bytes for U+FFFD would store `R\uFFFDsidence`
 * for a Windows-1252 `Résidence` without a word, so the first invalid byte stops the read and is
 * reported with its byte offset. Other encodings (`--encoding windows-1252`, `latin1`, `utf-16le`)
 * go through TextDecoder; a UTF-16 byte-order mark is recognised without `--encoding`.
 */

/** The text of one chunk, and the first byte that is not UTF-8 (its file offset and value), when there is one. */
export interface DecodedChunk {
  text: string
  invalid?: { offset: number; byte: number }
}

/** Where a UTF-8 sequence that `bytes` ends with is cut short, so the next chunk completes it. */
function completeEnd(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]
    if ((byte & 0xc0) === 0x80) continue
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return length > back ? bytes.length - back : bytes.length
  }
  return bytes.length
}

/** The index of the first byte of `bytes` that does not start or continue a valid UTF-8 sequence. */
function firstInvalid(bytes: Uint8Array): number {
  for (let at = 0; at < bytes.length; ) {
    const byte = bytes[at]
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte < 0xe0 ? 2 : byte >= 0xe0 && byte < 0xf0 ? 3 : byte >= 0xf0 && byte < 0xf5 ? 4 : 0
    if (length === 0 || at + length > bytes.length) return at
    if (!isUtf8(bytes.subarray(at, at + length))) return at
    at += length
  }
  return bytes.length
}

/**
 * The canonical name of an encoding label (`latin1` is `windows-1252`, as the WHATWG standard
 * says); an unknown label is a BAD_OPTION that names the flag.
 *
 * @example
 * encodingName('latin1') // 'windows-1252'
 */
export function encodingName(label = 'utf-8'): string {
  try {
    return new TextDecoder(label).encoding
  } catch {
    throw new HatecrimesError('BAD_OPTION', `Expected a text encoding for --encoding such as utf-8, windows-1252, latin1 or utf-16le (got "${label}")`)
  }
}

/**
 * Decodes a file's consecutive byte chunks. For UTF-8, text stops before the first invalid byte,
 * whose offset `invalidAt` gives; what comes after it is not decoded.
 *
 * @example
 * const decoder = new ChunkDecoder('windows-1252')
 * decoder.decode(Buffer.from([0x52, 0xe9]), true).text // 'Ré'
 */
export class ChunkDecoder {
  /** The encoding's canonical name (`latin1` is `windows-1252`, as the WHATWG standard says). */
  encoding: string
  private decoder: TextDecoder | undefined
  private carry: Uint8Array = new Uint8Array(0)
  private offset = 0
  private first = true

  /** `encoding` is any label TextDecoder knows (utf-8, windows-1252, latin1, utf-16le, ...). */
  constructor(encoding = 'utf-8') {
    this.encoding = encodingName(encoding)
    this.decoder = this.encoding === 'utf-8' ? undefined : new TextDecoder(this.encoding)
  }

  decode(chunk: Uint8Array, last: boolean): DecodedChunk {
    if (this.first) this.detectUtf16(chunk)
    if (this.decoder) return { text: this.decoder.decode(chunk, { stream: !last }) }
    const bytes = this.carry.length ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const end = last ? bytes.length : completeEnd(bytes)
    const whole = bytes.subarray(0, end)
    this.carry = bytes.subarray(end)
    const start = this.offset
    this.offset += end
    if (isUtf8(whole)) return { text: whole.toString('utf8') }
    const bad = firstInvalid(whole)
    return { text: whole.toString('utf8', 0, bad), invalid: { offset: start + bad, byte: whole[bad] } }
  }

  /** A UTF-16 byte-order mark says the encoding when --encoding left it at UTF-8. */
  private detectUtf16(chunk: Uint8Array): void {
    this.first = false
    if (this.decoder || chunk.length < 2) return
    const label = chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : chunk[0] === 0xfe && chunk[1] === 0xff ? 'utf-16be' : undefined
    if (!label) return
    this.decoder = new TextDecoder(label)
    this.encoding = label
  }
}

/**
 * The error for a byte that is not UTF-8: where it is, which record holds it, and how to read the file.
 *
 * @example
 * throw notUtf8('austin.csv', { offset: 1234, byte: 0x96 }, 17)
 */
export function notUtf8(file: string, { offset, byte }: { offset: number; byte: number }, row: number): HatecrimesError {
  const hex = `0x${byte.toString(16).padStart(2, '0')}`
  return new HatecrimesError(
    'BAD_INPUT',
    `Expected UTF-8 text in ${file}, found byte ${hex} at byte offset ${offset} (row ${row}), and stopped reading there. ` +
      'Give the file\'s encoding with --encoding (for example --encoding windows-1252 or latin1)',
  )
}
