/**
 * Limits on the server's TCP connections (no Fastify here: config.ts reads the defaults). An idle
 * keep-alive connection is closed after a few seconds (Fastify's default is 72 s), and one address
 * may hold only so many connections at once: the next ones are closed as they are accepted.
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'

/** Node's own default: long enough for a client's next request, short enough not to pile up sockets. */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_SECONDS = 5
/** Far above what one integration opens (the bench opens 32–50 from 127.0.0.1), far below a flood. */
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256

export interface ConnectionLimitEvents {
  /** A connection from an address at its limit was closed: called once, until the address has none open. */
  onLimitReached?: (address: string, limit: number) => void
}

/**
 * Counts the open connections of each remote address as the server accepts them, and closes at once
 * a connection that would make more than `limit`, before it is read; a connection's close counts it
 * down. Behind a proxy every connection comes from the proxy's address: raise the limit, or turn it
 * off, there.
 */
export function limitConnectionsPerAddress(
  server: Server,
  limit: number,
  { onLimitReached }: ConnectionLimitEvents = {},
): { open(address: string): number } {
  const open = new Map<string, number>()
  const atLimit = new Set<string>()
  server.on('connection', function countConnection(socket: Socket) {
    const address = socket.remoteAddress
    // Already closed by the peer: nothing to count, and Node cleans it up.
    if (address === undefined) return
    const count = open.get(address) ?? 0
    if (count >= limit) {
      socket.destroy()
      if (!atLimit.has(address)) {
        atLimit.add(address)
        onLimitReached?.(address, limit)
      }
      return
    }
    open.set(address, count + 1)
    socket.once('close', function uncountConnection() {
      const left = (open.get(address) ?? 1) - 1
      if (left > 0) open.set(address, left)
      else {
        open.delete(address)
        atLimit.delete(address)
      }
    })
  })
  return { open: (address) => open.get(address) ?? 0 }
}
