/**
 * One API call, with the two retries it may need: a 401 replays once with a fresh token (after
 * invalidating the one that failed, and only that one), a 429 waits for `Retry-After` and tries
 * again a bounded number of times.
 */

import { ApiError } from './api-error.ts'
import { type ApiFormat, apiErrorFromResponse, type RequestInfo, readApiResponse } from './api-response.ts'
import { apiUrl, type Query } from './api-url.ts'
import type { Clock } from './clock.ts'
import { invalidArgument } from './errors.ts'
import { type FetchLike, networkReason } from './http.ts'
import type { RateLimiter } from './rate-limiter.ts'
import { parseRetryAfter } from './retry.ts'

/**
 * What an API client needs from a token manager: any object with these two methods will do.
 * @example
 * const fixed: TokenSource = { getToken: async () => token, invalidate() {} }
 */
export interface TokenSource {
  getToken(): Promise<string>
  invalidate(token: string): void
}

/** The settings every call of one API client shares. */
export interface ApiContext {
  base: URL
  tokens: TokenSource
  fetch: FetchLike
  clock: Clock
  limiter: RateLimiter
  format: ApiFormat
  timeout: number
  maxRateLimitRetries: number
  maxRetryAfter: number
}

/**
 * Per-call options.
 * @example
 * await coupa.get('invoices', { query: { 'updated-at[gt]': since }, accept: 'xml' })
 */
export interface CallOptions {
  query?: Query
  /** Overrides the client's `accept` for this call. */
  accept?: ApiFormat
}

/** Wait after a 429 without `Retry-After` (Coupa sends none). */
const DEFAULT_RATE_LIMIT_WAIT_MS = 1000

const MEDIA_TYPES: Readonly<Record<ApiFormat, string>> = { json: 'application/json', xml: 'application/xml' }

/** The request body: JSON-encoded (a string is sent as is), or XML text. */
function encodeBody(format: ApiFormat, body: unknown): string | undefined {
  if (body === undefined) return undefined
  if (typeof body === 'string') return body
  if (format === 'xml') throw invalidArgument('with accept: xml, the body must be the XML text')
  return JSON.stringify(body)
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined)
}

async function fetchOnce(
  context: ApiContext,
  url: URL,
  request: RequestInfo,
  token: string,
  format: ApiFormat,
  body: string | undefined,
): Promise<Response> {
  // Coupa wants Content-Type and Accept to name the same format.
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: MEDIA_TYPES[format] }
  if (body !== undefined) headers['content-type'] = MEDIA_TYPES[format]
  try {
    return await context.fetch(url, {
      method: request.method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(context.timeout),
    })
  } catch (error) {
    const message = `${request.method} ${request.path} got no answer (${networkReason(error)})`
    throw new ApiError('KS_API_UNAVAILABLE', message, { ...request, cause: error })
  }
}

/**
 * Sends `method path` and returns the parsed answer.
 *
 * @throws {ApiError} for a non-2xx answer (after the retries above) or no answer at all.
 * @throws {TokenError} when no token can be had.
 */
export async function sendApiRequest(
  context: ApiContext,
  method: string,
  path: string,
  options: CallOptions & { body?: unknown } = {},
): Promise<unknown> {
  const url = apiUrl(context.base, path, options.query)
  const request: RequestInfo = { method, path: url.pathname }
  const format = options.accept ?? context.format
  const body = encodeBody(format, options.body)
  let token = await context.tokens.getToken()
  let replayed = false
  let rateLimited = 0
  for (;;) {
    await context.limiter.take()
    const response = await fetchOnce(context, url, request, token, format, body)
    // https://www.rfc-editor.org/rfc/rfc6750#section-3.1 invalid_token: get a new one, once.
    if (response.status === 401 && !replayed) {
      replayed = true
      await discard(response)
      context.tokens.invalidate(token)
      token = await context.tokens.getToken()
      continue
    }
    if (response.status === 429 && rateLimited < context.maxRateLimitRetries) {
      rateLimited += 1
      const asked = parseRetryAfter(response.headers.get('retry-after'), context.clock.wallNow())
      context.limiter.pause(Math.min(asked ?? DEFAULT_RATE_LIMIT_WAIT_MS, context.maxRetryAfter))
      await discard(response)
      continue
    }
    if (response.status >= 200 && response.status <= 299) return readApiResponse(response, format, request)
    throw await apiErrorFromResponse(response, request, context.clock.wallNow())
  }
}
