/**
 * CONNECT tunnels through an HTTP proxy for node:http(s) agents (the agent's upstream requests
 * stream bodies over node:http): the socket to the instance is opened through the proxy, then TLS
 * is spoken inside it with the instance's name. Keep-alive pools work as usual on top.
 * https://www.rfc-editor.org/rfc/rfc9110#section-9.3.6
 */
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type RequestOptions,
} from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { connect as tlsConnect } from 'node:tls'
import { type ProxyRules, proxyForUrl, redactProxyUrl } from '@keyshift/client'
import { trustedCas } from './ca.ts'
import type { NetworkSettings } from './settings.ts'

/** A CONNECT the proxy refused or could not complete; the message names the proxy without its password. */
export class ProxyTunnelError extends Error {
  readonly code = 'PROXY_CONNECT_FAILED'
  /** The proxy's answer to CONNECT, when it answered. */
  readonly status: number | undefined

  constructor(message: string, status: number | undefined, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ProxyTunnelError'
    this.status = status
  }
}

/** `Proxy-Authorization` for the user and password of a proxy URL, if it has them. */
function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '' && proxy.password === '') return {}
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
  return { 'proxy-authorization': `Basic ${Buffer.from(credentials).toString('base64')}` }
}

/** `host:port`, with brackets for IPv6. */
function authority(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/**
 * Opens a tunnel to `host:port` through `proxy`. Resolves with the raw socket once the proxy
 * answered 200; rejects with a ProxyTunnelError otherwise.
 */
export function openTunnel(
  proxy: URL,
  host: string,
  port: number,
  options: { ca?: readonly string[] | undefined; timeoutMs?: number } = {},
): Promise<Socket> {
  const target = authority(host.replace(/^\[|\]$/g, ''), port)
  const where = redactProxyUrl(proxy)
  const send = proxy.protocol === 'https:' ? httpsRequest : httpRequest
  const ca = trustedCas(options.ca)
  return new Promise<Socket>(function tunnel(resolve, reject) {
    const connect: ClientRequest = send({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port === '' ? (proxy.protocol === 'https:' ? 443 : 80) : Number(proxy.port),
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...proxyAuthorization(proxy) },
      agent: false,
      ...(ca === undefined ? {} : { ca }),
    })
    connect.setTimeout(options.timeoutMs ?? 30_000, function onProxyTimeout() {
      connect.destroy(new ProxyTunnelError(`the proxy ${where} did not answer CONNECT ${target}`, undefined))
    })
    connect.once('connect', function onConnect(response, socket) {
      connect.setTimeout(0)
      if (response.statusCode === 200) {
        resolve(socket)
        return
      }
      socket.destroy()
      const status = response.statusCode
      const auth = status === 407 ? ' (proxy authentication required or refused)' : ''
      reject(
        new ProxyTunnelError(
          `the proxy ${where} answered HTTP ${status} to CONNECT ${target}${auth}`,
          status,
        ),
      )
    })
    connect.once('error', function onProxyError(error) {
      if (error instanceof ProxyTunnelError) return reject(error)
      const code = (error as { code?: unknown }).code
      const reason = typeof code === 'string' ? code : error.message
      reject(new ProxyTunnelError(`cannot reach the proxy ${where} (${reason})`, undefined, { cause: error }))
    })
    connect.end()
  })
}

type Callback = ((error: Error | null, stream: Duplex) => void) | undefined
type ConnectOptions = RequestOptions & { servername?: string }

/** Hands a socket opened later to the agent (Node calls createConnection with this callback). */
function deliver(callback: Callback, opened: Promise<Duplex>): undefined {
  opened.then(
    (socket) => callback?.(null, socket),
    (error: Error) => callback?.(error, undefined as unknown as Duplex),
  )
  return undefined
}

function targetOf(options: ConnectOptions, secure: boolean): { host: string; port: number; url: URL } {
  const host = String(options.hostname ?? options.host ?? 'localhost')
  const port = Number(options.port ?? (secure ? 443 : 80))
  const url = new URL(`${secure ? 'https' : 'http'}://${authority(host, port)}`)
  return { host, port, url }
}

/** An https.Agent whose sockets go through the proxy the rules name (or directly), trusting `ca`. */
class TunnellingHttpsAgent extends HttpsAgent {
  readonly #rules: ProxyRules
  readonly #extraCa: readonly string[] | undefined

  constructor(rules: ProxyRules, extraCa: readonly string[] | undefined, ca: string[] | undefined) {
    super({ keepAlive: true, ...(ca === undefined ? {} : { ca }) })
    this.#rules = rules
    this.#extraCa = extraCa
  }

  override createConnection(options: ConnectOptions, callback?: Callback): Duplex | null | undefined {
    const target = targetOf(options, true)
    const proxy = proxyForUrl(target.url, this.#rules)
    if (proxy === undefined) return super.createConnection(options, callback)
    const servername = options.servername ?? target.host
    const tunnel = openTunnel(proxy, target.host, target.port, { ca: this.#extraCa })
    return deliver(
      callback,
      tunnel.then((socket) => tlsConnect({ ...(options as object), socket, servername })),
    )
  }
}

/** An http.Agent whose sockets go through a CONNECT tunnel when the rules name a proxy. */
class TunnellingHttpAgent extends HttpAgent {
  readonly #rules: ProxyRules
  readonly #extraCa: readonly string[] | undefined

  constructor(rules: ProxyRules, extraCa: readonly string[] | undefined) {
    super({ keepAlive: true })
    this.#rules = rules
    this.#extraCa = extraCa
  }

  override createConnection(options: ConnectOptions, callback?: Callback): Duplex | null | undefined {
    const target = targetOf(options, false)
    const proxy = proxyForUrl(target.url, this.#rules)
    if (proxy === undefined) return super.createConnection(options, callback)
    return deliver(callback, openTunnel(proxy, target.host, target.port, { ca: this.#extraCa }))
  }
}

export interface UpstreamAgents {
  http: HttpAgent
  https: HttpsAgent
}

/** Keep-alive pools that take the way `settings` say: through the proxy or directly, with `ca`. */
export function createTunnellingAgents(settings: NetworkSettings): UpstreamAgents {
  const ca = trustedCas(settings.ca)
  if (settings.proxy === undefined) {
    return {
      http: new HttpAgent({ keepAlive: true }),
      https: new HttpsAgent({ keepAlive: true, ...(ca === undefined ? {} : { ca }) }),
    }
  }
  return {
    http: new TunnellingHttpAgent(settings.proxy, settings.ca),
    https: new TunnellingHttpsAgent(settings.proxy, settings.ca, ca),
  }
}
