/**
 * The token manager: one cached token for one key (token URL, client, secret, scope set), handed
 * out from memory, refreshed in the background at 20 h (5/6 of shorter lifetimes) while the old one
 * is still served, asked for once however many callers wait (single-flight).
 */
import { type Alarm, setAlarm, sleep } from './clock.ts'
import { asTokenError, closedTokenError, expiredTokenError, TokenError } from './errors.ts'
import { createEmitter } from './events.ts'
import { tokenRetryDelay } from './retry.ts'
import { type HeldToken, requestToken, tokenEvent } from './token-acquisition.ts'
import { tokenFingerprint } from './token-key.ts'
import { resolveTokenManagerOptions, type TokenManagerOptions } from './token-manager-options.ts'
import type { TokenManager, TokenManagerEvents } from './token-manager-types.ts'
import { createPersistence } from './token-persistence.ts'

/** Fingerprints of invalidated tokens remembered, so a slow store cannot hand one back. */
const REJECTED_MEMORY = 8

function ignore(): void {}

/**
 * Creates a token manager for the client credentials grant (RFC 6749 §4.4).
 *
 * @throws {ClientError} `KS_CLIENT_INVALID_ARGUMENT` when an option is wrong (nothing is sent).
 * @example
 * const tokens = createTokenManager({
 *   tokenUrl: 'https://acme.coupahost.com/oauth2/token',
 *   clientId, clientSecret,
 *   scope: 'core.invoice.read core.common.read',
 *   store: createFileTokenStore('/var/lib/app/coupa-tokens.json'),
 * })
 * const token = await tokens.getToken()
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const config = resolveTokenManagerOptions(options)
  const { clock, logger } = config
  const emitter = createEmitter<TokenManagerEvents>(logger)
  const closing = new AbortController()
  const persistence = createPersistence(config)
  const rejected: string[] = []
  let current: HeldToken | undefined
  let inflight: Promise<HeldToken> | undefined
  let alarm: Alarm | undefined
  let failures = 0
  let lastError: TokenError | undefined
  let nextAttemptAt = Number.NEGATIVE_INFINITY
  let staleReported = false
  let expired = false

  /** Emits `event` and logs the same fields: observers and logs never disagree. */
  function report<E extends keyof TokenManagerEvents>(
    event: E,
    payload: TokenManagerEvents[E],
    level: 'info' | 'warn',
    message: string,
  ): void {
    emitter.emit(event, payload)
    logger[level](payload, message)
  }

  function cancelAlarm(): void {
    alarm?.cancel()
    alarm = undefined
  }

  function getToken(): Promise<string> {
    const held = current
    if (held !== undefined && clock.now() < held.refreshAt) return held.promise
    return getTokenSlowly()
  }

  async function getTokenSlowly(): Promise<string> {
    if (closing.signal.aborted) throw closedTokenError()
    const now = clock.now()
    const held = current
    if (held !== undefined && now < held.hardExpiry) return serveAging(held, now)
    if (held !== undefined) {
      current = undefined
      expired = true
    }
    try {
      return (await acquireOrJoin(now)).token
    } catch (error) {
      if (!expired || !(error instanceof TokenError) || error.code === 'KS_TOKEN_MANAGER_CLOSED') throw error
      throw expiredTokenError(error)
    }
  }

  /** A token in its refresh window: still handed out, while a refresh runs or waits to retry. */
  function serveAging(held: HeldToken, now: number): string {
    if (inflight === undefined && alarm === undefined) acquire().catch(ignore)
    if (lastError !== undefined && !staleReported) {
      staleReported = true
      const payload = {
        fingerprint: held.fingerprint,
        code: lastError.code,
        servableForMs: held.hardExpiry - now,
      }
      report('stale', payload, 'warn', 'serving a token due for refresh while its refresh fails')
    }
    return held.token
  }

  function acquireOrJoin(now: number): Promise<HeldToken> {
    if (inflight !== undefined) return inflight
    // Failing endpoint and no valid token: fail fast until the next attempt is due.
    if (lastError !== undefined && now < nextAttemptAt) return Promise.reject(lastError)
    return acquire()
  }

  function acquire(): Promise<HeldToken> {
    cancelAlarm()
    const attempt = obtain().then(onAcquired, onFailed)
    inflight = attempt
    return attempt
  }

  async function obtain(): Promise<HeldToken> {
    const stored = await persistence.load(current, rejected)
    if (stored !== undefined) {
      await sleep(clock, stored.issuedAtWall + config.firstUseDelay - clock.wallNow(), closing.signal)
      return stored
    }
    const held = await requestToken(config, closing.signal)
    await sleep(clock, config.firstUseDelay, closing.signal)
    return held
  }

  function onAcquired(held: HeldToken): HeldToken {
    inflight = undefined
    if (closing.signal.aborted) throw closedTokenError()
    current = held
    failures = 0
    lastError = undefined
    nextAttemptAt = Number.NEGATIVE_INFINITY
    staleReported = false
    expired = false
    alarm = setAlarm(clock, held.refreshAt, refreshInBackground, true)
    report('token', tokenEvent(held, clock.now()), 'info', 'access token acquired')
    if (held.source === 'endpoint') persistence.save(held)
    return held
  }

  function onFailed(error: unknown): never {
    inflight = undefined
    if (closing.signal.aborted) throw closedTokenError()
    const failure = asTokenError(error)
    failures += 1
    lastError = failure
    staleReported = false
    const nextRetryMs = tokenRetryDelay(failure, failures, config.random)
    nextAttemptAt = clock.now() + nextRetryMs
    if (current !== undefined) alarm = setAlarm(clock, nextAttemptAt, refreshInBackground, true)
    const payload = {
      code: failure.code,
      attempt: failures,
      nextRetryMs,
      status: failure.status,
      error: failure.error,
    }
    report('refresh_failed', payload, 'warn', `token request failed: ${failure.message}`)
    throw failure
  }

  function refreshInBackground(): void {
    alarm = undefined
    if (inflight === undefined && !closing.signal.aborted) acquire().catch(ignore)
  }

  function invalidate(token: string): void {
    const held = current
    if (held === undefined || held.token !== token) {
      logger.debug(
        { fingerprint: tokenFingerprint(token) },
        'invalidate: not the current token, kept the current one',
      )
      return
    }
    current = undefined
    cancelAlarm()
    rejected.push(held.fingerprint)
    if (rejected.length > REJECTED_MEMORY) rejected.shift()
    report('invalidated', { fingerprint: held.fingerprint }, 'info', 'access token invalidated')
    persistence.remove(token)
  }

  async function close(): Promise<void> {
    if (!closing.signal.aborted) closing.abort(closedTokenError())
    cancelAlarm()
    current = undefined
    await inflight?.catch(ignore)
    await persistence.flush()
  }

  const manager: TokenManager = {
    getToken,
    invalidate,
    close,
    on(event, listener) {
      emitter.on(event, listener)
      return manager
    },
    off(event, listener) {
      emitter.off(event, listener)
      return manager
    },
    key: config.key,
  }
  return manager
}
