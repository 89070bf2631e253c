import { readFileSync } from 'node:fs'
import { AuthenticationError, NetworkError, ProtocolError, TimeoutError } from '@platformatic/kafka'
import { z } from 'zod'
import { HatecrimesError } from './errors.ts'

/** The brokers of a comma-separated list, trimmed, empty entries left out. */
const splitBrokers = (text: string) => text.split(',').map((broker) => broker.trim()).filter(Boolean)

const BrokerList = z
  .string()
  .transform(splitBrokers)
  .pipe(z.array(z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'a host:port pair')).min(1, 'at least one broker'))

const KafkaConfigSchema = z.object({
  brokers: BrokerList,
  clientId: z.string().min(1).default('hatecrimes'),
  sasl: z
    .object({
      mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']),
      username: z.string().min(1),
      password: z.string().min(1),
    })
    .optional(),
  tls: z
    .object({
      caFile: z.string().optional(),
      certFile: z.string().optional(),
      keyFile: z.string().optional(),
      rejectUnauthorized: z.boolean().default(true),
    })
    .optional(),
})

/** Where and how to reach the Kafka cluster; parsed once, then frozen. */
export type KafkaConfig = Readonly<z.infer<typeof KafkaConfigSchema>>

export interface KafkaConfigInput {
  /** `--brokers`; wins over `KAFKA_BROKERS`. */
  brokers?: string
  clientId?: string
}

/**
 * Reads the Kafka connection from flags and the environment: KAFKA_BROKERS (comma-separated
 * host:port), KAFKA_CLIENT_ID, KAFKA_SASL_MECHANISM (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) with
 * KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD, KAFKA_TLS=1 with optional KAFKA_TLS_CA_FILE,
 * KAFKA_TLS_CERT_FILE, KAFKA_TLS_KEY_FILE and KAFKA_TLS_REJECT_UNAUTHORIZED=0. Error messages name
 * the variable at fault and never contain the password.
 *
 * @example
 * const config = loadKafkaConfig({ brokers: '127.0.0.1:39092' })
 */
export function loadKafkaConfig(input: KafkaConfigInput = {}, env: NodeJS.ProcessEnv = process.env): KafkaConfig {
  const mechanism = env.KAFKA_SASL_MECHANISM?.toUpperCase()
  const raw = {
    brokers: input.brokers ?? env.KAFKA_BROKERS ?? '',
    clientId: input.clientId ?? env.KAFKA_CLIENT_ID,
    sasl: mechanism ? { mechanism, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD } : undefined,
    tls:
      env.KAFKA_TLS === '1' || env.KAFKA_TLS === 'true'
        ? {
            caFile: env.KAFKA_TLS_CA_FILE,
            certFile: env.KAFKA_TLS_CERT_FILE,
            keyFile: env.KAFKA_TLS_KEY_FILE,
            rejectUnauthorized: env.KAFKA_TLS_REJECT_UNAUTHORIZED !== '0',
          }
        : undefined,
  }
  const parsed = KafkaConfigSchema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.join('.')
      // An issue of one broker points into the list, not into the text it was split from.
      const oneBroker = issue.path[0] === 'brokers' && issue.path.length === 2
      const value = oneBroker ? splitBrokers(raw.brokers)[Number(issue.path[1])] : valueAt(raw, issue.path)
      const found = path === 'sasl.password' ? '' : ` (got ${JSON.stringify(value)})`
      return `${ENV_NAMES[oneBroker ? 'brokers' : path] ?? path}: expected ${issue.message}${found}`
    })
    throw new HatecrimesError('BAD_OPTION', `Invalid Kafka configuration: ${problems.join('; ')}`)
  }
  return Object.freeze(parsed.data)
}

const ENV_NAMES: Record<string, string> = {
  brokers: '--brokers or KAFKA_BROKERS',
  'sasl.mechanism': 'KAFKA_SASL_MECHANISM',
  'sasl.username': 'KAFKA_SASL_USERNAME',
  'sasl.password': 'KAFKA_SASL_PASSWORD',
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key], value)
}

/**
 * The connection options of @platformatic/kafka clients for this config. Retries are generous so a
 * broker restart (a few seconds) is ridden out rather than failing the run.
 *
 * @example
 * const producer = new Producer({ ...clientOptions(config), idempotent: true })
 */
export function clientOptions(config: KafkaConfig) {
  const { tls, sasl } = config
  return {
    clientId: config.clientId,
    bootstrapBrokers: [...config.brokers],
    retries: 40,
    retryDelay: 500,
    ...(sasl ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } } : {}),
    ...(tls
      ? {
          tls: {
            rejectUnauthorized: tls.rejectUnauthorized,
            ...(tls.caFile ? { ca: readFileSync(tls.caFile) } : {}),
            ...(tls.certFile ? { cert: readFileSync(tls.certFile) } : {}),
            ...(tls.keyFile ? { key: readFileSync(tls.keyFile) } : {}),
          },
        }
      : {}),
  }
}

