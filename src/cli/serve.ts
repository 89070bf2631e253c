import type { Command } from 'commander'
import { DEFAULTS } from '../core/config.ts'
import { lakeOption, port } from './options.ts'

/**
 * `hatecrimes serve`: the dashboard and its HTTP API on a lake, read-only, live as files arrive.
 *
 * @example
 * hatecrimes serve --lake s3://bucket/austin --port 8080 --metrics-url http://127.0.0.1:9464/metrics
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the dashboard on the lake (live: it updates as new files land)')
    .addOption(lakeOption())
    .option('--port <n>', 'port', port('--port'), DEFAULTS.port)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--metrics-url <url>', 'an ingest\'s Prometheus /metrics URL, to show Kafka lag')
    .option('--allow-host <names...>', 'host names the page may be reached by besides --host and localhost (others get a 403)')
    .action(async (options: { lake: string; port: number; host: string; metricsUrl?: string; allowHost?: string[] }) => {
      const { startDashboard } = await import('../dashboard/server.ts')
      const dashboard = await startDashboard({ ...options, allowedHosts: options.allowHost })
      // Before the address is printed: whoever reads it may stop the server at once.
      const stop = () => dashboard.close().then(() => process.exit(0))
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      console.log(`dashboard on ${dashboard.url} for ${options.lake} (Ctrl-C to stop)`)
      // An empty lake is served (an ingest may be about to fill it), but a mistyped --lake should show.
      const status = (await (await fetch(new URL('api/status', dashboard.url))).json()) as { files: number }
      if (status.files === 0) console.log(`${options.lake} holds no data files yet: the page fills in as they land`)
    })
}
