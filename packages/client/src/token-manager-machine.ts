/**
 * The token manager's state machine: token-manager-state.ts names the states and tabulates the
 * moves between them; each move here is one method that enters the next state and does what the
 * move entails (timers, the request, events, the store).
 */
import { type Alarm, setAlarm } from './clock.ts'
import { asExpiredTokenError, asTokenError, closedTokenError } from './errors.ts'
import { type HeldToken, obtainToken, tokenEvent } from './token-acquisition.ts'
import { tokenFingerprint } from './token-key.ts'
import type { ResolvedTokenManagerOptions } from './token-manager-options.ts'
import {
  alarmOf,
  expiredFrom,
  type Failing,
  type Failure,
  failureOf,
  invalidatedFrom,
  isAfterExpiry,
  nextFailure,
  type Refreshing,
  refreshFailedEvent,
  type State,
  staleEvent,
} from './token-manager-state.ts'
import type { TokenManagerEvents } from './token-manager-types.ts'
import { createPersistence, type Persistence } from './token-persistence.ts'

function ignore(): void {}

/** Emits `event` and logs the same fields at `level`: observers and logs never disagree. */
export type Report = <E extends keyof TokenManagerEvents>(
  event: E,
  payload: TokenManagerEvents[E],
  level: 'info' | 'warn',
  message: string,
) => void

/**
 * The machine behind a TokenManager. `#state` is the only thing that changes; every change goes
 * through `#enter`.
 */
export class TokenManagerMachine {
  #state: State = { kind: 'empty', failure: undefined }
  readonly #config: ResolvedTokenManagerOptions
  readonly #report: Report
  readonly #persistence: Persistence
  readonly #closing = new AbortController()

  constructor(config: ResolvedTokenManagerOptions, report: Report) {
    this.#config = config
    this.#report = report
    this.#persistence = createPersistence(config)
  }

  /** TokenManager.getToken(): a fresh token's promise as is (the fast path), else per state. */
  getToken(): Promise<string> {
    const state = this.#state
    if (state.kind === 'fresh' && this.#config.clock.now() < state.held.refreshAt) return state.held.promise
    return this.#getTokenSlowly()
  }

  async #getTokenSlowly(): Promise<string> {
    const now = this.#config.clock.now()
    this.#noticeTime(now)
    // Decided before waiting: whoever found the token expired hears so if no new one comes.
    const afterExpiry = isAfterExpiry(this.#state)
    try {
      return await this.#answer(now)
    } catch (error) {
      throw afterExpiry ? asExpiredTokenError(error) : error
    }
  }

  /** Moves to `next`. A timer `next` does not keep is cancelled: no timer outlives its state. */
  #enter(next: State): void {
    const alarm = alarmOf(this.#state)
    if (alarm !== undefined && alarm !== alarmOf(next)) alarm.cancel()
    this.#state = next
  }

  /** The moves no timer drives, made when a caller looks: fresh → aging, a held token → expired. */
  #noticeTime(now: number): void {
    const state = this.#state
    if (!('held' in state)) return
    if (now >= state.held.hardExpiry) this.#enter(expiredFrom(state))
    else if (state.kind === 'fresh' && now >= state.held.refreshAt) this.#enter({ ...state, kind: 'aging' })
  }

