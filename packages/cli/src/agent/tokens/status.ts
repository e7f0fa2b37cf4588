/**
 * What the agent knows about one token manager's token, learnt from its events: when the current
 * token arrived, when it expires, whether its refresh is failing. Tokens are named by fingerprint;
 * the last token handed out is remembered in memory only so as not to hash it on every request.
 */
import {
  type RefreshFailedEvent,
  type TokenEvent,
  type TokenManager,
  tokenFingerprint,
} from '@keyshift/client'

/**
 * `pending`: no token yet, none asked for or the first request still running. `fresh`: a token and
 * no failure since. `stale`: a token still handed out while its refresh fails. `failing`: no usable
 * token and the token endpoint failing.
 */
export type TokenState = 'pending' | 'fresh' | 'stale' | 'failing'

/** A token is handed out in `state`: /healthz, the usable gauge and the retry all ask this. */
export function isUsable(state: TokenState): boolean {
  return state === 'fresh' || state === 'stale'
}

interface Held {
  fingerprint: string
  acquiredAt: number
  expiresAt: number
  /** The manager stops handing it out here (60 s before expiry, a tenth for short tokens). */
  lastUse: number
}

export interface TokenStatus {
  state(now: number): TokenState
  /** Seconds since the agent got the current token (from the endpoint or the store). */
  ageSeconds(now: number): number | undefined
  expiresInSeconds(now: number): number | undefined
  /** Seconds left for `token` if it is the current token (the `expires_in` to hand out). */
  expiresInFor(token: string, now: number): number | undefined
  /** Refresh failures by token error code, since the manager was created. */
  failures(): ReadonlyMap<string, number>
  /** Stops listening to the manager. */
  detach(): void
}

/** Follows `manager`'s events; `now` is a monotonic clock in ms. */
export function trackTokenStatus(manager: TokenManager, now: () => number): TokenStatus {
  const failures = new Map<string, number>()
  let held: Held | undefined
  let failing: string | undefined
  let lastToken: { token: string; fingerprint: string } | undefined

  function onToken(event: TokenEvent): void {
    const at = now()
    // The manager's own hard expiry: `expiresIn` is rounded to the second, and a window computed
    // from it could say the token is usable for up to half a second after the manager refuses it.
    held = {
      fingerprint: event.fingerprint,
      acquiredAt: at,
      expiresAt: at + event.expiresIn * 1000,
      lastUse: at + event.servableForMs,
    }
    failing = undefined
  }
  function onRefreshFailed(event: RefreshFailedEvent): void {
    failures.set(event.code, (failures.get(event.code) ?? 0) + 1)
    failing = event.code
  }
  function onInvalidated(event: { fingerprint: string }): void {
    if (held?.fingerprint === event.fingerprint) held = undefined
  }
  manager.on('token', onToken).on('refresh_failed', onRefreshFailed).on('invalidated', onInvalidated)

  function usable(at: number): Held | undefined {
    return held !== undefined && at < held.lastUse ? held : undefined
  }

  return {
    state(at) {
      if (usable(at) === undefined) return failing === undefined ? 'pending' : 'failing'
      return failing === undefined ? 'fresh' : 'stale'
    },
    ageSeconds: (at) => (held === undefined ? undefined : (at - held.acquiredAt) / 1000),
    expiresInSeconds: (at) => (held === undefined ? undefined : (held.expiresAt - at) / 1000),
    expiresInFor(token, at) {
      if (lastToken?.token !== token) lastToken = { token, fingerprint: tokenFingerprint(token) }
      if (held === undefined || held.fingerprint !== lastToken.fingerprint) return undefined
      return Math.max(0, Math.floor((held.expiresAt - at) / 1000))
    },
    failures: () => failures,
    detach() {
      manager.off('token', onToken).off('refresh_failed', onRefreshFailed).off('invalidated', onInvalidated)
    },
  }
}
