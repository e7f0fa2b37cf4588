/** An API answer as a value, or as an ApiError with Coupa's `errors` and the RFC 6750 challenge. */
import { ApiError } from './api-error.ts'
import type { ApiErrorCode } from './errors.ts'
import { isObject, networkReason, parseJson, readText } from './http.ts'
import { parseRetryAfter } from './retry.ts'

/**
 * `json`: parsed JSON; `xml`: the text as received.
 * @example
 * createApiClient({ baseUrl, tokens, accept: 'xml' satisfies ApiFormat })
 */
export type ApiFormat = 'json' | 'xml'

/** Where a request went, for errors. */
export interface RequestInfo {
  method: string
  /** Path without the query string. */
  path: string
}

const BODY_KEPT = 4096

function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return 'KS_API_UNAUTHORIZED'
  if (status === 403) return 'KS_API_FORBIDDEN'
  if (status === 404) return 'KS_API_NOT_FOUND'
  if (status === 429) return 'KS_API_RATE_LIMITED'
  if (status >= 500) return 'KS_API_UNAVAILABLE'
  return 'KS_API_INVALID_REQUEST'
}

/**
 * The auth-params of a `WWW-Authenticate: Bearer …` challenge, e.g.
 * `Bearer error="insufficient_scope", scope="core.invoice.write"`.
 * https://www.rfc-editor.org/rfc/rfc6750#section-3
 *
 * @example
 * bearerChallenge('Bearer error="insufficient_scope", scope="core.invoice.write"')
 * // → { error: 'insufficient_scope', scope: 'core.invoice.write' }
 * @throws Never: an absent or unreadable header gives `{}`.
 */
export function bearerChallenge(header: string | null): Record<string, string> {
  const params: Record<string, string> = {}
  const match = header?.match(/(?:^|,)\s*Bearer\b(.*)$/i)
  if (match === null || match === undefined) return params
  for (const [, name, quoted, token] of (match[1] ?? '').matchAll(
    /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))/g,
  )) {
    if (name !== undefined) params[name.toLowerCase()] = (quoted ?? token ?? '').replace(/\\(.)/g, '$1')
  }
  return params
}

/**
 * Coupa's validation errors, `{"errors":{"invoice-header":["…"]}}`, when the body has them.
 *
 * @example
 * coupaErrors({ errors: { 'invoice-header': ['Invoice number has already been taken'] } })
 * @throws Never: any other body gives `undefined`.
 */
export function coupaErrors(body: unknown): Record<string, string[]> | undefined {
  if (!isObject(body) || !isObject(body.errors)) return undefined
  const errors: Record<string, string[]> = {}
  for (const [field, messages] of Object.entries(body.errors)) {
    const list = Array.isArray(messages) ? messages : [messages]
    errors[field] = list.map((message) => (typeof message === 'string' ? message : JSON.stringify(message)))
  }
  return errors
}

function describeErrors(errors: Record<string, string[]> | undefined): string {
  if (errors === undefined) return ''
  const text = Object.entries(errors)
    .map(([field, messages]) => `${field}: ${messages.join('; ')}`)
    .join(', ')
  return text === '' ? '' : ` (${text.length > 300 ? `${text.slice(0, 300)}…` : text})`
}

/** The ApiError for a non-2xx answer; `wallNow` reads a `Retry-After` date. */
export async function apiErrorFromResponse(
  response: Response,
  request: RequestInfo,
  wallNow: number,
): Promise<ApiError> {
  const status = response.status
  const code = codeForStatus(status)
  const text = await readText(response)
  const errors = coupaErrors(parseJson(text))
  const challenge = bearerChallenge(response.headers.get('www-authenticate'))
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), wallNow)
  let message = `${request.method} ${request.path} answered ${status}${describeErrors(errors)}`
  if (challenge.error !== undefined) message += `; ${challenge.error}`
  if (code === 'KS_API_FORBIDDEN' && challenge.scope !== undefined)
    message += `; needs scope ${challenge.scope}`
  if (status >= 300 && status < 400) message += '; redirects are not followed, check baseUrl'
  return new ApiError(code, message, {
    status,
    ...request,
    errors,
    scope: challenge.scope,
    error: challenge.error,
    retryAfterMs,
    body: text.length > BODY_KEPT ? text.slice(0, BODY_KEPT) : text,
  })
}

/**
 * The value of a 2xx answer: parsed JSON (`undefined` for an empty body) or the XML text.
 *
 * @throws {ApiError} `KS_API_RESPONSE_INVALID` when a JSON answer does not parse,
 *   `KS_API_UNAVAILABLE` when the body breaks off.
 */
export async function readApiResponse(
  response: Response,
  format: ApiFormat,
  request: RequestInfo,
): Promise<unknown> {
  let text: string
  try {
    text = await response.text()
  } catch (error) {
    const message = `${request.method} ${request.path}: the answer broke off (${networkReason(error)})`
    throw new ApiError('KS_API_UNAVAILABLE', message, { status: response.status, ...request, cause: error })
  }
  if (format === 'xml') return text
  if (text.trim() === '') return undefined
  const value = parseJson(text)
  if (value === undefined) {
    throw new ApiError(
      'KS_API_RESPONSE_INVALID',
      `${request.method} ${request.path} answered ${response.status} with a body that is not JSON`,
      {
        status: response.status,
        ...request,
        body: text.slice(0, BODY_KEPT),
      },
    )
  }
  return value
}
