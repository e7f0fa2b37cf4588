/**
 * A token's lifetime and the three times derived from it, all on the monotonic clock and counted
 * from the moment the answer arrived (never from the JWT `exp`, which a skewed clock misreads):
 * `refreshAt` (refresh in the background), `hardExpiry` (stop handing it out), `expiresAt`.
 */

/**
 * Coupa's advice: renew every 20 hours (tokens live 24).
 * @example
 * createTokenManager({ ...options, refreshAfter: DEFAULT_REFRESH_AFTER_S / 2 })
 */
export const DEFAULT_REFRESH_AFTER_S = 72_000
/**
 * Lifetime assumed when the token endpoint gives no usable `expires_in`.
 * @example
 * createTokenManager({ ...options, defaultExpiresIn: DEFAULT_EXPIRES_IN_S })
 */
export const DEFAULT_EXPIRES_IN_S = 3600
/**
 * Longer lifetimes are cut to this (30 days): a typo must not keep a token for years.
 * @example
 * tokenLifetime(10 ** 9, 3600).seconds === MAX_EXPIRES_IN_S // true
 */
export const MAX_EXPIRES_IN_S = 30 * 24 * 3600
/**
 * A token is no longer handed out this long before it expires (less for very short tokens).
 * @example
 * const lastUse = expiresAt - HARD_EXPIRY_MARGIN_MS
 */
export const HARD_EXPIRY_MARGIN_MS = 60_000
/** Refresh jitter: up to 1% of the lifetime, at most 10 minutes. */
const JITTER_SHARE = 0.01
const JITTER_CAP_MS = 600_000
/** A refresh is never planned sooner than this after a token arrives (no hot loops). */
const MIN_REFRESH_DELAY_MS = 1000

/** How the lifetime was obtained, for the warning logged when it was not taken as given. */
export type LifetimeSource = 'expires_in' | 'absent' | 'invalid' | 'clamped'

/**
 * The lifetime in seconds from a response's `expires_in`: absent, below 1, negative or non-numeric →
 * `fallbackSeconds`; above 30 days → 30 days.
 * https://www.rfc-editor.org/rfc/rfc6749#section-5.1 (`expires_in` is RECOMMENDED, not required)
 *
 * @example
 * tokenLifetime(86399, 3600) // → { seconds: 86399, source: 'expires_in' }
 * tokenLifetime(undefined, 3600) // → { seconds: 3600, source: 'absent' }
 * @throws Never: every input maps to a lifetime.
 */
export function tokenLifetime(
  expiresIn: number | undefined,
  fallbackSeconds: number,
): { seconds: number; source: LifetimeSource } {
  if (expiresIn === undefined) return { seconds: fallbackSeconds, source: 'absent' }
  // Below one second (RFC 6749 counts whole seconds) a token cannot be used, only re-requested.
  if (!Number.isFinite(expiresIn) || expiresIn < 1) return { seconds: fallbackSeconds, source: 'invalid' }
  if (expiresIn > MAX_EXPIRES_IN_S) return { seconds: MAX_EXPIRES_IN_S, source: 'clamped' }
  return { seconds: expiresIn, source: 'expires_in' }
}

/** The refresh and expiry times of one token, in monotonic milliseconds. */
export interface TokenTimes {
  /** When the answer arrived. */
  receivedAt: number
  lifetimeMs: number
  /** Background refresh starts here; before it, the token is served from the fast path. */
  refreshAt: number
  /** From here on the token is no longer handed out. */
  hardExpiry: number
  expiresAt: number
}

/** The hard-expiry margin for a lifetime: 60 s, or a tenth of the lifetime when that is less. */
export function hardExpiryMargin(lifetimeMs: number): number {
  return Math.min(HARD_EXPIRY_MARGIN_MS, lifetimeMs / 10)
}

/**
 * The delay from receipt to refresh: `refreshAfterS` (default 20 h) but never later than 5/6 of the
 * lifetime, so a sixth of it is left to ride out an outage; plus a random jitter of up to 1% of the
 * lifetime (at most 10 min) so that instances started together do not refresh together.
 */
export function refreshDelay(lifetimeMs: number, refreshAfterS: number, random: () => number): number {
  const planned = Math.min(refreshAfterS * 1000, (lifetimeMs * 5) / 6)
  const jitter = random() * Math.min(lifetimeMs * JITTER_SHARE, JITTER_CAP_MS)
  return Math.max(MIN_REFRESH_DELAY_MS, planned + jitter)
}

/**
 * The times of a token that arrived at `receivedAt` (monotonic ms) and lives `lifetimeMs`.
 *
 * @example
 * tokenTimes(clock.now(), 86_399_000, 72_000, Math.random).refreshAt // ≈ 20 h from now
 */
export function tokenTimes(
  receivedAt: number,
  lifetimeMs: number,
  refreshAfterS: number,
  random: () => number,
): TokenTimes {
  const expiresAt = receivedAt + lifetimeMs
  const hardExpiry = expiresAt - hardExpiryMargin(lifetimeMs)
  // The fast path checks refreshAt only, so it must never lie beyond the hard expiry.
  const refreshAt = Math.min(receivedAt + refreshDelay(lifetimeMs, refreshAfterS, random), hardExpiry)
  return { receivedAt, lifetimeMs, refreshAt, hardExpiry, expiresAt }
}
