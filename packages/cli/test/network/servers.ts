/**
 * Loopback servers for the network tests: a CONNECT proxy (optionally asking for a password) that
 * records what it tunnelled, and a TLS terminator that puts an https:// address with the test CA's
 * certificate in front of a plain-HTTP fake instance.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http'
import { type AddressInfo, connect, type Socket } from 'node:net'
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls'

export interface TestProxy {
  url: string
  /** `host:port` of each CONNECT, accepted or not. */
  connects: string[]
  /** Every Proxy-Authorization header received (to check it is sent, never logged). */
  authorizations: string[]
  close(): Promise<void>
}

function listening(server: Server | TlsServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )
}

function closing(server: Server | TlsServer, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy()
  return new Promise((resolve) => server.close(() => resolve()))
}

export interface TestProxyOptions {
  /** `user:password`: CONNECT without them is answered 407. */
  credentials?: string
  /**
   * `host:port` → the port on 127.0.0.1 the proxy really connects to: an address nothing listens
   * on, reachable only through the proxy (as an instance behind a company proxy is).
   */
  routes?: Record<string, number>
}

/** A CONNECT proxy on 127.0.0.1 that tunnels to loopback addresses only. */
export async function startConnectProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const sockets = new Set<Socket>()
  const proxy = { connects: [] as string[], authorizations: [] as string[] }
  const server = createHttpServer(function plainRequest(_req, res) {
    res.writeHead(405, { 'content-type': 'text/plain' }).end('this test proxy only tunnels (CONNECT)\n')
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('connect', function tunnel(req: IncomingMessage, client: Socket, head: Buffer) {
    const target = req.url ?? ''
    proxy.connects.push(target)
    const authorization = req.headers['proxy-authorization'] ?? ''
    if (authorization !== '') proxy.authorizations.push(authorization)
    const expected = options.credentials && `Basic ${Buffer.from(options.credentials).toString('base64')}`
    if (expected && authorization !== expected) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
      )
      return
    }
    const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(target)
    if (match === null) {
      client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const routed = options.routes?.[target]
    const upstream = connect(routed ?? Number(match[3]), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.once('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  const port = await listening(server)
  return { url: `http://127.0.0.1:${port}`, ...proxy, close: () => closing(server, sockets) }
}

export interface TlsFront {
  /** `https://localhost:<port>` (the certificate names localhost and 127.0.0.1). */
  url: string
  port: number
  /** TLS connections accepted. */
  connections(): number
  close(): Promise<void>
}

/** Terminates TLS with `cert`/`key` on 127.0.0.1 and forwards the bytes to `targetPort`. */
export async function startTlsFront(cert: string, key: string, targetPort: number): Promise<TlsFront> {
  const sockets = new Set<Socket>()
  let accepted = 0
  const server = createTlsServer({ cert, key }, function forward(secure) {
    accepted += 1
    const plain = connect(targetPort, '127.0.0.1')
    for (const socket of [secure, plain]) {
      sockets.add(socket)
      socket.once('close', () => sockets.delete(socket))
      socket.on('error', () => {
        secure.destroy()
        plain.destroy()
      })
    }
    secure.pipe(plain)
    plain.pipe(secure)
  })
  server.on('tlsClientError', () => {})
  const port = await listening(server)
  return {
    url: `https://localhost:${port}`,
    port,
    connections: () => accepted,
    close: () => closing(server, sockets),
  }
}
