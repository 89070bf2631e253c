import type { ReadStream } from 'node:fs'
import { basename } from 'node:path'
import { pipeline, Readable, type Transform } from 'node:stream'
import { createGunzip, createInflateRaw } from 'node:zlib'
import { HatecrimesError } from '../core/errors.ts'

/**
 * The bytes of an input file as users download it: a plain .csv, a gzipped .csv.gz, or a .zip such
 * as the FBI serves (its first entry, inflated as it streams: the archive is never unpacked whole,
 * in memory or on disk). The caller keeps the file stream, whose `bytesRead` counts the compressed
 * bytes the progress bar shows.
 */

/** How a file is packed, by its name. */
export type Packing = 'csv' | 'gzip' | 'zip'

/**
 * The packing a file name says: `.gz` is gzip, `.zip` a zip archive, anything else plain text.
 *
 * @example
 * packingOf('data/hate_crime.csv.gz') // 'gzip'
 */
export function packingOf(path: string): Packing {
  const name = path.toLowerCase()
  if (name.endsWith('.gz')) return 'gzip'
  if (name.endsWith('.zip')) return 'zip'
  return 'csv'
}

/** Streams `file` through `transform`; an error on either side (a read failure, a corrupt archive) ends the bytes with it. */
function through(file: Readable, transform: Transform): AsyncIterable<Buffer> {
  pipeline(file, transform, () => {})
  return transform
}

/**
 * The bytes of `file`, unpacked as its name says; the caller decodes them (csv-decoding.ts), which
 * keeps a multi-byte character whole when it straddles two chunks.
 *
 * @example
 * const file = createReadStream('hate_crime.zip')
 * for await (const bytes of inputBytes(file, 'hate_crime.zip')) decoder.decode(bytes, false)
 */
export function inputBytes(file: ReadStream, path: string): AsyncIterable<Buffer> {
  const packing = packingOf(path)
  if (packing === 'gzip') return through(file, createGunzip({ chunkSize: CHUNK }))
  if (packing === 'zip') return zipEntryBytes(file, path)
  return file as AsyncIterable<Buffer>
}

/** Inflated bytes per chunk: the file stream's 64 KiB, not zlib's 16 KiB, so a chunk costs one callback, not four. */
const CHUNK = 64 * 1024
const LOCAL_HEADER = 0x04034b50
const HEADER_BYTES = 30
const DEFLATE = 8

/**
 * The first entry of a zip archive, read from its local header at the start of the file: the
 * entry's deflated bytes are inflated as they stream; the inflater stops at the end of the entry,
 * so the central directory after it is read past and never parsed.
 */
async function* zipEntryBytes(file: ReadStream, path: string): AsyncGenerator<Buffer> {
  const chunks = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  let head = Buffer.alloc(0)
  const need = async (bytes: number) => {
    while (head.length < bytes) {
      const next = await chunks.next()
      if (next.done) throw notAZip(path, `it ends after ${head.length} bytes`)
      head = Buffer.concat([head, next.value])
    }
  }
  await need(HEADER_BYTES)
  if (head.readUInt32LE(0) !== LOCAL_HEADER) throw notAZip(path, `it starts with 0x${head.readUInt32LE(0).toString(16)}`)
  const method = head.readUInt16LE(8)
  const start = HEADER_BYTES + head.readUInt16LE(26) + head.readUInt16LE(28)
  await need(start)
  const name = head.toString('utf8', HEADER_BYTES, HEADER_BYTES + head.readUInt16LE(26))
  if (method !== DEFLATE) throw notAZip(path, `its entry ${name} is packed with method ${method}, not deflate`)
  if (!name.toLowerCase().endsWith('.csv')) throw notAZip(path, `its first entry is ${name}, not a .csv`)
  const rest = head.subarray(start)
  async function* compressed(): AsyncGenerator<Buffer> {
    yield rest
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value
  }
  yield* through(Readable.from(compressed()), createInflateRaw({ chunkSize: CHUNK }))
}

function notAZip(path: string, found: string): HatecrimesError {
  return new HatecrimesError('BAD_INPUT', `Expected a zip archive whose first entry is a deflated .csv in ${basename(path)} (${found})`)
}
