/** URLs of API calls: the path under the instance and the query string. */
import { invalidArgument } from './errors.ts'

/**
 * Query parameters of an API call. Keys are sent as written, Coupa's operators included
 * (`updated-at[gt]`, `supplier[name]`); values are percent-encoded; `undefined` values are left out.
 * @example
 * const query: Query = { status: 'approved', 'updated-at[gt]': '2025-01-01T00:00:00Z', limit: 10 }
 */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>

/**
 * The query string for `query`, with `?`, or '' when empty. Brackets in keys stay literal, as
 * Coupa's documentation writes them; everything else is percent-encoded.
 *
 * @example
 * queryString({ status: 'approved', 'updated-at[gt]': '2025-01-01T00:00:00Z' })
 * // → '?status=approved&updated-at[gt]=2025-01-01T00%3A00%3A00Z'
 * @throws Never.
 */
export function queryString(query: Query | undefined): string {
  if (query === undefined) return ''
  const parts: string[] = []
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    const name = encodeURIComponent(key).replace(/%5B/gi, '[').replace(/%5D/gi, ']')
    parts.push(`${name}=${encodeURIComponent(String(value))}`)
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`
}

/**
 * The path of an API call: `invoices` and `invoices/12` are under `/api/`; a path starting with `/`
 * is taken from the instance's root.
 */
export function apiPath(path: string): string {
  if (typeof path !== 'string' || path === '')
    throw invalidArgument('the API path must be a non-empty string')
  return path.startsWith('/') ? path : `/api/${path}`
}

/**
 * The URL of `path` on the instance at `base` (which may have a path prefix). Refuses any path
 * that would leave the instance: the bearer token goes to the instance only.
 *
 * @throws {ClientError} `KS_CLIENT_INVALID_ARGUMENT` for an absolute or protocol-relative path.
 */
export function apiUrl(base: URL, path: string, query: Query | undefined): URL {
  const relative = apiPath(path)
  if (relative.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(path) || relative.includes('\\')) {
    throw invalidArgument('the API path must be a path on the instance, not a URL')
  }
  const url = new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}${relative}${queryString(query)}`)
  if (url.origin !== base.origin) throw invalidArgument('the API path must stay on the instance')
  return url
}
