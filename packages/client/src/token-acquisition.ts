/**
 * Getting one token, from the token endpoint or from a stored record, as a HeldToken: the token
 * with its times on this process's monotonic clock.
 */
import { clientCredentialsRequest, processClientCredentialsResponse } from './client-credentials.ts'
import { requestSignal, sleep } from './clock.ts'
import { MAX_EXPIRES_IN_S, type TokenTimes, tokenLifetime, tokenTimes } from './lifetime.ts'
import { tokenFingerprint } from './token-key.ts'
import type { ResolvedTokenManagerOptions } from './token-manager-options.ts'
import type { TokenEvent } from './token-manager-types.ts'
import type { StoredToken } from './token-store.ts'

/** A token the manager holds. */
export interface HeldToken extends TokenTimes {
  token: string
  fingerprint: string
  /** Resolved with `token`, made once: the fast path of getToken() returns it as is. */
  promise: Promise<string>
  /** Granted scopes, when the server said. */
  scope: string | undefined
  /** Wall-clock epoch ms at receipt, for the store. */
  issuedAtWall: number
  source: 'endpoint' | 'store'
}

function holdToken(
  config: ResolvedTokenManagerOptions,
  fields: Pick<HeldToken, 'token' | 'scope' | 'issuedAtWall' | 'source'>,
  receivedAt: number,
  lifetimeMs: number,
): HeldToken {
  return {
    ...fields,
    ...tokenTimes(receivedAt, lifetimeMs, config.refreshAfter, config.random),
    fingerprint: tokenFingerprint(fields.token),
    promise: Promise.resolve(fields.token),
  }
}

/**
 * Asks the token endpoint for a token. The lifetime counts from the moment the answer arrived.
 *
 * @throws {TokenError} as `clientCredentialsRequest` and `processClientCredentialsResponse` do.
 */
export async function requestToken(
  config: ResolvedTokenManagerOptions,
  signal: AbortSignal,
): Promise<HeldToken> {
  const request = requestSignal(signal, config.timeout)
  try {
    const response = await clientCredentialsRequest({
      tokenUrl: config.tokenUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      scope: config.scope,
      clientAuth: config.clientAuth,
      fetch: config.fetch,
      signal: request.signal,
    })
    const receivedAt = config.clock.now()
    const issuedAtWall = config.clock.wallNow()
    const body = await processClientCredentialsResponse(response, {
      tokenUrl: config.tokenUrl,
      wallNow: issuedAtWall,
    })
    const lifetime = tokenLifetime(body.expires_in, config.defaultExpiresIn)
    if (lifetime.source !== 'expires_in') {
      config.logger.warn(
        { expires_in: body.expires_in ?? null, problem: lifetime.source, assumedSeconds: lifetime.seconds },
        'the token endpoint gave no usable expires_in; assuming a lifetime',
      )
    }
    const fields = { token: body.access_token, scope: body.scope, issuedAtWall, source: 'endpoint' as const }
    return holdToken(config, fields, receivedAt, lifetime.seconds * 1000)
  } finally {
    request.release()
  }
}

/**
 * A stored token mapped onto this process's monotonic clock: what is left of its life is
 * `expires_at − wall now`, counted from the monotonic now. A wall clock that went back cannot
 * make it live longer than its lifetime.
 */
export function heldFromStored(config: ResolvedTokenManagerOptions, stored: StoredToken): HeldToken {
  const lifetimeMs = Math.min(stored.expires_at - stored.issued_at, MAX_EXPIRES_IN_S * 1000)
  const age = Math.min(Math.max(config.clock.wallNow() - stored.issued_at, 0), lifetimeMs)
  const fields = {
    token: stored.access_token,
    scope: stored.scope,
    issuedAtWall: stored.issued_at,
    source: 'store' as const,
  }
  return holdToken(config, fields, config.clock.now() - age, lifetimeMs)
}

/**
 * The next token: `stored` when the store had a usable one (no request), else the endpoint's; either
 * only once `firstUseDelay` has passed since it was issued (Coupa advises waiting before first use).
 *
 * @throws {TokenError} as `requestToken` does; `signal`'s reason when it aborts.
 */
export async function obtainToken(
  config: ResolvedTokenManagerOptions,
  stored: Promise<HeldToken | undefined>,
  signal: AbortSignal,
): Promise<HeldToken> {
  const { clock, firstUseDelay } = config
  const reused = await stored
  if (reused !== undefined) {
    await sleep(clock, reused.issuedAtWall + firstUseDelay - clock.wallNow(), signal)
    return reused
  }
  const fetched = await requestToken(config, signal)
  await sleep(clock, firstUseDelay, signal)
  return fetched
}

/** The record a store keeps for `held`. */
export function storedFromHeld(held: HeldToken): StoredToken {
  const stored: StoredToken = {
    access_token: held.token,
    token_type: 'bearer',
    issued_at: held.issuedAtWall,
    expires_at: held.issuedAtWall + held.lifetimeMs,
  }
  if (held.scope !== undefined) stored.scope = held.scope
  return stored
}

/** The payload of the `token` event for `held` at monotonic time `now`. */
export function tokenEvent(held: HeldToken, now: number): TokenEvent {
  const expiresIn = Math.round((held.expiresAt - now) / 1000)
  return {
    fingerprint: held.fingerprint,
    expiresIn,
    refreshInMs: held.refreshAt - now,
    servableForMs: held.hardExpiry - now,
    source: held.source,
  }
}
