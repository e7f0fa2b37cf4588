/**
 * Errors of `@keyshift/client`. Every error carries a stable `code`; README.md lists them all and
 * test/catalogue.test.ts keeps that list, this file and the sources in step. No message, field or
 * cause built here ever holds the client secret or an access token.
 */

/** Codes of a token request the endpoint refused: asking again with the same credentials cannot fix it. */
const REFUSED_TOKEN_CODES = [
  'KS_TOKEN_INVALID_CLIENT',
  'KS_TOKEN_INVALID_SCOPE',
  'KS_TOKEN_UNAUTHORIZED_CLIENT',
  'KS_TOKEN_INVALID_REQUEST',
  'KS_TOKEN_UNSUPPORTED_GRANT_TYPE',
  'KS_TOKEN_REJECTED',
] as const

/**
 * Codes of {@link TokenError}: getting a token from the token endpoint or the store.
 * @example
 * if (TOKEN_ERROR_CODES.includes(code)) console.log('a token problem')
 */
export const TOKEN_ERROR_CODES = [
  ...REFUSED_TOKEN_CODES,
  'KS_TOKEN_RATE_LIMITED',
  'KS_TOKEN_ENDPOINT_UNAVAILABLE',
  'KS_TOKEN_RESPONSE_INVALID',
  'KS_TOKEN_EXPIRED',
  'KS_TOKEN_MANAGER_CLOSED',
] as const

/**
 * Codes of {@link ApiError}: calling the core API.
 * @example
 * if (API_ERROR_CODES.includes(code)) console.log('an API problem')
 */
export const API_ERROR_CODES = [
  'KS_API_UNAUTHORIZED',
  'KS_API_FORBIDDEN',
  'KS_API_NOT_FOUND',
  'KS_API_RATE_LIMITED',
  'KS_API_INVALID_REQUEST',
  'KS_API_UNAVAILABLE',
  'KS_API_RESPONSE_INVALID',
] as const

/**
 * Every code the library can throw, the catalogue of README.md.
 * @example
 * for (const code of ERROR_CODES) metrics.declare(`keyshift_client_errors{code="${code}"}`)
 */
export const ERROR_CODES = [...TOKEN_ERROR_CODES, ...API_ERROR_CODES, 'KS_CLIENT_INVALID_ARGUMENT'] as const

/**
 * The code of a {@link TokenError}.
 * @example
 * const code: TokenErrorCode = 'KS_TOKEN_INVALID_CLIENT'
 */
export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number]
/**
 * The code of an {@link ApiError}.
 * @example
 * const code: ApiErrorCode = 'KS_API_FORBIDDEN'
 */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number]
/**
 * Any code of a {@link ClientError}.
 * @example
 * const code: ErrorCode = 'KS_CLIENT_INVALID_ARGUMENT'
 */
export type ErrorCode = (typeof ERROR_CODES)[number]

/**
 * Base class of every error thrown by `@keyshift/client`. Thrown as such (code
 * `KS_CLIENT_INVALID_ARGUMENT`) for options or arguments that cannot work, at the call that gets
 * them: `createTokenManager`, `createApiClient`, a path that leaves the instance.
 *
 * @example
 * try { createApiClient({ baseUrl: 'ftp://x', tokens }) }
 * catch (error) { if (error instanceof ClientError) console.error(error.code, error.message) }
 */
export class ClientError extends Error {
  override readonly name: string = 'ClientError'
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
  }
}

/**
 * The fields of a {@link TokenError} besides its code and message.
 * @example
 * new TokenError('KS_TOKEN_INVALID_CLIENT', message, { error: 'invalid_client', status: 401 })
 */
export interface TokenErrorDetails {
  /** RFC 6749 §5.2 `error` answered by the token endpoint, e.g. `invalid_client`. */
  error?: string
  /** RFC 6749 §5.2 `error_description`, as the server wrote it. */
  error_description?: string
  /** HTTP status of the token endpoint's answer, when there was one. */
  status?: number
  /** How long the server asked to wait (`Retry-After`), in milliseconds. */
  retryAfterMs?: number
  cause?: unknown
}

/** Codes that asking again cannot fix: they are never retried at once. */
const PERMANENT_TOKEN_CODES: ReadonlySet<TokenErrorCode> = new Set([
  ...REFUSED_TOKEN_CODES,
  'KS_TOKEN_MANAGER_CLOSED',
])

/**
 * A token could not be had. `code` says why; `error`, `error_description` and `status` are the
 * token endpoint's answer (RFC 6749 §5.2) when it gave one.
 *
 * @example
 * try { await tokens.getToken() }
 * catch (error) {
 *   if (error instanceof TokenError && error.code === 'KS_TOKEN_INVALID_CLIENT') alertOps(error.message)
 * }
 */
export class TokenError extends ClientError {
  override readonly name = 'TokenError'
  declare readonly code: TokenErrorCode
  readonly error: string | undefined
  readonly error_description: string | undefined
  readonly status: number | undefined
  readonly retryAfterMs: number | undefined

  constructor(code: TokenErrorCode, message: string, details: TokenErrorDetails = {}) {
    super(code, message, { cause: details.cause })
    this.error = details.error
    this.error_description = details.error_description
    this.status = details.status
    this.retryAfterMs = details.retryAfterMs
  }

  /** True when asking again later may succeed (outage, rate limit, garbled answer). */
  get transient(): boolean {
    return !PERMANENT_TOKEN_CODES.has(this.code)
  }
}

/** A `ClientError` for an option or argument that cannot work. */
export function invalidArgument(message: string, cause?: unknown): ClientError {
  return new ClientError('KS_CLIENT_INVALID_ARGUMENT', message, { cause })
}

/** `KS_TOKEN_EXPIRED`: the held token expired and getting a new one failed with `cause`. */
export function expiredTokenError(cause: TokenError): TokenError {
  const message = `the token expired and no new one could be had: ${cause.message}`
  const { error, error_description, status, retryAfterMs } = cause
  return new TokenError('KS_TOKEN_EXPIRED', message, {
    error,
    error_description,
    status,
    retryAfterMs,
    cause,
  })
}

/** `error` as told to a caller who found the token expired; closing is not the token's fault. */
export function asExpiredTokenError(error: unknown): unknown {
  if (!(error instanceof TokenError) || error.code === 'KS_TOKEN_MANAGER_CLOSED') return error
  return expiredTokenError(error)
}

/** `KS_TOKEN_MANAGER_CLOSED`: the token manager was closed. */
export function closedTokenError(): TokenError {
  return new TokenError('KS_TOKEN_MANAGER_CLOSED', 'the token manager is closed')
}

/** `error` as a TokenError: itself, or a `KS_TOKEN_RESPONSE_INVALID` wrapping an unexpected failure. */
export function asTokenError(error: unknown): TokenError {
  if (error instanceof TokenError) return error
  const reason = error instanceof Error ? error.message : String(error)
  return new TokenError('KS_TOKEN_RESPONSE_INVALID', `token request failed: ${reason}`, { cause: error })
}
