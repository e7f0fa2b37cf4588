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

/** Names the Connection header lists: hop-by-hop too. */
function connectionTokens(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection ?? ''
  return new Set(
    value
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== ''),
  )
}

function copyHeaders(headers: IncomingHttpHeaders, drop: (name: string) => boolean): OutgoingHttpHeaders {
  const listed = connectionTokens(headers)
  const copy: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || drop(name)) continue
    copy[name] = value
  }
  return copy
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
  const copy = copyHeaders(headers, (name) => CREDENTIALS.has(name) || REQUEST_OWN.has(name))
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
  return copyHeaders(headers, () => false)
}
