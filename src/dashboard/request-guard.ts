import { networkInterfaces } from 'node:os'
import type { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import type { Logger } from 'pino'

/** Names that always mean this machine. */
const LOOPBACK = ['localhost', '127.0.0.1', '::1']
const WILDCARD = ['0.0.0.0', '::', '']

/**
 * The host names a request may carry in its Host header: the address the server listens on, the
 * loopback names, any names given, and for a wildcard address every address of this machine's
 * interfaces. A page on another site that rebinds its DNS name to this server sends its own name,
 * which is not among them.
 *
 * @example
 * allowedHosts('127.0.0.1', ['dashboard.example.org']) // Set { '127.0.0.1', 'localhost', '::1', 'dashboard.example.org' }
 */
export function allowedHosts(listening: string, extra: string[] = []): Set<string> {
  const names = new Set([listening, ...LOOPBACK, ...extra].map((name) => name.toLowerCase()))
  if (WILDCARD.includes(listening)) {
    for (const addresses of Object.values(networkInterfaces())) for (const address of addresses ?? []) names.add(address.address.toLowerCase())
  }
  return names
}

/**
 * The host name of a Host header without its port or IPv6 brackets.
 *
 * @example
 * hostName('[::1]:8080') // '::1'
 */
export function hostName(header: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header)
  return (bracketed ? bracketed[1] : header.replace(/:\d+$/, '')).toLowerCase()
}

/**
 * Every request gets an id (X-Request-Id, answered back); a Host outside `hosts` gets a 403 (DNS
 * rebinding); an error thrown by a handler is logged with the request id and answered with a
 * generic JSON message and that id, never with its text, which may hold paths or SQL.
 *
 * @example
 * guardRequests(app, { hosts: allowedHosts('127.0.0.1'), log: pino() })
 */
export function guardRequests(app: Hono, options: { hosts: Set<string>; log: Logger }): void {
  app.use(requestId())
  app.use(async (c, next) => {
    const host = c.req.header('host') ?? ''
    if (!options.hosts.has(hostName(host))) {
      return c.json({ error: `Expected the Host header to name this server (${[...options.hosts].slice(0, 4).join(', ')}, ...) (got "${host.slice(0, 100)}")` }, 403)
    }
    await next()
  })
  app.onError((error, c) => {
    const id = c.get('requestId' as never) as string
    options.log.error({ err: error, requestId: id, method: c.req.method, path: c.req.path }, 'dashboard request failed')
    return c.json({ error: `The server could not answer this request (request id ${id})`, requestId: id }, 500)
  })
}
