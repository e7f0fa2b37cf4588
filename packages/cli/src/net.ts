/** URLs given on the command line, and what to say when the network fails. */
import { CliError } from './errors.ts'

/** Requests that hang longer than this fail instead of hanging the terminal. */
export const REQUEST_TIMEOUT_MS = 30_000

/**
 * Parses an http(s) URL from `--<option>`. The value is never echoed: a URL may carry credentials,
 * which are refused (they would end up in shell history and in `ps`).
 */
export function parseHttpUrl(value: string, option: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch (error) {
    throw new CliError('KS_USAGE', `--${option} is not a valid URL (expected e.g. https://host:8080)`, {
      cause: error,
    })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError('KS_USAGE', `--${option} must be an http:// or https:// URL`)
  }
  if (url.username !== '' || url.password !== '') {
    throw new CliError('KS_USAGE', `--${option} must not contain a user name or password`)
  }
  return url
}

/** `base` plus `path`, keeping a path prefix of the base (an instance behind a proxy at /keyshift). */
export function joinPath(base: URL, path: string): URL {
  const url = new URL(base.href)
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`
  url.search = ''
  url.hash = ''
  return url
}

/** The URL for messages: without query or fragment, which may carry parameters. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`
}

export function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.startsWith('127.')
}

/** Certificate checks that fail when a private CA or a re-signing proxy is not trusted. */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
])

/** The user and password of any URL in `text`, replaced by `***` (proxy URLs end up in messages). */
export function redactCredentials(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, '//***@')
}

/** `error` and its causes, outermost first (fetch wraps the socket's error twice). */
function causeChain(error: unknown): { code?: unknown; message?: unknown }[] {
  const chain: { code?: unknown; message?: unknown }[] = []
  for (let current = error; current instanceof Error && chain.length < 6; current = current.cause) {
    chain.push(current)
  }
  return chain
}

function rawReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${REQUEST_TIMEOUT_MS / 1000} s`
  }
  for (const link of causeChain(error)) {
    // undici's ProxyAgent: `Proxy response (407) !== 200 when HTTP Tunneling`.
    const proxyStatus = /^Proxy response \((\d+)\)/.exec(String(link.message))?.[1]
    if (proxyStatus !== undefined) return `the proxy answered HTTP ${proxyStatus} to CONNECT`
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown }) : undefined
  const message = typeof cause?.message === 'string' ? cause.message : ''
  if (typeof cause?.code === 'string') {
    return UNTRUSTED_CERTIFICATE.has(cause.code)
      ? `${cause.code}: the certificate is not from a trusted CA`
      : cause.code
  }
  if (message !== '') return message
  return error instanceof Error ? error.message : String(error)
}

/** A short, stable reason for a failed fetch: `ECONNREFUSED`, `ENOTFOUND`, `timed out after 30 s`. */
export function networkReason(error: unknown): string {
  return redactCredentials(rawReason(error))
}

/** What to do about a failed connection, when the reason says: a CA to trust, a proxy to check. */
export function networkHint(error: unknown): string | undefined {
  const reason = rawReason(error)
  if (
    reason.includes('not from a trusted CA') ||
    reason.startsWith('CERT_') ||
    reason.startsWith('ERR_TLS_CERT')
  ) {
    return 'if a private CA or a company proxy that re-signs TLS issued the certificate, trust its CA with --ca-file FILE (ca_file: in the agent configuration); verification cannot be turned off'
  }
  if (reason.includes('to CONNECT')) {
    return 'check HTTPS_PROXY (user and password in it) and that the proxy allows CONNECT to this host; NO_PROXY lists hosts reached directly'
  }
  return undefined
}
