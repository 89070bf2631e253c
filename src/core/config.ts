import { join } from 'node:path'
import { z } from 'zod'
import { HatecrimesError } from './errors.ts'
import { refuseUserInfo } from './url-credentials.ts'

/**
 * The project's settings in one place: the defaults every command and pipeline falls back to,
 * written once, and the environment variables, read once and checked when a command starts. Two
 * sections live beside their clients and are parsed the same way (a zod schema, an error naming
 * the variable): the Kafka connection (`loadKafkaConfig` in kafka-config.ts, KAFKA_*) and the S3
 * settings (`s3Settings` in lake/s3-store.ts, AWS_* and HATECRIMES_S3_*).
 */
export const DEFAULTS = Object.freeze({
  /** The lake when neither --lake nor HATECRIMES_LAKE is given. */
  lake: './lake',
  /** The Kafka topic `produce`, `ingest` and `run --kafka` use. */
  topic: 'incidents',
  group: 'hatecrimes-ingest',
  /** The `source` of messages that carry no source header (from producers before layouts). */
  source: 'austin_apd',
  /** Rows per Parquet file of an in-process run. */
  fileRows: 50_000,
  /** An ingest flushes a Kafka partition at this many records, message bytes, or age. */
  flushRows: 10_000,
  flushBytes: 4 * 1024 * 1024,
  flushMs: 5_000,
  /** ...or when no new record has come for this long (the end of a burst lands at once). */
  idleMs: 500,
  fetchMaxBytes: 256 * 1024,
  /** Threads an ingest decodes, cleans and encodes records on (the one that fetches and commits takes a share too). */
  takeThreads: 1,
  stallMs: 60_000,
  /** `compact` leaves files younger than this to the writer that may own them... */
  compactGraceMs: 120_000,
  /** ...and waits this long between writing a merged file and deleting the files it replaces. */
  compactSettleMs: 10_000,
  /** The dashboard's port (`serve`, `demo`). */
  port: 8080,
  /** Where local copies of S3 lakes go when HATECRIMES_CACHE_DIR is not set. */
  cacheDir: join('.cache', 'lakes'),
})

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** An unset variable and an empty one mean the same: the default. */
const text = z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.string().trim().optional())

const EnvironmentSchema = z.object({
  HATECRIMES_LAKE: text.transform((value) => value ?? DEFAULTS.lake),
  HATECRIMES_CACHE_DIR: text.transform((value) => value ?? DEFAULTS.cacheDir),
  KAFKA_BROKERS: text,
  LOG_LEVEL: text.pipe(z.enum(LOG_LEVELS).optional()).transform((value) => value ?? 'info'),
})

/** The environment as the commands use it; frozen. */
export interface Environment {
  /** HATECRIMES_LAKE, else ./lake: the default of --lake. */
  readonly lake: string
  readonly cacheDir: string
  /** KAFKA_BROKERS as given (checked by loadKafkaConfig when a command connects); unset: embedded mode. */
  readonly kafkaBrokers: string | undefined
  readonly logLevel: (typeof LOG_LEVELS)[number]
}

/**
 * Reads and checks the variables of `env`: a wrong value stops the command with BAD_OPTION naming
 * the variable, what was expected and what was found (a lake URL's credentials never shown).
 *
 * @example
 * parseEnvironment({ LOG_LEVEL: 'debug' }).logLevel // 'debug'
 */
export function parseEnvironment(env: NodeJS.ProcessEnv): Environment {
  const parsed = EnvironmentSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(String(env[String(issue.path[0])]).slice(0, 100))})`)
    throw new HatecrimesError('BAD_OPTION', `Invalid environment: ${problems.join('; ')}`)
  }
  const { HATECRIMES_LAKE, HATECRIMES_CACHE_DIR, KAFKA_BROKERS, LOG_LEVEL } = parsed.data
  refuseUserInfo(HATECRIMES_LAKE, '--lake (or HATECRIMES_LAKE)')
  return Object.freeze({ lake: HATECRIMES_LAKE, cacheDir: HATECRIMES_CACHE_DIR, kafkaBrokers: KAFKA_BROKERS, logLevel: LOG_LEVEL })
}

let cached: Environment | undefined

/**
 * The process's environment, parsed on the first call and the same object after (the CLI calls it
 * when it starts, so a wrong variable stops any command before it does anything).
 *
 * @example
 * pino({ level: environment().logLevel })
 */
export function environment(): Environment {
  return (cached ??= parseEnvironment(process.env))
}
