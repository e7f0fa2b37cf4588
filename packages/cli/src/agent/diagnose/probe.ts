/**
 * The network steps of `keyshift agent --check --connect`, one function each: name lookup, the
 * proxy's CONNECT, the TLS handshake. Each resolves with what it saw; none throws. The TLS probe
 * completes the handshake even with a certificate that does not verify, to name its issuer, and
 * reports it as failed: it sends no byte of a request, so nothing secret crosses.
 */
import { lookup } from 'node:dns/promises'
import { isIP, connect as netConnect, type Socket } from 'node:net'
import { type TLSSocket, connect as tlsConnect } from 'node:tls'
import { redactProxyUrl } from '@keyshift/client'
import { trustedCas } from '../../network/ca.ts'
import { openTunnel } from '../../network/tunnel.ts'

export interface StepResult {
  step: 'dns' | 'proxy' | 'tls' | 'token'
  ok: boolean
  /** One line, never a secret. */
  text: string
}

export interface Target {
  host: string
  port: number
  secure: boolean
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code
  if (error instanceof Error && error.name === 'ProxyTunnelError') return error.message
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
}

/** Looks up the name the agent itself resolves: the proxy's when there is one, else the instance's. */
export async function probeDns(target: Target, proxy: URL | undefined): Promise<StepResult> {
  const name = (proxy?.hostname ?? target.host).replace(/^\[|\]$/g, '')
  const whose = proxy === undefined ? 'instance' : 'proxy'
  if (isIP(name) !== 0) return { step: 'dns', ok: true, text: `${whose} ${name} (an IP address, no lookup)` }
  try {
    const { address } = await lookup(name)
    const note = proxy === undefined ? '' : `; the proxy resolves ${target.host} itself`
    return { step: 'dns', ok: true, text: `${whose} ${name} → ${address}${note}` }
  } catch (error) {
    return { step: 'dns', ok: false, text: `${whose} ${name} cannot be resolved (${reasonOf(error)})` }
  }
}

/** Opens the connection the requests will use: a CONNECT tunnel through `proxy`, or TCP. */
export async function probeConnection(
  target: Target,
  proxy: URL | undefined,
  why: string,
  ca: readonly string[] | undefined,
  timeoutMs: number,
): Promise<{ result: StepResult; socket: Socket | undefined }> {
  if (proxy !== undefined) {
    try {
      const socket = await openTunnel(proxy, target.host, target.port, { ca, timeoutMs })
      const text = `${redactProxyUrl(proxy)} answered HTTP 200 to CONNECT ${target.host}:${target.port}`
      return { result: { step: 'proxy', ok: true, text }, socket }
    } catch (error) {
      return { result: { step: 'proxy', ok: false, text: reasonOf(error) }, socket: undefined }
    }
  }
  const host = target.host.replace(/^\[|\]$/g, '')
  return new Promise(function direct(resolve) {
    const socket = netConnect({ host, port: target.port, timeout: timeoutMs })
    const fail = (reason: string) => {
      socket.destroy()
      const text = `not used (${why}); cannot connect to ${target.host}:${target.port} (${reason})`
      resolve({ result: { step: 'proxy', ok: false, text }, socket: undefined })
    }
    socket.once('connect', () => {
      socket.setTimeout(0)
      resolve({ result: { step: 'proxy', ok: true, text: `not used (${why}); connected directly` }, socket })
    })
    socket.once('timeout', () => fail('timed out'))
    socket.once('error', (error) => fail(reasonOf(error)))
  })
}

function certificateLine(secure: TLSSocket, now: Date): string {
  const peer = secure.getPeerCertificate()
  const issuer = Object.entries(peer.issuer ?? {})
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(', ')
  const expires = new Date(peer.valid_to)
  const days = Math.floor((expires.getTime() - now.getTime()) / 86_400_000)
  const left = days < 0 ? `expired ${-days} days ago` : `${days} days left`
  return `${secure.getProtocol() ?? 'TLS'}, issuer ${issuer}, expires ${expires.toISOString()} (${left})`
}

/** The TLS handshake over `socket`, verified against the default roots and the instance's CAs. */
export function probeTls(
  target: Target,
  socket: Socket,
  ca: readonly string[] | undefined,
  now: Date,
  timeoutMs: number,
): Promise<StepResult> {
  const trusted = trustedCas(ca)
  const host = target.host.replace(/^\[|\]$/g, '')
  return new Promise(function handshake(resolve) {
    const secure = tlsConnect({
      socket,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(trusted === undefined ? {} : { ca: trusted }),
      // Only to read the certificate of a failed check; `authorized` decides, and nothing is sent.
      rejectUnauthorized: false,
    })
    const timer = setTimeout(
      () => secure.destroy(new Error('no TLS handshake within the time-out')),
      timeoutMs,
    )
    secure.once('secureConnect', () => {
      clearTimeout(timer)
      const line = certificateLine(secure, now)
      const error = secure.authorizationError
      secure.destroy()
      if (secure.authorized) resolve({ step: 'tls', ok: true, text: line })
      else {
        const hint = ' — not trusted: give the CA that issued it in ca_file'
        resolve({ step: 'tls', ok: false, text: `${String(error)}: ${line}${hint}` })
      }
    })
    secure.once('error', (error) => {
      clearTimeout(timer)
      resolve({ step: 'tls', ok: false, text: `handshake failed (${reasonOf(error)})` })
    })
  })
}
