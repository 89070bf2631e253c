/**
 * The faults of a soak round: a schedule drawn from a seed (so a round can be replayed with the same
 * faults at the same points of its progress) and the broker restart, either a command given on the
 * command line or the project's scripts/kafka.sh when the running broker is one it started.
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { mulberry32 } from '../src/sources/synthetic-random.ts'

export type FaultKind = 'kill' | 'join' | 'restart'

/** One fault: it fires once the group has committed `atProgress` (0..1) of the topic. */
export interface Fault {
  kind: FaultKind
  atProgress: number
  /** For a join: how long the second member stays, from its first output, before its SIGTERM. */
  stayMs: number
}

/**
 * The faults of one round, in the order they fire: two kill -9s of member A, two joins of a
 * short-lived member B and, when `withRestart`, one broker restart, at seeded points between 5% and
 * 70% of the topic: a broker restart or a kill holds the next fault back for several seconds, and
 * each should still hit the group while the topic fills.
 *
 * @example
 * faultSchedule(42, true) // [{ kind: 'join', atProgress: 0.13, stayMs: 6200 }, { kind: 'kill', ... }, ...]
 */
export function faultSchedule(seed: number, withRestart: boolean): Fault[] {
  const next = mulberry32(seed)
  const kinds: FaultKind[] = ['kill', 'kill', 'join', 'join', ...(withRestart ? (['restart'] as const) : [])]
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[kinds[i], kinds[j]] = [kinds[j], kinds[i]]
  }
  const points = kinds.map(() => 0.05 + next() * 0.65).sort((a, b) => a - b)
  return kinds.map((kind, i) => ({ kind, atProgress: points[i], stayMs: Math.round(4_000 + next() * 6_000) }))
}

/** A way to stop and start the broker, with a description for the report. */
export interface BrokerRestart {
  describe: string
  restart: () => Promise<void>
}

const run = promisify(execFile)
// kafka.sh waits up to 30 s for a clean stop and 60 s for a start; anything longer is a failure.
const RESTART_TIMEOUT_MS = 180_000

/**
 * The broker restart for the brokers under test: `command` (run with bash) when given; else
 * scripts/kafka.sh stop + start when KAFKA_HOME_DIR (default .cache/kafka) holds the
 * server.properties and PID file of a broker listening on one of `brokers`; else none, with the
 * reason.
 *
 * @example
 * const found = findBrokerRestart('127.0.0.1:39092', undefined)
 * if ('restart' in found) await found.restart()
 */
export function findBrokerRestart(brokers: string, command: string | undefined): BrokerRestart | { reason: string } {
  if (command) {
    return { describe: `bash -c ${JSON.stringify(command)}`, restart: async () => void (await run('bash', ['-c', command], { timeout: RESTART_TIMEOUT_MS })) }
  }
  const home = resolve(process.env.KAFKA_HOME_DIR ?? '.cache/kafka')
  const properties = `${home}/server.properties`
  if (!existsSync(properties) || !existsSync(`${home}/broker.pid`)) {
    return { reason: `no broker started by scripts/kafka.sh in ${home} (expected server.properties and broker.pid; set KAFKA_HOME_DIR)` }
  }
  const listeners = /^listeners=PLAINTEXT:\/\/[^:]+:(\d+),CONTROLLER:\/\/[^:]+:(\d+)/m.exec(readFileSync(properties, 'utf8'))
  const ports = brokers.split(',').map((broker) => broker.trim().split(':').pop())
  if (!listeners || !ports.includes(listeners[1])) {
    return { reason: `the broker of ${home} listens on port ${listeners?.[1] ?? 'unknown'}, not on ${brokers}` }
  }
  const env = { ...process.env, KAFKA_PORT: listeners[1], KAFKA_CONTROLLER_PORT: listeners[2], KAFKA_HOME_DIR: home }
  const kafkaSh = async (action: string) => void (await run('bash', ['scripts/kafka.sh', action], { env, timeout: RESTART_TIMEOUT_MS }))
  return {
    describe: `KAFKA_PORT=${listeners[1]} KAFKA_CONTROLLER_PORT=${listeners[2]} KAFKA_HOME_DIR=${home} bash scripts/kafka.sh stop, then start`,
    restart: async () => {
      await kafkaSh('stop')
      await kafkaSh('start')
    },
  }
}
