/**
 * One soak round: a fresh topic, group and lake; the producer filling the topic at a set rate while
 * member A ingests it and seeded faults hit it (kill -9 and restart of A, a member B joining and
 * leaving, a broker restart); a bounded wait for the group to commit the whole topic; then the lake
 * checked offset by offset.
 */
import { execFile } from 'node:child_process'
import { createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import type { KafkaConfig } from '../src/core/kafka-config.ts'
import { topicEnds } from '../src/pipelines/ingest-streaming.ts'
import { ensureTopic } from '../src/sinks/kafka-topic.ts'
import { faultSchedule, type BrokerRestart } from './soak-faults.ts'
import { forget, GroupWatch } from './soak-group-watch.ts'
import { checkLake, type LakeVerdict } from './soak-lake-check.ts'
import { Member, type MemberSetup } from './soak-members.ts'
import { COMMAND_FLAGS, loadavg } from './figures.ts'

export interface RoundSetup {
  round: number
  seed: number
  csv: string
  kafka: KafkaConfig
  partitions: number
  /** Rows in `csv` (the records the topic is to hold), produced at `produceRate` rows per second. */
  rows: number
  produceRate: number
  timeoutMs: number
  /** The folder of this round's lake (topic and group are named after it), deleted when the round passes. */
  dir: string
  /** The members' output, kept after a pass too, so a slow rebalance or a stuck shutdown can be looked into. */
  logFile: string
  restart?: BrokerRestart
}

export interface RoundResult {
  round: number
  seed: number
  seconds: number
  recordsPerSecond: number
  /** Records the group had not committed at the end; undefined when it could not be read. */
  lag: number | undefined
  verdict: LakeVerdict | undefined
  peakMiB: number
  kills: number
  joins: number
  restarts: number
  /** Faults that fired after the group had already committed the whole topic (a short round). */
  late: number
  /** Members that exited without being signalled (each was restarted). */
  crashes: number
  problems: string[]
  passed: boolean
  loadavg: string
}

const run = promisify(execFile)
const STOP_MS = 30_000
// Faults are spaced so each one's rebalance has begun before the next.
const FAULT_GAP_MS = 3_000
const KILL_AFTER_MS = 4_000

/** Runs one round; never throws for a fault of the ingest, which ends up in `problems`. */
export async function runRound(setup: RoundSetup): Promise<RoundResult> {
  const { kafka, dir } = setup
  const name = dir.split('/').pop()!
  const brokers = kafka.brokers.join(',')
  mkdirSync(dir, { recursive: true })
  mkdirSync(dirname(setup.logFile), { recursive: true })
  const log = createWriteStream(setup.logFile)
  const member: MemberSetup = { topic: name, group: `${name}-group`, lake: join(dir, 'lake'), brokers, log }
  const problems: string[] = []
  // The topic first, so the group's offsets can be read at once; it fills while the faults hit the members.
  await ensureTopic(kafka, { topic: member.topic, partitions: setup.partitions, replication: 1 })
  const watch = new GroupWatch(kafka, member.group, member.topic, [...Array(setup.partitions).keys()], setup.rows)
  let ends: Map<number, bigint> | undefined
  let held = 0
  // Set when produce failed: the topic never fills, so the round fails at once instead of at its timeout.
  let produceFailed = false
  const producing = run(process.execPath, [...COMMAND_FLAGS, 'bin/hatecrimes.js', 'produce', '--input', setup.csv, '--topic', member.topic,
    '--partitions', String(setup.partitions), '--rate', String(setup.produceRate), '--brokers', brokers, '--no-progress'], { timeout: setup.timeoutMs, maxBuffer: 16 << 20 })
    .then(async () => {
      watch.ended((ends = await topicEnds(kafka, member.topic)))
      // produce is exactly once too: a message sent twice has an offset of its own, which the lake check cannot see.
      held = [...ends.values()].reduce((sum, end) => sum + Number(end), 0)
      if (held !== setup.rows) problems.push(`the topic holds ${held} messages for the ${setup.rows} rows produced`)
    })
    .catch((error: Error & { stderr?: string }) => void problems.push(`produce failed: ${error.stderr?.trim().split('\n').at(-1) ?? error.message.split('\n')[0]}`))
    .finally(() => (produceFailed = !ends))
  const faults = faultSchedule(setup.seed, setup.restart !== undefined)
  const members: Member[] = []
  const startMember = (prefix: string) => {
    const started = Member.start(`${prefix}${members.filter((m) => m.name.startsWith(prefix)).length + 1}`, member)
    members.push(started)
    return started
  }
  const counts = { kills: 0, joins: 0, restarts: 0, late: 0, crashes: 0 }
  let a = startMember('A')
  let b: Member | undefined
  let bStaysMs = 0
  let restarting: Promise<void> | undefined
  let lastFaultAt = -Infinity
  let progressAtLastFault = -1
  const started = performance.now()
  const deadline = started + setup.timeoutMs
  const settled = () => faults.length === 0 && !b?.alive && !restarting && (watch.lastCaughtUpSample ?? 0) > lastFaultAt + FAULT_GAP_MS

  while (!settled() && !produceFailed && performance.now() < deadline) {
    await sleep(1_000)
    const now = performance.now()
    watch.poll()
    for (const m of members) m.sample()
    if (a.crashed) {
      counts.crashes++
      problems.push(`${a.name} exited by itself (see the log)`)
      a = startMember('A')
    }
    // A member B that never says a word is sent away a minute after its start all the same.
    if (b?.alive && now >= (b.upSince ?? b.startedAt + 60_000) + bStaysMs) {
      const leaving = b
      bStaysMs = Infinity
      void leaving.stop(STOP_MS).then((problem) => problem && problems.push(problem))
    }
    const next = faults[0]
    if (!next || restarting) continue
    // A fault waits until the group has committed something since the last one, so each hits a group at work.
    const moving = watch.progress >= next.atProgress && watch.progress > progressAtLastFault
    const due = (moving || watch.caughtUpSince !== undefined) && now - lastFaultAt >= FAULT_GAP_MS
    // A kill waits until the restarted A is up and has had time to join the group.
    const ready = next.kind === 'kill' ? now >= (a.upSince ?? Infinity) + KILL_AFTER_MS : next.kind !== 'join' || !b?.alive
    if (!due || !ready) continue
    faults.shift()
    lastFaultAt = now
    progressAtLastFault = watch.progress
    if (watch.caughtUpSince !== undefined) counts.late++
    if (next.kind === 'kill') {
      await a.kill9()
      a = startMember('A')
      counts.kills++
    } else if (next.kind === 'join') {
      b = startMember('B')
      bStaysMs = next.stayMs
      counts.joins++
    } else {
      log.write(`${new Date().toISOString()} [soak] broker restart: ${setup.restart!.describe}\n`)
      restarting = setup.restart!.restart()
        .then(() => {
          counts.restarts++
          log.write(`${new Date().toISOString()} [soak] broker restarted\n`)
        })
        .catch((error: Error) => void problems.push(`broker restart failed: ${error.message.split('\n')[0]}`))
        .finally(() => {
          restarting = undefined
          lastFaultAt = performance.now()
        })
    }
  }
  const timedOut = !settled() && !produceFailed
  const seconds = ((watch.caughtUpSince ?? performance.now()) - started) / 1000
  const committed = Math.round(watch.progress * watch.total)
  if (timedOut) problems.push(`timed out after ${setup.timeoutMs / 1000} s with lag ${watch.lag ?? 'unknown'} and ${faults.length} faults not fired`)
  await restarting
  for (const m of members) {
    const problem = m.alive ? await m.stop(STOP_MS) : undefined
    if (problem) problems.push(problem)
  }
  await producing
  await watch.final(30_000)
  log.end()
  if (watch.failures > 0) problems.push(`${watch.failures} lag samples failed (last: ${watch.lastError})`)
  let verdict: LakeVerdict | undefined
  try {
    if (!ends) throw new Error('the topic was never complete')
    verdict = await checkLake(member.lake, ends)
    if (verdict.examples.length > 0) problems.push(`faulty positions: ${verdict.examples.join(', ')}`)
  } catch (error) {
    problems.push(`the lake check failed: ${(error as Error).message}`)
  }
  const passed = !timedOut && held === setup.rows && watch.lag === 0 && verdict !== undefined && verdict.duplicates + verdict.missing + verdict.stray === 0
  if (passed) {
    rmSync(dir, { recursive: true, force: true })
    await forget(kafka, member.topic, member.group)
  }
  return {
    round: setup.round,
    seed: setup.seed,
    seconds,
    recordsPerSecond: (watch.caughtUpSince ? watch.total : committed) / Math.max(seconds, 0.001),
    lag: watch.lag,
    verdict,
    peakMiB: Math.max(...members.map((m) => m.peakKiB)) / 1024,
    ...counts,
    problems,
    passed,
    loadavg: loadavg(),
  }
}
