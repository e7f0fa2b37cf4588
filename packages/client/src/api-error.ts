/** The error of an API call. Its codes are listed in errors.ts with the others. */
import { type ApiErrorCode, ClientError } from './errors.ts'

/**
 * The fields of an {@link ApiError} besides its code and message.
 * @example
 * new ApiError('KS_API_NOT_FOUND', message, { method: 'GET', path: '/api/invoices/9', status: 404 })
 */
export interface ApiErrorDetails {
  /** HTTP status; absent when no answer came (network error, timeout). */
  status?: number
  method: string
  /** Path of the request, without the query string. */
  path: string
  /** Coupa's validation errors, `{"invoice-header": ["…"]}`, when the body had them. */
  errors?: Record<string, string[]>
  /** The scope the API asked for in `WWW-Authenticate: Bearer … scope="…"` (RFC 6750 §3). */
  scope?: string
  /** RFC 6750 §3.1 `error` of the `WWW-Authenticate` challenge, e.g. `insufficient_scope`. */
  error?: string
  retryAfterMs?: number
  /** The response body as text (truncated to 4 KiB), for diagnosis. */
  body?: string
  cause?: unknown
}

/**
 * An API call failed. `status` is the HTTP status, `code` its stable name, `errors` Coupa's
 * `{"errors":{…}}` body when there was one, `scope` the scope a 403 asked for.
 *
 * @example
 * try { await coupa.put('invoices/12', { 'invoice-number': 'INV-1' }) }
 * catch (error) {
 *   if (error instanceof ApiError && error.code === 'KS_API_FORBIDDEN') console.error('needs', error.scope)
 * }
 */
export class ApiError extends ClientError {
  override readonly name = 'ApiError'
  declare readonly code: ApiErrorCode
  readonly status: number | undefined
  readonly method: string
  readonly path: string
  readonly errors: Record<string, string[]> | undefined
  readonly scope: string | undefined
  readonly error: string | undefined
  readonly retryAfterMs: number | undefined
  readonly body: string | undefined

  constructor(code: ApiErrorCode, message: string, details: ApiErrorDetails) {
    super(code, message, { cause: details.cause })
    this.status = details.status
    this.method = details.method
    this.path = details.path
    this.errors = details.errors
    this.scope = details.scope
    this.error = details.error
    this.retryAfterMs = details.retryAfterMs
    this.body = details.body
  }
}
