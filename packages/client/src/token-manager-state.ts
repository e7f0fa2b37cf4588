/**
 * The token manager's states, as one value, and the pure steps between them. token-manager.ts
 * runs the machine: it moves from state to state and does what each move entails (timers,
 * requests, events, the store).
 *
 * state       getToken()                   timer fires   request ok  request fails     invalidate   hard expiry
 * ----------  ---------------------------  ------------  ----------  ----------------  -----------  -----------
 * empty       last error until its retry,  –             –           –                 –            –
 *             then → acquiring
 * acquiring   waits for the request        –             → fresh     → empty, or       –            –
 *                                                                    expired after one
 * fresh       the token, no I/O            → refreshing  –           –                 → empty      → expired
 * aging       the token                    → refreshing  –           –                 → empty      → expired
 * refreshing  the token; `stale` once      –             → fresh     → failing         → acquiring  → acquiring
 *             per failure
 * failing     the token; `stale` once      → refreshing  –           –                 → empty      → expired
 *             per failure
 * expired     KS_TOKEN_EXPIRED until the   → acquiring   –           –                 –            –
 *             retry time, then → acquiring
 * closed      KS_TOKEN_MANAGER_CLOSED      –             callers waiting get KS_TOKEN_MANAGER_CLOSED
 *
 * "Request ok" gives aging instead of fresh for a stored token already past its refresh point.
 * fresh becomes aging at the refresh point, where the refresh timer fires too: aging lasts until
 * that timer runs. A token that expires with no failed refresh is asked for again at once.
 * close() moves every state to closed. "hard expiry" and "aging" are noticed by getToken().
 */
import type { Alarm } from './clock.ts'
import type { TokenError } from './errors.ts'
import { tokenRetryDelay } from './retry.ts'
import type { HeldToken } from './token-acquisition.ts'
import type { RefreshFailedEvent, StaleEvent } from './token-manager-types.ts'

/** The last failed request, kept until a request succeeds: retries count on from it. */
export interface Failure {
  error: TokenError
  /** Failures in a row, starting at 1. */
  attempt: number
  retryInMs: number
  /** Monotonic time of the next request; until then a caller without a token gets `error`. */
  retryAt: number
  /** `stale` is emitted once per failure, not once per caller. */
  staleReported: boolean
}

/** No token: none asked for yet, or the last one was invalidated. */
export interface Empty {
  kind: 'empty'
  failure: Failure | undefined
}

/** No token and a request in flight: every caller waits for that one request. */
export interface Acquiring {
  kind: 'acquiring'
  attempt: Promise<HeldToken>
  failure: Failure | undefined
  /** The request replaces a token that expired: its failure reaches callers as KS_TOKEN_EXPIRED. */
  afterExpiry: boolean
}

/** A token before (`fresh`) or past (`aging`) its refresh point, and the timer set for that point. */
export interface Valid {
  kind: 'fresh' | 'aging'
  held: HeldToken
  refresh: Alarm
}

/** The token is still served while a request for the next one runs. */
export interface Refreshing {
  kind: 'refreshing'
  held: HeldToken
  attempt: Promise<HeldToken>
  /** Set when this request is a retry. */
  failure: Failure | undefined
}

/** The refresh failed; the token is still served until its hard expiry, and `retry` asks again. */
export interface Failing {
  kind: 'failing'
  held: HeldToken
  failure: Failure
  retry: Alarm
}

/** The token passed its hard expiry and no new one came: errors say KS_TOKEN_EXPIRED until one does. */
export interface Expired {
  kind: 'expired'
  /** `undefined` when the token expired with no failed refresh: the next caller asks at once. */
  failure: Failure | undefined
  /** The retry timer of the failing state it came from, if any. */
  retry: Alarm | undefined
}

/** close() was called; `draining` settles once the request in flight at that moment has. */
export interface Closed {
  kind: 'closed'
  draining: Promise<void>
}

/** The token manager's state. */
export type State = Empty | Acquiring | Valid | Refreshing | Failing | Expired | Closed

/** The states that hold a token. */
export type Holding = Valid | Refreshing | Failing

/** The timer a state owns; leaving the state cancels it unless the next state keeps it. */
export function alarmOf(state: State): Alarm | undefined {
  if (state.kind === 'fresh' || state.kind === 'aging') return state.refresh
  return state.kind === 'failing' || state.kind === 'expired' ? state.retry : undefined
}

/** The failure a state carries on to the next request, if any. */
export function failureOf(state: State): Failure | undefined {
  return 'failure' in state ? state.failure : undefined
}

/** Whether a failure now reaches callers as KS_TOKEN_EXPIRED. */
export function isAfterExpiry(state: State): boolean {
  return state.kind === 'expired' || (state.kind === 'acquiring' && state.afterExpiry)
}

/** The failure after `previous` (if any) ending in `error` at monotonic `now`. */
export function nextFailure(
  previous: Failure | undefined,
  error: TokenError,
  now: number,
  random: () => number,
): Failure {
  const attempt = (previous?.attempt ?? 0) + 1
  const retryInMs = tokenRetryDelay(error, attempt, random)
  return { error, attempt, retryInMs, retryAt: now + retryInMs, staleReported: false }
}

/** A refresh whose token is gone: its callers now wait for its request. */
function acquiring(from: Refreshing, afterExpiry: boolean): Acquiring {
  return { kind: 'acquiring', attempt: from.attempt, failure: from.failure, afterExpiry }
}

/** The state once `from`'s token passed its hard expiry: a request in flight goes on, a retry timer stays. */
export function expiredFrom(from: Holding): Acquiring | Expired {
  if (from.kind === 'refreshing') return acquiring(from, true)
  if (from.kind === 'failing') return { kind: 'expired', failure: from.failure, retry: from.retry }
  return { kind: 'expired', failure: undefined, retry: undefined }
}

/**
 * The state once `from`'s token was invalidated: a request in flight goes on (callers now wait
 * for it), and a failure keeps holding callers back until its retry time.
 */
export function invalidatedFrom(from: Holding): Empty | Acquiring {
  if (from.kind === 'refreshing') return acquiring(from, false)
  return { kind: 'empty', failure: from.kind === 'failing' ? from.failure : undefined }
}

/** The `stale` event for serving `held` at `now` while `failure` is the last refresh's. */
export function staleEvent(held: HeldToken, failure: Failure, now: number): StaleEvent {
  return { fingerprint: held.fingerprint, code: failure.error.code, servableForMs: held.hardExpiry - now }
}

/** The `refresh_failed` event of `failure`. */
export function refreshFailedEvent(failure: Failure): RefreshFailedEvent {
  const { error, attempt, retryInMs } = failure
  return { code: error.code, attempt, nextRetryMs: retryInMs, status: error.status, error: error.error }
}
