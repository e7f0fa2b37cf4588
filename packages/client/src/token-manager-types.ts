/**
 * The token manager's interface and its events. A token appears in events only as its fingerprint
 * (first 8 hex digits of its SHA-256).
 */
import type { TokenErrorCode } from './errors.ts'

/**
 * `token`: a token was acquired and is now handed out.
 * @example
 * tokens.on('token', (event) => log.info(event, 'new Coupa token'))
 */
export interface TokenEvent {
  fingerprint: string
  /** Seconds until it expires. */
  expiresIn: number
  /** Milliseconds until the background refresh starts. */
  refreshInMs: number
  /**
   * Milliseconds the manager will hand this token out: until its hard expiry, a margin before
   * `expiresIn` (60 s, a tenth of a short token's life). Exact, where `expiresIn` is rounded.
   */
  servableForMs: number
  /** `endpoint`: a new token; `store`: a persisted one reused (no request made). */
  source: 'endpoint' | 'store'
}

/**
 * `refresh_failed`: a token request failed.
 * @example
 * tokens.on('refresh_failed', (event) => metrics.increment('token_refresh_failed', { code: event.code }))
 */
export interface RefreshFailedEvent {
  code: TokenErrorCode
  /** Failures in a row, starting at 1. */
  attempt: number
  /** Milliseconds until the next request will be made. */
  nextRetryMs: number
  /** HTTP status, when the endpoint answered. */
  status: number | undefined
  /** RFC 6749 §5.2 `error`, when the endpoint sent one. */
  error: string | undefined
}

/**
 * `stale`: a token inside its refresh window was handed out while its refresh is failing. Once per failure.
 * @example
 * tokens.on('stale', (event) => alert(`token refresh failing; ${event.servableForMs} ms left`))
 */
export interface StaleEvent {
  fingerprint: string
  /** Code of the last refresh failure. */
  code: TokenErrorCode
  /** Milliseconds until the token is no longer handed out. */
  servableForMs: number
}

/**
 * `invalidated`: `invalidate()` dropped the current token.
 * @example
 * tokens.on('invalidated', (event) => log.warn(event, 'the API refused a token'))
 */
export interface InvalidatedEvent {
  fingerprint: string
}

/**
 * The events of a token manager and their payloads.
 * @example
 * const onToken = (event: TokenManagerEvents['token']) => console.log(event.fingerprint)
 * tokens.on('token', onToken)
 */
export interface TokenManagerEvents {
  token: TokenEvent
  refresh_failed: RefreshFailedEvent
  stale: StaleEvent
  invalidated: InvalidatedEvent
}

/**
 * What `createTokenManager` returns.
 * @example
 * const token = await tokens.getToken()
 * const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
 * if (response.status === 401) tokens.invalidate(token)
 */
export interface TokenManager {
  /**
   * The current access token; from memory (no I/O) while it is fresh.
   * @throws {TokenError} when no valid token can be had; `KS_TOKEN_MANAGER_CLOSED` after close().
   */
  getToken(): Promise<string>
  /** Drops the cached token if it is still `token` (the API answered 401 to it); a newer one is kept. */
  invalidate(token: string): void
  /** Cancels timers, retries and pending requests; getToken() rejects afterwards. */
  close(): Promise<void>
  on<E extends keyof TokenManagerEvents>(
    event: E,
    listener: (payload: TokenManagerEvents[E]) => void,
  ): TokenManager
  off<E extends keyof TokenManagerEvents>(
    event: E,
    listener: (payload: TokenManagerEvents[E]) => void,
  ): TokenManager
  /** The cache key (SHA-256 hex; holds no secret), under which the store keeps the token. */
  readonly key: string
}
