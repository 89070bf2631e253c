/**
 * The closed list of errors the tool reports to its users. Per-record problems are not errors:
 * they are {@link Rejection} values that end in the dead letters.
 */
export const ERROR_CODES = {
  BAD_OPTION: { retryable: false, exit: 2 },
  INPUT_MISSING: { retryable: false, exit: 2 },
  BAD_INPUT: { retryable: false, exit: 2 },
  /** The store did not answer (network, server down), also after retrying. */
  LAKE_UNREACHABLE: { retryable: true, exit: 3 },
  /** The bucket the lake URL names does not exist. */
  LAKE_NOT_FOUND: { retryable: false, exit: 3 },
  /** Credentials or permissions refused the call. */
  LAKE_DENIED: { retryable: false, exit: 3 },
  /** The disk (ENOSPC, EDQUOT) or the store's quota is full. */
  LAKE_NO_SPACE: { retryable: false, exit: 3 },
  /** Any other failure to read or list the lake. */
  LAKE_READ_FAILED: { retryable: false, exit: 3 },
  /** Any other failure to write or delete in the lake. */
  LAKE_WRITE_FAILED: { retryable: false, exit: 3 },
  /** The lake holds files written before sources had folders: `hatecrimes migrate-lake` moves them. */
  LAKE_NEEDS_MIGRATION: { retryable: false, exit: 3 },
  /** The rows read do not match the rows in the files written plus the dead letters. */
  BALANCE_BROKEN: { retryable: false, exit: 6 },
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
