import type { ByteSink } from './byte-sink.ts'

/**
 * Parquet's RLE / bit-packing hybrid, the encoding of definition and repetition levels and of
 * dictionary indexes. A value repeated 8 times or more from the current position becomes one run
 * (header `count << 1`, then the value in ceil(width / 8) bytes); anything else goes in groups of 8
 * values bit-packed (header `groups << 1 | 1`), so scattered nulls cost a bit each, not two bytes.
 * Several groups in a row share one header: the header's place is kept and filled in afterwards.
 */

/**
 * The bits needed for values up to `max`.
 *
 * @example
 * bitWidth(3) // 2
 */
export function bitWidth(max: number): number {
  return max <= 0 ? 0 : 32 - Math.clz32(max)
}

/**
 * Appends `values[0, count)` to `sink` in the hybrid encoding at `width` bits; returns the bytes written.
 *
 * @example
 * writeHybrid(sink, Uint8Array.of(1, 1, 0), 3, 1) // one bit-packed group: 0x03, 0x03
 */
export function writeHybrid(sink: ByteSink, values: ArrayLike<number>, count: number, width: number): number {
  const start = sink.length
  const valueBytes = (width + 7) >> 3
  let groupsAt = -1
  let groups = 0
  let i = 0
  while (i < count) {
    const value = values[i]
    let run = 1
    while (i + run < count && values[i + run] === value) run++
    if (run >= 8) {
      closeGroups(sink, groupsAt, groups)
      groupsAt = -1
      sink.varint(run * 2)
      sink.ensure(valueBytes)
      for (let b = 0; b < valueBytes; b++) sink.buffer[sink.length++] = (value >>> (8 * b)) & 0xff
      i += run
      continue
    }
    if (groupsAt < 0) {
      // Room for the largest header a file's groups can need (3 bytes: 2^21 / 2 groups of 8).
      sink.ensure(3)
      groupsAt = sink.length
      sink.length += 3
      groups = 0
    }
    packGroup(sink, values, i, Math.min(count, i + 8), width)
    groups++
    i += 8
  }
  closeGroups(sink, groupsAt, groups)
  return sink.length - start
}

// Writes 8 values (zeros past `end`) at `width` bits each, least significant bit first.
function packGroup(sink: ByteSink, values: ArrayLike<number>, from: number, end: number, width: number): void {
  sink.ensure(width)
  const { buffer } = sink
  let at = sink.length
  let bits = 0
  let filled = 0
  for (let k = 0; k < 8; k++) {
    bits |= (from + k < end ? values[from + k] : 0) << filled
    filled += width
    while (filled >= 8) {
      buffer[at++] = bits & 0xff
      bits >>>= 8
      filled -= 8
    }
  }
  sink.length = at
}

// The header of a series of bit-packed groups, as a 3-byte varint (padded with continuation bits).
function closeGroups(sink: ByteSink, at: number, groups: number): void {
  if (at < 0) return
  if (groups >= 1 << 20) throw new Error(`Expected fewer than ${1 << 20} bit-packed groups in a page, found ${groups}`)
  const header = groups * 2 + 1
  sink.buffer[at] = (header & 0x7f) | 0x80
  sink.buffer[at + 1] = ((header >> 7) & 0x7f) | 0x80
  sink.buffer[at + 2] = header >> 14
}