/**
 * A one-line description for logs, with the password left out.
 *
 * @example
 * describeKafka(config) // "127.0.0.1:39092 (SASL SCRAM-SHA-512 as app, TLS)"
 */
export function describeKafka(config: KafkaConfig): string {
  const extras = [config.sasl && `SASL ${config.sasl.mechanism} as ${config.sasl.username}`, config.tls && 'TLS']
  const suffix = extras.filter(Boolean).join(', ')
  return `${config.brokers.join(',')}${suffix ? ` (${suffix})` : ''}`
}

/** Replaces the configured password wherever it appears in a text, e.g. an error from the client. */
export function redact(text: string, config: KafkaConfig): string {
  const secret = config.sasl?.password
  return secret ? text.split(secret).join('[redacted]') : text
}

/** Every error in a failure's tree: the client nests them in `errors` (retries, brokers) and `cause`. */
function errorTree(error: unknown): unknown[] {
  const found: unknown[] = [error]
  for (const inner of (error as { errors?: unknown[] } | undefined)?.errors ?? []) found.push(...errorTree(inner))
  const cause = (error as { cause?: unknown } | undefined)?.cause
  if (cause !== undefined) found.push(...errorTree(cause))
  return found
}

/**
 * Node's codes for a TLS handshake that failed: OpenSSL's certificate checks (UNABLE_TO_VERIFY_LEAF_SIGNATURE,
 * SELF_SIGNED_CERT_IN_CHAIN, CERT_HAS_EXPIRED, ...) and its ERR_SSL_* / ERR_TLS_* errors (a plain
 * listener answering a TLS hello gives ERR_SSL_WRONG_VERSION_NUMBER).
 */
const TLS_CODE = /^(?:ERR_SSL_|ERR_TLS_)|CERT|UNABLE_TO_(?:VERIFY|GET_ISSUER)/

/**
 * Whether a client error says the TLS handshake was refused (the broker's certificate, or a plain
 * listener) or the SASL authentication was: retrying cannot help either.
 */
export function credentialsRefused(error: unknown): 'tls' | 'sasl' | undefined {
  const tree = errorTree(error)
  if (tree.some((item) => TLS_CODE.test(String((item as { code?: unknown } | undefined)?.code ?? '')))) return 'tls'
  if (tree.some((item) => item instanceof AuthenticationError || (item instanceof ProtocolError && item.apiId === 'SASL_AUTHENTICATION_FAILED'))) return 'sasl'
  return undefined
}

/**
 * Turns an error of the Kafka client into one a user can act on, classified by the client's typed
 * errors (not by their wording): a refused TLS handshake or SASL authentication is KAFKA_FAILED
 * with what to check, a network error or time-out is KAFKA_UNREACHABLE with the broker list, and
 * anything else KAFKA_FAILED. Every message in the error's tree is kept, with secrets redacted.
 *
 * @example
 * await admin.metadata({ topics: [] }).catch((error) => { throw kafkaFailure(error, config, 'reading metadata') })
 */
export function kafkaFailure(error: unknown, config: KafkaConfig, doing: string): HatecrimesError {
  const tree = errorTree(error)
  const messages = tree.map((item) => (item instanceof Error ? item.message : String(item)))
  const detail = redact([...new Set(messages)].join('; '), config)
  const where = describeKafka(config)
  const refused = credentialsRefused(error)
  if (refused === 'tls') {
    return new HatecrimesError(
      'KAFKA_FAILED',
      `Could not verify the TLS certificate of the Kafka broker at ${where} while ${doing} (${detail}): give its CA in KAFKA_TLS_CA_FILE, or check that the port is a TLS listener`,
    )
  }
  if (refused === 'sasl') {
    return new HatecrimesError('KAFKA_FAILED', `Kafka at ${where} refused the SASL authentication while ${doing} (${detail}): check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`)
  }
  if (tree.some((item) => item instanceof NetworkError || item instanceof TimeoutError)) {
    return new HatecrimesError('KAFKA_UNREACHABLE', `Expected a Kafka broker at ${where} while ${doing} (none answered: ${detail}). Start one with 'bash scripts/kafka.sh start' or set KAFKA_BROKERS.`)
  }
  return new HatecrimesError('KAFKA_FAILED', `Kafka at ${where} failed while ${doing}: ${detail}`)
}
