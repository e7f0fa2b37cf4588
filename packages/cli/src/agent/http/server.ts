/** The local service's socket: bind to the configured address, stop without cutting requests short. */
import type { Server as HttpServer } from 'node:http'
import { Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { listenUrl } from '../config/address.ts'
import type { ListenAddress } from '../config/types.ts'
import { AgentError, networkReason } from '../errors.ts'

/** The local service: plain HTTP on loopback, or HTTPS (tls: in the configuration). */
export type Server = HttpServer | HttpsServer

export interface BoundAddress extends ListenAddress {
  /** `http://127.0.0.1:8787` or `https://…` (the actual port when the configuration said 0). */
  url: string
}

/**
 * Starts `server` listening on `address`.
 *
 * @throws {AgentError} KS_AGENT_LISTEN_FAILED with the reason (EADDRINUSE, EACCES, …).
 */
export async function listenOn(server: Server, address: ListenAddress): Promise<BoundAddress> {
  const { host, port } = address
  try {
    await new Promise<void>(function bind(resolve, reject) {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    const message = `cannot listen on ${host}:${port} (${networkReason(error)})`
    throw new AgentError('KS_AGENT_LISTEN_FAILED', message, { cause: error })
  }
  const actual = { host, port: (server.address() as AddressInfo).port }
  return { ...actual, url: listenUrl(actual, server instanceof HttpsServer) }
}

/**
 * Stops accepting connections, closes idle keep-alive ones, lets requests in flight finish and
 * cuts what is left after `graceMs`.
 */
export async function stopServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  const grace = setTimeout(() => server.closeAllConnections(), graceMs)
  await closed
  clearTimeout(grace)
}
