/** The options of `createTokenManager`, checked once at creation, never on first use. */
import type { ClientAuthMethod } from './client-credentials.ts'
import { type Clock, resolveClock } from './clock.ts'
import { invalidArgument } from './errors.ts'
import { DEFAULT_REQUEST_TIMEOUT_MS, type FetchLike, isLoopback, parseHttpUrl } from './http.ts'
import { DEFAULT_EXPIRES_IN_S, DEFAULT_REFRESH_AFTER_S } from './lifetime.ts'
import { type Logger, silentLogger } from './logger.ts'
import type { ProxyOption } from './proxy.ts'
import { fetchOption } from './proxy-fetch.ts'
import { normalizeScope, tokenCacheKey } from './token-key.ts'
import type { TokenStore } from './token-store.ts'

/** A token request never waits longer than 10 minutes. */
const MAX_TIMEOUT_MS = 600_000

/**
 * Options of `createTokenManager`. Only `tokenUrl`, `clientId` and `clientSecret` are required.
 * @example
 * createTokenManager({ tokenUrl, clientId, clientSecret, scope: 'core.invoice.read', firstUseDelay: 5000 })
 */
export interface TokenManagerOptions {
  /** The token endpoint, e.g. `https://acme.coupahost.com/oauth2/token`; a bare instance URL gets `/oauth2/token`. */
  tokenUrl: string | URL
  clientId: string
  clientSecret: string
  /** Scopes to ask for: a space-separated string or a list. Empty: the server's default. */
  scope?: string | readonly string[]
  /** `client_secret_post` (default, Coupa's documented way) or `client_secret_basic`. */
  clientAuth?: ClientAuthMethod
  /** Seconds after issue to refresh (default 72 000 = 20 h); never later than 5/6 of the lifetime. */
  refreshAfter?: number
  /** Lifetime in seconds assumed when `expires_in` is absent or unusable (default 3600). */
  defaultExpiresIn?: number
  /** Milliseconds to wait between getting a token and first handing it out (default 0; Coupa advises 5000). */
  firstUseDelay?: number
  /** Per-request timeout in milliseconds for the token endpoint (default 30 000). */
  timeout?: number
  /** Persistence; default none (memory only). */
  store?: TokenStore
  /** Default the global `fetch`. */
  fetch?: FetchLike
  /**
   * Send requests through an outbound proxy: `'env'` reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY
   * (lowercase names too), a URL names one proxy. Needs the undici package (an optional peer
   * dependency); not together with `fetch`.
   */
  proxy?: ProxyOption
  /** Clock and timers; members left out come from the system clock. */
  clock?: Partial<Clock>
  logger?: Logger
  /** Random numbers in [0, 1) for jitter; default `Math.random`. */
  random?: () => number
}

/** Options after checking, with defaults filled in. */
export interface ResolvedTokenManagerOptions {
  tokenUrl: URL
  clientId: string
  clientSecret: string
  /** Deduplicated scopes, space-separated, as sent. */
  scope: string
  clientAuth: ClientAuthMethod
  refreshAfter: number
  defaultExpiresIn: number
  firstUseDelay: number
  timeout: number
  store: TokenStore | undefined
  fetch: FetchLike
  clock: Clock
  logger: Logger
  random: () => number
  /** `tokenCacheKey` of the URL, client, secret and scopes. */
  key: string
}

function nonEmptyString(value: unknown, option: string): string {
  if (typeof value !== 'string' || value === '') throw invalidArgument(`${option} must be a non-empty string`)
  return value
}

function numberInRange(value: unknown, option: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidArgument(`${option} must be a number from ${min} to ${max} (got ${String(value)})`)
  }
  return value
}

function tokenEndpoint(value: string | URL): URL {
  const url = parseHttpUrl(value, 'tokenUrl')
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/oauth2/token'
  return url
}

function checkedScope(scope: unknown): string {
  const ok = scope === undefined || typeof scope === 'string' || Array.isArray(scope)
  if (!ok || (Array.isArray(scope) && scope.some((part) => typeof part !== 'string'))) {
    throw invalidArgument('scope must be a space-separated string or a list of strings')
  }
  return normalizeScope(scope as string | string[] | undefined).list.join(' ')
}

function checkedFunction<T>(value: T | undefined, option: string, fallback: T): T {
  if (value === undefined) return fallback
  if (typeof value !== 'function') throw invalidArgument(`${option} must be a function`)
  return value
}

/**
 * Checks `options` and fills in defaults.
 *
 * @throws {ClientError} `KS_CLIENT_INVALID_ARGUMENT` naming the option that is wrong.
 */
export function resolveTokenManagerOptions(options: TokenManagerOptions): ResolvedTokenManagerOptions {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object')
  const tokenUrl = tokenEndpoint(options.tokenUrl)
  const clientId = nonEmptyString(options.clientId, 'clientId')
  const clientSecret = nonEmptyString(options.clientSecret, 'clientSecret')
  const clientAuth = options.clientAuth ?? 'client_secret_post'
  if (clientAuth !== 'client_secret_post' && clientAuth !== 'client_secret_basic') {
    throw invalidArgument('clientAuth must be client_secret_post or client_secret_basic')
  }
  const scope = checkedScope(options.scope)
  const logger = options.logger ?? silentLogger()
  if (tokenUrl.protocol === 'http:' && !isLoopback(tokenUrl)) {
    logger.warn(
      { tokenUrl: tokenUrl.origin },
      'the token endpoint is plain http: the client secret travels unencrypted',
    )
  }
  return {
    tokenUrl,
    clientId,
    clientSecret,
    scope,
    clientAuth,
    refreshAfter: numberInRange(options.refreshAfter, 'refreshAfter', DEFAULT_REFRESH_AFTER_S, 1, 2 ** 31),
    defaultExpiresIn: numberInRange(
      options.defaultExpiresIn,
      'defaultExpiresIn',
      DEFAULT_EXPIRES_IN_S,
      1,
      2 ** 31,
    ),
    firstUseDelay: numberInRange(options.firstUseDelay, 'firstUseDelay', 0, 0, 60_000),
    timeout: numberInRange(options.timeout, 'timeout', DEFAULT_REQUEST_TIMEOUT_MS, 1, MAX_TIMEOUT_MS),
    store: options.store,
    fetch:
      options.proxy === undefined ? checkedFunction(options.fetch, 'fetch', fetch) : fetchOption(options),
    clock: resolveClock(options.clock),
    logger,
    random: checkedFunction(options.random, 'random', Math.random),
    key: tokenCacheKey({ tokenUrl: tokenUrl.href, clientId, clientSecret, scope }),
  }
}
