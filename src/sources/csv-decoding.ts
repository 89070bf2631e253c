import { isUtf8 } from 'node:buffer'
import { HatecrimesError } from '../core/errors.ts'

/**
 * Bytes of a CSV file to text, chunk by chunk, in the file's own encoding. UTF-8 (the default) is
 * checked, not repaired: a decoder that swaps bad bytes for U+FFFD would store `R\uFFFDsidence`
 * for a Windows-1252 `Résidence` without a word. Each byte that is not UTF-8 becomes instead a lone
 * surrogate, U+DC00 plus the byte (as Python's `surrogateescape` does): decoded UTF-8 never holds
 * one, so the row it lands in can be found (`isWellFormed` is false) and sent to the dead letters
 * with the byte, while the rows around it read on. Other encodings (`--encoding windows-1252`,
 * `latin1`, `utf-16le`) go through TextDecoder; a UTF-16 byte-order mark is recognised without `--encoding`.
 */

/** The text of one chunk, and how many of its bytes were not UTF-8 (each kept as an escape in the text). */
export interface DecodedChunk {
  text: string
  undecoded: number
}

const ESCAPE_BASE = 0xdc00

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

/** The index of the first byte of `bytes` from `from` on that does not start or continue a valid UTF-8 sequence. */
function firstInvalid(bytes: Uint8Array, from: number): number {
  for (let at = from; at < bytes.length; ) {
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

/** UTF-8 text with each invalid byte escaped (see above), and the count of escapes. */
function escapedText(bytes: Buffer): DecodedChunk {
  let text = ''
  let from = 0
  let undecoded = 0
  for (let bad = firstInvalid(bytes, 0); bad < bytes.length; bad = firstInvalid(bytes, from)) {
    text += bytes.toString('utf8', from, bad) + String.fromCharCode(ESCAPE_BASE + bytes[bad])
    from = bad + 1
    undecoded++
  }
  return { text: text + bytes.toString('utf8', from), undecoded }
}

/**
 * The bytes a text's escapes stand for (lone surrogates U+DC80 to U+DCFF, see above), in order.
 *
 * @example
 * undecodedBytes('R\udce9sidence') // [0xe9]
 */
export function undecodedBytes(text: string): number[] {
  const bytes: number[] = []
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) i++
    else if (code >= ESCAPE_BASE + 0x80 && code < ESCAPE_BASE + 0x100) bytes.push(code - ESCAPE_BASE)
  }
  return bytes
}

/**
 * Decodes a file's consecutive byte chunks. For UTF-8, each invalid byte is kept as an escape
 * (see above) and counted in `undecoded`.
 *
 * @example
 * const decoder = new ChunkDecoder('windows-1252')
 * decoder.decode(Buffer.from([0x52, 0xe9]), true).text // 'Ré'
 * new ChunkDecoder().decode(Buffer.from([0x52, 0xe9]), true) // { text: 'R\udce9', undecoded: 1 }
 */
export class ChunkDecoder {
  /** The encoding's canonical name (`latin1` is `windows-1252`, as the WHATWG standard says). */
  encoding: string
  private decoder: TextDecoder | undefined
  private carry: Uint8Array = new Uint8Array(0)
  private first = true

  /** `encoding` is any label TextDecoder knows (utf-8, windows-1252, latin1, utf-16le, ...). */
  constructor(encoding = 'utf-8') {
    this.encoding = encodingName(encoding)
    this.decoder = this.encoding === 'utf-8' ? undefined : new TextDecoder(this.encoding)
  }

  decode(chunk: Uint8Array, last: boolean): DecodedChunk {
    if (this.first) this.detectUtf16(chunk)
    if (this.decoder) return { text: this.decoder.decode(chunk, { stream: !last }), undecoded: 0 }
    const bytes = this.carry.length ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const end = last ? bytes.length : completeEnd(bytes)
    const whole = bytes.subarray(0, end)
    this.carry = bytes.subarray(end)
    return isUtf8(whole) ? { text: whole.toString('utf8'), undecoded: 0 } : escapedText(whole)
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
