/**
 * Ingest group members of the soak: `hatecrimes ingest` child processes, run as a deployment would
 * run them (node with the command's flags, bin/hatecrimes.js), whose output goes line by line, tagged
 * with the member's name and pid, into the round's log file, and whose memory is read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, type WriteStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { COMMAND_FLAGS } from './figures.ts'

/** What every member of a round shares: the ingest's flags and where its output goes. */
export interface MemberSetup {
  topic: string
  group: string
  lake: string
  brokers: string
  log: WriteStream
}

/** A /proc/<pid>/status field in KiB (VmRSS, VmHWM); 0 once the process is gone. */
function statusKiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)
  } catch {
    return 0
  }
}

const running = new Set<ChildProcess>()

/**
 * kill -9 of every member still running, for the soak's own exit on SIGINT or SIGTERM, which must
 * leave no ingest behind.
 *
 * @example
 * process.once('SIGTERM', () => { killAllMembers(); process.exit(143) })
 */
export function killAllMembers(): void {
  for (const child of running) child.kill('SIGKILL')
}

/**
 * One running `hatecrimes ingest` process. Its peak memory is the largest of the VmRSS samples
 * taken while it ran and the VmHWM (the kernel's high-water mark) read just before it was signalled.
 *
 * @example
 * const a = Member.start('A1', setup)
 * a.sample()
 * await a.kill9()
 * console.log(a.peakKiB)
 */
export class Member {
  peakKiB = 0
  /**
   * performance.now() at the member's first line of output, i.e. once Node has loaded the command
   * (several seconds on a busy machine); faults are timed from here so they hit a running member.
   */
  upSince: number | undefined
  readonly startedAt = performance.now()
  private readonly child: ChildProcess
  private readonly log: WriteStream
  private readonly done: Promise<number | string>
  private signalled = false

  readonly name: string

  private constructor(name: string, setup: MemberSetup) {
    this.name = name
    this.log = setup.log
    const args = [...COMMAND_FLAGS, 'bin/hatecrimes.js', 'ingest', '--topic', setup.topic, '--group', setup.group]
    args.push('--lake', setup.lake, '--brokers', setup.brokers, '--flush-ms', '1000')
    this.child = spawn(process.execPath, args, { env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] })
    running.add(this.child)
    const tag = `[${name} pid ${this.child.pid}]`
    setup.log.write(`${new Date().toISOString()} ${tag} started: ingest ${args.slice(3).join(' ')}\n`)
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue
      createInterface({ input: stream }).on('line', (line) => {
        this.upSince ??= performance.now()
        setup.log.write(`${tag} ${line}\n`)
      })
    }
    this.done = new Promise((resolve) =>
      this.child.once('close', (code, signal) => {
        running.delete(this.child)
        setup.log.write(`${new Date().toISOString()} ${tag} exited: ${signal ?? `code ${code}`}, peak RSS ${Math.round(this.peakKiB / 1024)} MiB\n`)
        resolve(code ?? signal ?? -1)
      }),
    )
  }

  static start(name: string, setup: MemberSetup): Member {
    return new Member(name, setup)
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** True when the process ended without the soak asking it to: a crash to report. */
  get crashed(): boolean {
    return !this.alive && !this.signalled
  }

  /** Takes one VmRSS sample into the peak. */
  sample(): void {
    if (this.alive) this.peakKiB = Math.max(this.peakKiB, statusKiB(this.child.pid, 'VmRSS'))
  }

  /** kill -9: no flush, no commit, no leave; the group only notices when the session times out. */
  async kill9(): Promise<void> {
    this.signal('SIGKILL')
    await this.done
  }

  /**
   * SIGTERM (flush, commit, leave the group), then waits up to `ms` for the exit; a member still
   * running after that is killed with SIGKILL. Answers what went wrong for the report, or undefined
   * for a clean exit (code 0, or killed by the SIGTERM before its handler was installed).
   */
  async stop(ms: number): Promise<string | undefined> {
    this.signal('SIGTERM')
    const exit = await Promise.race([this.done, sleep(ms, undefined)])
    if (exit === undefined) {
      await this.kill9()
      return `${this.name} ignored SIGTERM for ${ms / 1000} s`
    }
    return exit === 0 || exit === 'SIGTERM' ? undefined : `${this.name} exited with ${exit} after SIGTERM (see the log)`
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.alive) return
    this.peakKiB = Math.max(this.peakKiB, statusKiB(this.child.pid, 'VmHWM'))
    this.signalled = true
    this.log.write(`${new Date().toISOString()} [soak] ${signal} to ${this.name} (pid ${this.child.pid})\n`)
    this.child.kill(signal)
  }
}
