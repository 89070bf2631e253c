import type { DashboardData, LakeStatus } from './dashboard-data.ts'

/** What the page's status strip shows: the lake's status, the ingest's Kafka lag, and a failed look at the lake. */
export interface LiveStatus extends LakeStatus {
  /** Records the ingest has yet to read (null without --metrics-url, or when its endpoint did not answer). */
  lag: number | null
  /** Why the last look at the lake failed; null when it succeeded. */
  error: string | null
}

export type LiveEvent = 'lake-changed' | 'status'
type Listener = (event: LiveEvent, status: LiveStatus) => void

/**
 * Looks at the lake (and the ingest's metrics) every `pollMs`, on one timer however many pages are
 * open, so requests never wait on a listing (which for S3 means syncing the local mirror). Tells
 * subscribers `lake-changed` when the files changed (the chart tables are rebuilt by then) and
 * `status` when only the lag or an error changed.
 *
 * @example
 * const watch = new LakeWatch(data, { pollMs: 1500 })
 * await watch.start()
 * const stop = watch.subscribe((event, status) => console.log(event, status.rows))
 */
export class LakeWatch {
  private readonly data: DashboardData
  private readonly pollMs: number
  private readonly metricsUrl: string | undefined
  private readonly listeners = new Set<Listener>()
  private lag: number | null = null
  private error: string | null = null
  private timer: NodeJS.Timeout | undefined
  private stopped = false

  constructor(data: DashboardData, options: { pollMs?: number; metricsUrl?: string }) {
    this.data = data
    this.pollMs = options.pollMs ?? 1500
    this.metricsUrl = options.metricsUrl
  }

  /** Reads the lag once (so the first status has it), then polls until stop(). */
  async start(): Promise<void> {
    if (this.metricsUrl) this.lag = await ingestLag(this.metricsUrl)
    this.schedule()
  }

  snapshot(): LiveStatus {
    return { ...this.data.status(), lag: this.lag, error: this.error }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  private schedule(): void {
    if (this.stopped) return
    this.timer = setTimeout(() => this.tick().finally(() => this.schedule()), this.pollMs)
    this.timer.unref()
  }

  private async tick(): Promise<void> {
    const before = { lag: this.lag, error: this.error }
    let changed = false
    try {
      changed = await this.data.refresh()
      this.error = null
    } catch (error) {
      this.error = `Could not read the lake: ${(error as Error).message}`
    }
    if (this.metricsUrl) this.lag = await ingestLag(this.metricsUrl)
    if (this.stopped) return
    const event = changed ? 'lake-changed' : before.lag !== this.lag || before.error !== this.error ? 'status' : undefined
    if (!event) return
    const status = this.snapshot()
    for (const listener of this.listeners) listener(event, status)
  }
}

/**
 * Sums the Kafka lag an ingest reports (`hatecrimes_ingest_lag_records`, one series per partition)
 * in Prometheus text; null when the metric is absent.
 *
 * @example
 * parseLag('hatecrimes_ingest_lag_records{partition="0"} 120\nhatecrimes_ingest_lag_records{partition="1"} 30') // 150
 */
export function parseLag(metrics: string): number | null {
  let lag: number | null = null
  for (const line of metrics.split('\n')) {
    const match = /^hatecrimes_ingest_lag_records(?:\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line.trim())
    if (match) lag = (lag ?? 0) + Number(match[1])
  }
  return lag
}

/**
 * Reads the Kafka lag from an ingest's Prometheus endpoint; null when it cannot be read.
 *
 * @example
 * await ingestLag('http://127.0.0.1:9464/metrics') // 150
 */
export async function ingestLag(metricsUrl: string): Promise<number | null> {
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(1000) })
    return response.ok ? parseLag(await response.text()) : null
  } catch {
    return null
  }
}
