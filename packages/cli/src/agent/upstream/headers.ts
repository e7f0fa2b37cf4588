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

/** The names a Connection header's value lists (hop-by-hop too), added to `listed` if given. */
function addConnectionTokens(value: string, listed: Set<string> | undefined): Set<string> | undefined {
  let names = listed
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase()
    if (name === '') continue
    names ??= new Set()
    names.add(name)
  }
  return names
}

/** Whether the request header `name` (lower case) is kept from the instance. */
function dropFromRequest(name: string, listed: Set<string> | undefined): boolean {
  return HOP_BY_HOP.has(name) || listed?.has(name) === true || CREDENTIALS.has(name) || REQUEST_OWN.has(name)
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
  const listed = headers.connection ? addConnectionTokens(headers.connection, undefined) : undefined
  const copy: OutgoingHttpHeaders = {}
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (value !== undefined && !dropFromRequest(name, listed)) copy[name] = value
  }
  if (bodyLength !== undefined) {
    if (bodyLength > 0 || headers['content-length'] !== undefined) copy['content-length'] = String(bodyLength)
  } else if (headers['content-length'] !== undefined) {
    copy['content-length'] = headers['content-length']
  }
  copy[credential.name] = credential.value
  return copy
}

/**
 * The instance's answer headers, as node:http received them (`rawHeaders`: name, value, name, …),
 * without hop-by-hop ones (Node sets its own for the client). Taken from the raw list, so that a
 * header the instance sent twice goes out twice, and no header object is built for the answer.
 */
export function downstreamResponseHeaders(rawHeaders: readonly string[]): string[] {
  let listed: Set<string> | undefined
  for (let at = 0; at < rawHeaders.length; at += 2) {
    if ((rawHeaders[at] as string).toLowerCase() === 'connection')
      listed = addConnectionTokens(rawHeaders[at + 1] as string, listed)
  }
  const kept: string[] = []
  for (let at = 0; at < rawHeaders.length; at += 2) {
    const name = rawHeaders[at] as string
    const lower = name.toLowerCase()
    if (HOP_BY_HOP.has(lower) || listed?.has(lower) === true) continue
    kept.push(name, rawHeaders[at + 1] as string)
  }
  return kept
}
