/**
 * Peak memory of a benchmarked process and everything it starts, read from /proc.
 *
 * GNU time's %M is the largest RSS of one process among those it waited for; it misses the JVM
 * that PySpark starts (Python does not always reap it) and it never adds processes up. So the tree
 * under the command is sampled every 100 ms: the sum of VmRSS over all its live processes gives the
 * peak of the whole tree, and each process's VmHWM (its own exact high-water mark, kept by the kernel)
 * is remembered until it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'

export interface TreePeak {
  /** Largest sampled sum of VmRSS over the live processes of the tree, in MiB. */
  sumMiB: number
  /**
   * Each process seen that reached 8 MiB (the short-lived shell tools Spark runs do not), with its
   * own VmHWM in MiB: the last value read before it exited.
   */
  processes: { pid: number; name: string; hwmMiB: number }[]
}

export interface Outcome {
  code: number | string
  stdout: string
  stderr: string
  seconds: number
}

const kib = (status: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)

/** The pids of `root` and all its descendants, from the parent pid in every /proc/<pid>/stat. */
function treePids(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // The name field may hold spaces and parentheses: the parent pid is the 2nd field after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch {
      // The process exited between the listing and the read: it has no memory to count.
    }
  }
  const pids = [root]
  for (let i = 0; i < pids.length; i++) pids.push(...(children.get(pids[i]) ?? []))
  return pids
}

/**
 * Starts sampling the tree under `root`; `stop()` takes a last sample, ends the sampling and returns the peaks.
 *
 * @example
 * const sampler = sampleTree(child.pid!)
 * // ... later, before or after the child exits
 * sampler.stop().sumMiB // 1123.4
 */
export function sampleTree(root: number, everyMs = 100): { stop: () => TreePeak } {
  let sumKiB = 0
  const seen = new Map<number, { name: string; hwmKiB: number }>()
  const sample = () => {
    let sum = 0
    const mms = new Set<string>()
    for (const pid of treePids(root)) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8')
        // A child the JVM spawns (vfork) shares its parent's memory until it execs, and reports the
        // same VmSize and VmRSS: counted once.
        const mm = `${kib(status, 'VmSize')}/${kib(status, 'VmRSS')}`
        if (mms.has(mm)) continue
        mms.add(mm)
        sum += kib(status, 'VmRSS')
        // Read each time: spark-submit is a bash script that execs the JVM under the same pid. An
        // exited process not yet reaped has an empty command line: its name is kept.
        const name = basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]) || seen.get(pid)?.name || '?'
        seen.set(pid, { name, hwmKiB: Math.max(seen.get(pid)?.hwmKiB ?? 0, kib(status, 'VmHWM')) })
      } catch {
        // Exited meanwhile; its last VmHWM is already remembered.
      }
    }
    sumKiB = Math.max(sumKiB, sum)
  }
  sample()
  const timer = setInterval(sample, everyMs)
  const peak = (): TreePeak => ({
    sumMiB: sumKiB / 1024,
    processes: [...seen].map(([pid, p]) => ({ pid, name: p.name, hwmMiB: p.hwmKiB / 1024 })).filter((p) => p.hwmMiB >= 8),
  })
  return {
    stop: () => {
      sample()
      clearInterval(timer)
      return peak()
    },
  }
}

/**
 * Spawns a command with its tree sampled from the start; `finished` resolves when it exits, with
 * its output and wall-clock seconds.
 *
 * @example
 * const run = spawnSampled('python', ['job.py'])
 * const { seconds } = await run.finished
 * run.sampler.stop().sumMiB
 */
export function spawnSampled(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const started = performance.now()
  const child: ChildProcess = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  if (child.pid === undefined) throw new Error(`Expected ${command} to start (spawn gave no pid)`)
  const sampler = sampleTree(child.pid)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => (stdout += chunk))
  child.stderr?.on('data', (chunk) => (stderr += chunk))
  const finished = new Promise<Outcome>((resolve) =>
    child.once('close', (code, signal) => resolve({ code: code ?? signal ?? -1, stdout, stderr, seconds: (performance.now() - started) / 1000 })),
  )
  return { child, sampler, finished }
}

/**
 * Runs a command to completion under GNU time; returns its outcome, the peak of its tree and %M
 * (MiB). A non-zero exit stops the benchmark with the command's last output.
 *
 * @example
 * const run = await measured('node', ['bin/hatecrimes.js', 'produce', ...])
 * console.log(run.seconds, run.tree.sumMiB, run.timePeakMiB)
 */
export async function measured(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const run = spawnSampled('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M', command, ...args], env)
  const outcome = await run.finished
  const tree = run.sampler.stop()
  if (outcome.code !== 0) {
    throw new Error(`Expected ${command} ${args.slice(0, 3).join(' ')} ... to exit with 0 (got ${outcome.code}); its last output:\n${outcome.stderr.slice(-3000)}`)
  }
  const timePeakMiB = Number(/PEAK_RSS_KB=(\d+)/.exec(outcome.stderr)?.[1] ?? 0) / 1024
  return { ...outcome, tree, timePeakMiB }
}
