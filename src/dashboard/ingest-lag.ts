/**
 * Reads the Kafka lag an ingest reports (`hatecrimes_ingest_lag_records`, one series per partition)
 * from its Prometheus endpoint, summed over partitions; null when the endpoint cannot be read.
 *
 * @example
 * await ingestLag('http://127.0.0.1:9464/metrics') // 1200
 */
export async function ingestLag(metricsUrl: string): Promise<number | null> {
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(1000) })
    if (!response.ok) return null
    let lag = 0
    for (const line of (await response.text()).split('\n')) {
      const match = /^hatecrimes_ingest_lag_records(?:\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line)
      if (match) lag += Number(match[1])
    }
    return lag
  } catch {
    return null
  }
}