  /** What getToken() gives in each state: the getToken() column of the table. */
  #answer(now: number): string | Promise<string> {
    const state = this.#state
    switch (state.kind) {
      case 'fresh':
      case 'aging':
        return state.held.token
      case 'refreshing':
      case 'failing':
        return this.#serveWhileRenewing(state, now)
      case 'acquiring':
        return tokenOf(state.attempt)
      case 'empty':
      case 'expired':
        return this.#failFastOrRequest(state.failure, now)
      case 'closed':
        throw closedTokenError()
    }
  }

  /** The old token is still valid: served, with one `stale` per failure so observers see it age. */
  #serveWhileRenewing(state: Refreshing | Failing, now: number): string {
    const { held, failure } = state
    if (failure !== undefined && !failure.staleReported) {
      this.#enter({ ...state, failure: { ...failure, staleReported: true } })
      this.#report(
        'stale',
        staleEvent(held, failure, now),
        'warn',
        'serving a token due for refresh while its refresh fails',
      )
    }
    return held.token
  }

  /** No token: until the retry time the last error comes back without a request (no hammering). */
  #failFastOrRequest(failure: Failure | undefined, now: number): Promise<string> {
    if (failure !== undefined && now < failure.retryAt) return Promise.reject(failure.error)
    return tokenOf(this.#startRequest())
  }

  /** Starts the one request that every caller shares; a held token is served meanwhile. */
  #startRequest(): Promise<HeldToken> {
    const state = this.#state
    const held = 'held' in state ? state.held : undefined
    const failure = failureOf(state)
    const stored = this.#persistence.load(held)
    const attempt = obtainToken(this.#config, stored, this.#closing.signal).then(
      (next) => this.#requestSucceeded(next),
      (error: unknown) => this.#requestFailed(error),
    )
    const afterExpiry = state.kind === 'expired'
    this.#enter(
      held === undefined
        ? { kind: 'acquiring', attempt, failure, afterExpiry }
        : { kind: 'refreshing', held, attempt, failure },
    )
    return attempt
  }

  /** The refresh or retry timer fired. */
  #timerFired(): void {
    this.#startRequest().catch(ignore)
  }

  /** A refresh or retry timer: in the background, so it never keeps the process alive. */
  #setTimer(dueAt: number): Alarm {
    return setAlarm(this.#config.clock, dueAt, () => this.#timerFired(), true)
  }

  /** acquiring or refreshing → fresh (aging for a stored token already past its refresh point). */
  #requestSucceeded(held: HeldToken): HeldToken {
    if (this.#state.kind === 'closed') throw closedTokenError()
    const now = this.#config.clock.now()
    const refresh = this.#setTimer(held.refreshAt)
    this.#enter({ kind: now < held.refreshAt ? 'fresh' : 'aging', held, refresh })
    this.#report('token', tokenEvent(held, now), 'info', 'access token acquired')
    if (held.source === 'endpoint') this.#persistence.save(held)
    return held
  }

  /** refreshing → failing, with a retry timer; acquiring → empty, or expired if it followed one. */
  #requestFailed(error: unknown): never {
    const state = this.#state
    if (state.kind === 'closed') throw closedTokenError()
    const { clock, random } = this.#config
    const failure = nextFailure(failureOf(state), asTokenError(error), clock.now(), random)
    if (state.kind === 'refreshing') {
      const retry = this.#setTimer(failure.retryAt)
      this.#enter({ kind: 'failing', held: state.held, failure, retry })
    } else if (isAfterExpiry(state)) this.#enter({ kind: 'expired', failure, retry: undefined })
    else this.#enter({ kind: 'empty', failure })
    this.#report(
      'refresh_failed',
      refreshFailedEvent(failure),
      'warn',
      `token request failed: ${failure.error.message}`,
    )
    throw failure.error
  }

  /** The API refused `token`: if it is the held one → empty, or acquiring while a refresh runs. */
  invalidate(token: string): void {
    const state = this.#state
    if (!('held' in state) || state.held.token !== token) {
      const fingerprint = tokenFingerprint(token)
      this.#config.logger.debug({ fingerprint }, 'invalidate: not the current token, kept the current one')
      return
    }
    const { held } = state
    this.#enter(invalidatedFrom(state))
    this.#report('invalidated', { fingerprint: held.fingerprint }, 'info', 'access token invalidated')
    this.#persistence.reject(held)
  }

  /** Any state → closed; waits for the request in flight (aborted) and the store's writes. */
  async close(): Promise<void> {
    const state = this.#state
    await (state.kind === 'closed' ? state.draining : this.#shutDown(state))
    await this.#persistence.flush()
  }

  /** Aborting makes the request in flight fail, and `#requestFailed` tells its callers it closed. */
  #shutDown(state: State): Promise<void> {
    this.#closing.abort(closedTokenError())
    const draining = 'attempt' in state ? state.attempt.then(ignore, ignore) : Promise.resolve()
    this.#enter({ kind: 'closed', draining })
    return draining
  }
}

function tokenOf(attempt: Promise<HeldToken>): Promise<string> {
  return attempt.then((held) => held.token)
}
