/**
 * A loopback TCP proxy in front of PostgreSQL, to put one server process through outages without
 * touching the shared database server (other tests use it at the same time):
 * - `stop()`: like PostgreSQL stopped: open connections are cut, new ones refused (ECONNREFUSED);
 * - `start()`: like PostgreSQL started again, on the same port;
 * - `hang()`: like a server that accepts connections but no longer answers (a hung host, a network
 *   that drops packets): connections stay open, nothing goes through either way.
 */
import { createServer, type Server, Socket } from 'node:net'

export interface TcpProxy {
  /** The target URL with its host and port replaced by the proxy's. */
  url: string
  stop(): Promise<void>
  start(): Promise<void>
  hang(): void
  /** Stops for good. */
  close(): Promise<void>
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl)
  const targetPort = Number(target.port || 5432)
  const pairs = new Set<[Socket, Socket]>()
  let hanging = false
  let server: Server | undefined

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer((downstream) => {
        const upstream = new Socket()
        const pair: [Socket, Socket] = [downstream, upstream]
        pairs.add(pair)
        const drop = () => {
          pairs.delete(pair)
          downstream.destroy()
          upstream.destroy()
        }
        downstream.on('error', drop).on('close', drop)
        upstream.on('error', drop).on('close', drop)
        if (hanging) return // accepted, never answered
        upstream.connect(targetPort, target.hostname, () => {
          downstream.pipe(upstream)
          upstream.pipe(downstream)
        })
      })
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => {
        server = next
        const address = next.address()
        resolve(typeof address === 'object' && address ? address.port : port)
      })
    })

  const port = await listen(0)
  const url = new URL(targetUrl)
  url.hostname = '127.0.0.1'
  url.port = String(port)

  const closeServer = () =>
    new Promise<void>((resolve) => {
      const current = server
      server = undefined
      if (!current) return resolve()
      current.close(() => resolve())
    })
  const cutAll = () => {
    for (const [downstream, upstream] of pairs) {
      downstream.destroy()
      upstream.destroy()
    }
    pairs.clear()
  }

  return {
    url: url.toString(),
    async stop() {
      const closed = closeServer()
      cutAll()
      await closed
    },
    async start() {
      // A hung server that comes back has dropped what it held, as a restarted one would.
      if (hanging) cutAll()
      hanging = false
      if (!server) await listen(port)
    },
    hang() {
      hanging = true
      for (const [downstream, upstream] of pairs) {
        downstream.unpipe(upstream)
        upstream.unpipe(downstream)
        downstream.pause()
        upstream.pause()
      }
    },
    async close() {
      const closed = closeServer()
      cutAll()
      await closed
    },
  }
}
