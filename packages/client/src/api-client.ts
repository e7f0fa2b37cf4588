/** The API client: Coupa's core API (`/api/<resource>`) with a bearer token from a token manager. */

import { ApiError } from './api-error.ts'
import { type ApiContext, type CallOptions, sendApiRequest, type TokenSource } from './api-request.ts'
import type { ApiFormat } from './api-response.ts'
import { apiPath, type Query } from './api-url.ts'
import { type Clock, resolveClock } from './clock.ts'
import { invalidArgument } from './errors.ts'
import { type FetchLike, parseHttpUrl } from './http.ts'
import type { ProxyOption } from './proxy.ts'
import { fetchOption } from './proxy-fetch.ts'
import { COUPA_RATE_LIMIT, createRateLimiter, type RateLimit, type RateLimiter } from './rate-limiter.ts'

/**
 * Coupa returns at most 50 records per GET.
 * @example
 * coupa.get('invoices', { query: { offset: 0, limit: MAX_PAGE_SIZE } })
 */
export const MAX_PAGE_SIZE = 50

/**
 * Options of {@link createApiClient}.
 * @example
 * createApiClient({ baseUrl: 'https://acme.coupahost.com', tokens, accept: 'xml', rateLimit: false })
 */
export interface ApiClientOptions {
  /** The instance, e.g. `https://acme.coupahost.com` (a path prefix is kept). */
  baseUrl: string | URL
  /** Where bearer tokens come from: a `createTokenManager()` result, or anything with its two methods. */
  tokens: TokenSource
  /** `json` (default): answers parsed; `xml`: answers returned as text. */
  accept?: ApiFormat
  /** Default the global `fetch`. */
  fetch?: FetchLike
  /**
   * Send requests through an outbound proxy: `'env'` reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY
   * (lowercase names too), a URL names one proxy. Needs the undici package (an optional peer
   * dependency); not together with `fetch`.
   */
  proxy?: ProxyOption
  /** Clock and timers, for the rate limiter and 429 waits. */
  clock?: Partial<Clock>
  /** Default 25 per second, bursts of 20 (Coupa's limit); `false` for none; or a shared limiter. */
  rateLimit?: RateLimit | RateLimiter | false
  /** 429 answers retried per call before KS_API_RATE_LIMITED is thrown (default 3). */
  maxRateLimitRetries?: number
  /** Longest wait for one `Retry-After`, in ms (default 60 000). */
  maxRetryAfter?: number
  /** Per-request timeout in ms (default 60 000). */
  timeout?: number
}

/**
 * What `createApiClient` returns. Paths without a leading `/` are under `/api/`.
 * @example
 * const invoice = await coupa.get('invoices/12')
 * await coupa.put('invoices/12', { 'invoice-number': 'INV-12' })
 * for await (const supplier of coupa.list('suppliers', { status: 'active' })) console.log(supplier)
 */
export interface ApiClient {
  /** `GET path`; the answer parsed (json) or as text (xml). */
  get<T = unknown>(path: string, options?: CallOptions): Promise<T>
  /** `POST path` with `body` (JSON-encoded, or XML text). */
  post<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<T>
  /** `PUT path` with `body`; also Coupa's custom actions, e.g. `put('invoices/12/void')`. */
  put<T = unknown>(path: string, body?: unknown, options?: CallOptions): Promise<T>
  /**
   * Every record of `resource` matching `query`, fetched in pages of 50 (`offset`/`limit`) until a
   * short page. Always asks for JSON. Order the results (`order_by: 'id'`) if records may change meanwhile.
   */
  list<T = unknown>(resource: string, query?: Query): AsyncGenerator<T, void, undefined>
}

function isRateLimiter(value: unknown): value is RateLimiter {
  return (
    typeof (value as RateLimiter).take === 'function' && typeof (value as RateLimiter).pause === 'function'
  )
}

function wholeNumber(value: number | undefined, option: string, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < min)
    throw invalidArgument(`${option} must be a whole number >= ${min}`)
  return value
}

function apiContext(options: ApiClientOptions): ApiContext {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object')
  const base = parseHttpUrl(options.baseUrl, 'baseUrl')
  const tokens = options.tokens
  if (typeof tokens?.getToken !== 'function' || typeof tokens.invalidate !== 'function') {
    throw invalidArgument('tokens must have getToken() and invalidate(), e.g. a createTokenManager() result')
  }
  const format = options.accept ?? 'json'
  if (format !== 'json' && format !== 'xml') throw invalidArgument("accept must be 'json' or 'xml'")
  const clock = resolveClock(options.clock)
  const rateLimit = options.rateLimit ?? COUPA_RATE_LIMIT
  return {
    base,
    tokens,
    fetch: fetchOption(options),
    clock,
    limiter: isRateLimiter(rateLimit) ? rateLimit : createRateLimiter(rateLimit, clock),
    format,
    timeout: wholeNumber(options.timeout, 'timeout', 60_000, 1),
    maxRateLimitRetries: wholeNumber(options.maxRateLimitRetries, 'maxRateLimitRetries', 3, 0),
    maxRetryAfter: wholeNumber(options.maxRetryAfter, 'maxRetryAfter', 60_000, 0),
  }
}

function pageSize(query: Query): number {
  const limit = query.limit === undefined ? MAX_PAGE_SIZE : Number(query.limit)
  if (!Number.isInteger(limit) || limit < 1)
    throw invalidArgument('limit must be a whole number from 1 to 50')
  return Math.min(limit, MAX_PAGE_SIZE)
}

/**
 * Creates a client for one instance. Each client has its own rate limiter (25/s, bursts of 20)
 * unless given a shared one.
 *
 * @throws {ClientError} `KS_CLIENT_INVALID_ARGUMENT` when an option is wrong. Its methods throw
 *   {@link ApiError} (see README for the codes) and `TokenError` when no token can be had.
 * @example
 * const coupa = createApiClient({ baseUrl: 'https://acme.coupahost.com', tokens })
 * for await (const invoice of coupa.list('invoices', { status: 'approved', 'updated-at[gt]': since })) {
 *   console.log(invoice)
 * }
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const context = apiContext(options)

  async function* list<T>(resource: string, query: Query = {}): AsyncGenerator<T, void, undefined> {
    const limit = pageSize(query)
    let offset = query.offset === undefined ? 0 : Number(query.offset)
    if (!Number.isInteger(offset) || offset < 0) throw invalidArgument('offset must be a whole number >= 0')
    for (;;) {
      const page = await sendApiRequest(context, 'GET', resource, {
        query: { ...query, offset, limit },
        accept: 'json',
      })
      if (!Array.isArray(page)) {
        const path = apiPath(resource)
        throw new ApiError('KS_API_RESPONSE_INVALID', `GET ${path} did not answer a JSON array`, {
          method: 'GET',
          path,
        })
      }
      yield* page as T[]
      if (page.length < limit) return
      offset += page.length
    }
  }

  return {
    get: function get<T>(path: string, call: CallOptions = {}) {
      return sendApiRequest(context, 'GET', path, call) as Promise<T>
    },
    post: function post<T>(path: string, body?: unknown, call: CallOptions = {}) {
      return sendApiRequest(context, 'POST', path, { ...call, body }) as Promise<T>
    },
    put: function put<T>(path: string, body?: unknown, call: CallOptions = {}) {
      return sendApiRequest(context, 'PUT', path, { ...call, body }) as Promise<T>
    },
    list,
  }
}
