/**
 * The typed arrays that hold a file's columns while it fills (column-pack.ts). A lake file has 53
 * columns; allocating their arrays anew for every file, doubling them as rows come and copying them
 * once more to cut them to length, made a large share of a run's garbage and of its system time (a
 * big ArrayBuffer is fresh zeroed memory from the kernel). Arrays of a written file go back to a
 * pool instead, and the next file's columns take them from there; a full column is handed out as
 * a view of its array, never copied.
 */

export type Numeric = Uint8Array | Int32Array | Float64Array | BigInt64Array
type NumericClass<T extends Numeric> = { new (length: number): T; readonly name: string }

/** The smallest array a column starts with: small enough for many partitions open at once. */
const FIRST_LENGTH = 1024
/** Bytes the pool keeps at most (each thread has its own pool); arrays past it are left to the garbage collector. */
let poolBytes = 32 * 1024 * 1024

const free = new Map<string, Numeric[]>()
let pooledBytes = 0

function take<T extends Numeric>(type: NumericClass<T>, length: number): T {
  const arrays = free.get(`${type.name}:${length}`)
  const array = arrays?.pop() as T | undefined
  if (!array) return new type(length)
  pooledBytes -= array.byteLength
  return array
}

function give(array: Numeric): void {
  if (pooledBytes + array.byteLength > poolBytes) return
  const key = `${array.constructor.name}:${array.length}`
  let arrays = free.get(key)
  if (!arrays) free.set(key, (arrays = []))
  arrays.push(array)
  pooledBytes += array.byteLength
}

/**
 * Sets how many bytes of free arrays this thread's pool keeps (32 MiB unless set): enough for the
 * columns of a 50,000-row file of an in-process run.
 *
 * @example
 * keepPooled(8 * 1024 * 1024) // the ingest's take thread
 */
export function keepPooled(bytes: number): void {
  poolBytes = bytes
}

/**
 * Takes back into this thread's pool the arrays whose views went to another thread and came back
 * (EncodeThread): each view's whole array.
 *
 * @example
 * giveBack(columnArrays(answer.columns))
 */
export function giveBack(views: readonly Numeric[]): void {
  for (const view of views) give(new (view.constructor as new (buffer: ArrayBufferLike) => Numeric)(view.buffer))
}

/**
 * A typed array that grows by doubling, drawn from the pool. The column that owns it stores into
 * `array` itself (each column's store then sees one array type, which V8 keeps fast), calling `grow`
 * when it is full. `view` gives the values added without a copy; `release` hands the array back
 * once nothing reads that view any more.
 *
 * @example
 * const values = new GrowingArray(Float64Array)
 * const array = values.length < values.array.length ? values.array : values.grow()
 * array[values.length++] = 3
 * encode(values.view()) // Float64Array [3]
 * values.release()
 */
export class GrowingArray<T extends Numeric> {
  length = 0
  array: T
  private readonly type: NumericClass<T>

  constructor(type: NumericClass<T>) {
    this.type = type
    this.array = take(type, FIRST_LENGTH)
  }

  /** The values added so far: a view of the array, valid until `release`. */
  view(): T {
    return this.array.subarray(0, this.length) as T
  }

  /** Returns the array to the pool; the builder that owned it reads it no more. */
  release(): void {
    give(this.array)
    this.length = 0
  }

  /** Moves the values to an array twice as long, and returns it. */
  grow(): T {
    const bigger = take(this.type, this.array.length * 2)
    bigger.set(this.array as never)
    give(this.array)
    return (this.array = bigger)
  }
}
