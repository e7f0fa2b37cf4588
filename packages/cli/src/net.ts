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

/** A short, stable reason for a failed fetch: `ECONNREFUSED`, `ENOTFOUND`, `timed out after 30 s`. */
export function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${REQUEST_TIMEOUT_MS / 1000} s`
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown }) : undefined
  if (typeof cause?.code === 'string') return cause.code
  if (typeof cause?.message === 'string') return cause.message
  return error instanceof Error ? error.message : String(error)
}
