/**
 * Which headers cross the proxy. Hop-by-hop headers belong to one connection and are dropped both
 * ways (https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1), with every header the Connection
 * header names. The integration's own credentials never reach the instance.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

/** Credentials of the integration (to the agent, or left over from the key days) and cookies. */
const CREDENTIALS = new Set(['authorization', 'x-coupa-api-key', 'x-keyshift-agent-secret', 'cookie'])

/** Set by the agent for the upstream connection: host from the instance URL, the rest by Node. */
const REQUEST_OWN = new Set(['host', 'expect', 'content-length'])

/** Names the Connection header lists: hop-by-hop too. Undefined without a Connection header. */
function connectionTokens(headers: IncomingHttpHeaders): Set<string> | undefined {
  const value = headers.connection
  if (value === undefined || value === '') return undefined
  const tokens = new Set<string>()
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase()
    if (name !== '') tokens.add(name)
  }
  return tokens
}

function copyHeaders(headers: IncomingHttpHeaders, drop: (name: string) => boolean): OutgoingHttpHeaders {
  const listed = connectionTokens(headers)
  const copy: OutgoingHttpHeaders = {}
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (value === undefined || HOP_BY_HOP.has(name) || listed?.has(name) === true || drop(name)) continue
    copy[name] = value
  }
  return copy
}

function dropFromRequest(name: string): boolean {
  return CREDENTIALS.has(name) || REQUEST_OWN.has(name)
}

function keepAll(): boolean {
  return false
}

/** A credential the agent adds: `Authorization: Bearer …` or `X-COUPA-API-KEY: …`. */
export interface Credential {
  name: 'authorization' | 'x-coupa-api-key'
  value: string
}

/**
 * The headers sent to the instance: the client's end-to-end headers (content-type, accept, …)
 * without its credentials, plus `credential`, plus `content-length` when the body is buffered.
 */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders,
  credential: Credential,
  bodyLength: number | undefined,
): OutgoingHttpHeaders {
  const copy = copyHeaders(headers, dropFromRequest)
  if (bodyLength !== undefined) {
    if (bodyLength > 0 || headers['content-length'] !== undefined) copy['content-length'] = String(bodyLength)
  } else if (headers['content-length'] !== undefined) {
    copy['content-length'] = headers['content-length']
  }
  copy[credential.name] = credential.value
  return copy
}

/** The instance's answer headers, without hop-by-hop ones (Node sets its own for the client). */
export function downstreamResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return copyHeaders(headers, keepAll)
}
