/** Small HTTP helpers shared by the token requests and the API client. */
import { invalidArgument } from './errors.ts'

/**
 * The `fetch` the library needs: the global `fetch` fits, and so does any function with this
 * shape (a test double, an undici `fetch` with a proxy agent, …).
 * @example
 * createTokenManager({ ...options, fetch: (url, init) => fetch(url, { ...init, dispatcher: proxyAgent }) })
 */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>

/** Requests without an answer after this long fail (real time, per request). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The URL for messages and logs: origin and path only (a query may carry parameters). */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`
}

/** Loopback hosts, where plain http is fine. */
export function isLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || url.hostname.startsWith('127.')
}

/**
 * Parses an http(s) URL option. Never echoes the value: it might carry credentials, which are
 * refused (they would end up in logs).
 */
export function parseHttpUrl(value: string | URL, option: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch (error) {
    throw invalidArgument(`${option} is not a valid URL (expected e.g. https://acme.coupahost.com)`, error)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidArgument(`${option} must be an http:// or https:// URL`)
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidArgument(`${option} must not contain a user name or password`)
  }
  return url
}

/** The media type of a response, lower case, without parameters. */
export function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

/** `application/json` or any `+json` type. */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json')
}

/** The body as text, or '' when it cannot be read (the connection broke). */
export async function readText(response: Response): Promise<string> {
  try {
    return await response.text()
  } catch {
    return ''
  }
}

/** JSON.parse that returns `undefined` instead of throwing (its messages quote the input). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * A short, stable reason for a failed fetch: `ECONNREFUSED`, `ENOTFOUND`, `no answer within 30000 ms`.
 * Only codes and messages of the network stack: never a header or a body.
 */
export function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return error.message === '' ? error.name : error.message
  }
  // undici's ProxyAgent refusing the tunnel, a few causes down: `Proxy response (407) !== 200 …`.
  for (let link = error, depth = 0; link instanceof Error && depth < 6; link = link.cause, depth += 1) {
    const status = /^Proxy response \((\d+)\)/.exec(link.message)?.[1]
    if (status !== undefined) return `the proxy answered HTTP ${status} to CONNECT`
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown }) : undefined
  if (typeof cause?.code === 'string') return cause.code
  if (typeof cause?.message === 'string') return cause.message
  return error instanceof Error ? error.message : String(error)
}
