import { createServer, type Server } from 'node:http'
import { HatecrimesError } from '../core/errors.ts'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * The Prometheus metrics of an ingest process, in a registry of its own. Names follow the
 * Prometheus conventions: `_total` counters, `_seconds` histograms, a `partition` label.
 *
 * @example
 * const metrics = new IngestMetrics()
 * const server = await metrics.serve(9464) // GET http://127.0.0.1:9464/metrics
 */
export class IngestMetrics {
  readonly registry = new Registry()
  readonly recordsIn: Counter<'partition'>
  readonly written: Counter<'partition'>
  readonly deadLettered: Counter<'partition'>
  readonly lag: Gauge<'partition'>
  readonly flushSeconds: Histogram<'partition'>
  readonly fencedFlushes: Counter
  readonly removedFiles: Counter
  readonly skipped: Counter<'partition'>
  readonly stalls: Counter

  constructor() {
    const registers = [this.registry]
    collectDefaultMetrics({ register: this.registry, prefix: 'hatecrimes_ingest_' })
    this.recordsIn = new Counter({
      name: 'hatecrimes_ingest_records_in_total',
      help: 'Messages consumed from the topic (before decoding)',
      labelNames: ['partition'],
      registers,
    })
    this.written = new Counter({
      name: 'hatecrimes_ingest_records_written_total',
      help: 'Records written to lake Parquet files and committed',
      labelNames: ['partition'],
      registers,
    })
    this.deadLettered = new Counter({
      name: 'hatecrimes_ingest_dead_lettered_total',
      help: 'Messages sent to the dead-letter topic and lake dead_letters/ files and committed',
      labelNames: ['partition'],
      registers,
    })
    this.lag = new Gauge({
      name: 'hatecrimes_ingest_lag_records',
      help: 'Messages in the partition past the committed offset of this group',
      labelNames: ['partition'],
      registers,
    })
    this.flushSeconds = new Histogram({
      name: 'hatecrimes_ingest_flush_duration_seconds',
      help: 'Time from the seal of a Kafka partition flush to its commit: its files made, written and read back, and its offset committed',
      labelNames: ['partition'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    })
    this.fencedFlushes = new Counter({
      name: 'hatecrimes_ingest_fenced_flushes_total',
      help: 'Flushes whose commit was refused because the partition had moved to another member (their files are deleted)',
      registers,
    })
    this.removedFiles = new Counter({
      name: 'hatecrimes_ingest_removed_uncommitted_files_total',
      help: 'Files of uncommitted flushes deleted when a partition was assigned or before a commit',
      registers,
    })
    this.skipped = new Counter({
      name: 'hatecrimes_ingest_skipped_total',
      help: 'Offsets never read: deleted by the topic retention before this group reached them',
      labelNames: ['partition'],
      registers,
    })
    this.stalls = new Counter({
      name: 'hatecrimes_ingest_stalls_total',
      help: 'Partitions found with lag but no progress, and resumed from their committed offset',
      registers,
    })
  }

  /** Serves GET /metrics on 127.0.0.1 (port 0 picks a free one); resolves once listening. A busy port is a BAD_OPTION. */
  async serve(port: number): Promise<Server> {
    const server = createServer(async (request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end('Not found: try /metrics\n')
        return
      }
      const body = await this.registry.metrics()
      response.writeHead(200, { 'content-type': this.registry.contentType }).end(body)
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        const busy = error.code === 'EADDRINUSE'
        reject(busy ? new HatecrimesError('BAD_OPTION', `Expected port ${port} to be free for --metrics-port (another process listens on 127.0.0.1:${port})`) : error)
      })
      server.listen(port, '127.0.0.1', resolve)
    })
    return server
  }
}
