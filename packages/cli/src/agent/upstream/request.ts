/**
 * One request to the instance with node:http(s) over keep-alive connections: the request body is
 * written from a buffer or piped from the client, the answer is handed back as soon as its headers
 * arrive, its body still unread.
 */
import { type IncomingMessage, type OutgoingHttpHeaders, request } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { UpstreamAgents } from '../../network/tunnel.ts'
import { AgentError, networkReason } from '../errors.ts'
import type { RequestBody } from './body.ts'

/** A connection idle this long (no byte either way) fails the request. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 120_000

/**
 * Where the requests to one instance go, worked out once per instance URL (not per request): what
 * node:http would take from the URL, without a URL object or urlToHttpOptions on the proxy path.
 */
export interface UpstreamBase {
  secure: boolean
  /** Without the brackets of an IPv6 address (node:http adds them to the Host header). */
  hostname: string
  /** undefined: the scheme's default. */
  port: number | undefined
  /** The instance URL's path without trailing slashes (an instance behind a proxy at /keyshift). */
  prefix: string
  /** For messages. */
  origin: string
}

const bases = new WeakMap<URL, UpstreamBase>()

/** The UpstreamBase of an instance URL (http(s), no credentials, query or fragment: address.ts). */
export function upstreamBase(url: URL): UpstreamBase {
  let base = bases.get(url)
  if (base === undefined) {
    base = {
      secure: url.protocol === 'https:',
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port === '' ? undefined : Number(url.port),
      prefix: url.pathname.replace(/\/+$/, ''),
      origin: url.origin,
    }
    bases.set(url, base)
  }
  return base
}

export interface UpstreamRequest {
  /** For messages: the instance's name. */
  instance: string
  base: UpstreamBase
  /** Path and query on the instance, the base's prefix included, as parsed (encoded, no dot segments). */
  path: string
  method: string
  headers: OutgoingHttpHeaders
  body: RequestBody
  /** The instance's keep-alive pools, through its proxy (networks.ts). */
  agents: UpstreamAgents
  timeoutMs: number
}

function upstreamError(target: UpstreamRequest, error: unknown): AgentError {
  const where = `instance ${target.instance} (${target.base.origin})`
  if ((error as { code?: unknown }).code === 'UPSTREAM_IDLE_TIMEOUT') {
    return new AgentError(
      'KS_AGENT_UPSTREAM_TIMEOUT',
      `${where} did not answer within ${target.timeoutMs} ms`,
      {
        cause: error,
      },
    )
  }
  return new AgentError(
    'KS_AGENT_UPSTREAM_UNAVAILABLE',
    `${where} is unreachable (${networkReason(error)})`,
    {
      cause: error,
    },
  )
}

function writeBody(outgoing: ReturnType<typeof request>, body: RequestBody): void {
  if (body.kind === 'buffered') {
    // No body: end() alone, so that the headers go out in one write without empty chunks.
    if (body.data.length === 0) outgoing.end()
    else outgoing.end(body.data)
    return
  }
  const { source } = body
  if (body.prefix.length > 0) outgoing.write(body.prefix)
  // The client went away mid-upload: do not send a truncated body as if it were whole.
  source.once('aborted', () => outgoing.destroy(new Error('the client went away while sending the body')))
  source.pipe(outgoing)
}

/**
 * Sends `target` and resolves with the instance's answer once its headers arrive.
 *
 * @throws {AgentError} KS_AGENT_UPSTREAM_UNAVAILABLE (no connection, reset) or
 *   KS_AGENT_UPSTREAM_TIMEOUT (idle longer than `timeoutMs`), before any answer arrived.
 */
export function sendUpstream(target: UpstreamRequest): Promise<IncomingMessage> {
  const { secure, hostname, port } = target.base
  const send = secure ? httpsRequest : request
  return new Promise<IncomingMessage>(function exchange(resolve, reject) {
    const outgoing = send({
      protocol: secure ? 'https:' : 'http:',
      hostname,
      port,
      path: target.path,
      method: target.method,
      headers: target.headers,
      agent: secure ? target.agents.https : target.agents.http,
    })
    outgoing.setTimeout(target.timeoutMs, function onIdle() {
      outgoing.destroy(Object.assign(new Error('upstream timeout'), { code: 'UPSTREAM_IDLE_TIMEOUT' }))
    })
    outgoing.once('response', resolve)
    outgoing.on('error', function onUpstreamError(error) {
      if (target.body.kind === 'streaming') target.body.source.unpipe(outgoing)
      reject(upstreamError(target, error))
    })
    writeBody(outgoing, target.body)
  })
}
