/**
 * The closed list of errors the tool reports to its users. Per-record problems are not errors:
 * they are {@link Rejection} values that end in the dead letters.
 */
export const ERROR_CODES = {
  BAD_OPTION: { retryable: false, exit: 2 },
  INPUT_MISSING: { retryable: false, exit: 2 },
  BAD_INPUT: { retryable: false, exit: 2 },
  LAKE_UNREACHABLE: { retryable: true, exit: 3 },
  LAKE_DENIED: { retryable: false, exit: 3 },
  LAKE_WRITE_FAILED: { retryable: true, exit: 3 },
  KAFKA_UNREACHABLE: { retryable: true, exit: 4 },
  KAFKA_FAILED: { retryable: true, exit: 4 },
  QUERY_FAILED: { retryable: false, exit: 5 },
} as const

export type ErrorCode = keyof typeof ERROR_CODES

/**
 * An error a user can act on: it says what was expected, where, and what was found.
 *
 * @example
 * throw new HatecrimesError('INPUT_MISSING', `Expected a CSV file at ${path} (no such file)`)
 */
export class HatecrimesError extends Error {
  readonly code: ErrorCode
  readonly retryable: boolean

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'HatecrimesError'
    this.code = code
    this.retryable = ERROR_CODES[code].retryable
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit
  }
}
