/**
 * The closed list of errors the tool reports to its users, each with the exit code it ends a
 * command with. Per-record problems are not errors: they are {@link Rejection} values that end in the dead
 * letters. No code says "retry me": the layers that retry (the S3 store, the Kafka client) decide on
 * the raw failure before it becomes one of these, so an error here is final for the command.
 */
export const ERROR_CODES = {
  BAD_OPTION: 2,
  INPUT_MISSING: 2,
  BAD_INPUT: 2,
  /** The store did not answer (network, server down), also after retrying. */
  LAKE_UNREACHABLE: 3,
  /** The bucket the lake URL names does not exist. */
  LAKE_NOT_FOUND: 3,
  /** Credentials or permissions refused the call. */
  LAKE_DENIED: 3,
  /** The disk (ENOSPC, EDQUOT) or the store's quota is full. */
  LAKE_NO_SPACE: 3,
  /** Any other failure to read or list the lake. */
  LAKE_READ_FAILED: 3,
  /** Any other failure to write or delete in the lake. */
  LAKE_WRITE_FAILED: 3,
  /** The lake holds files written before sources had folders: `hatecrimes migrate-lake` moves them. */
  LAKE_NEEDS_MIGRATION: 3,
  /** The rows read do not match the rows in the files written plus the dead letters. */
  BALANCE_BROKEN: 6,
  KAFKA_UNREACHABLE: 4,
  KAFKA_FAILED: 4,
  QUERY_FAILED: 5,
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

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'HatecrimesError'
    this.code = code
  }

  get exitCode(): number {
    return ERROR_CODES[this.code]
  }
}
