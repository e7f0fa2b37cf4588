import { setTimeout as sleep } from 'node:timers/promises'
import type { ApiKeyService } from '../api-keys/service.ts'
import type { ClientService } from '../clients/service.ts'
import type { ApiKeyRecord, OAuthClientRecord } from '../contract/records.ts'
import { type AccessTokenClaims, isCutOff } from '../oauth/access-tokens.ts'
import type { Revocations } from '../oauth/revocations.ts'
import { grantedScopeSet } from '../oauth/scope.ts'
import type { AuthThrottle } from '../oauth/throttle.ts'
import { AuthError } from './errors.ts'
import type { Principal } from './principal.ts'
import type { RateLimiter } from './rate-limit.ts'
import type { VerifiedTokens } from './verified-tokens.ts'

/**
 * What the transition tells an API-key call (docs/TRANSITION.md): headers that say the keys are
 * going away and, during a brownout, why the call is refused. Declared here, where it is used;
 * transition/signals.ts makes one.
 */
export interface ApiKeySignal {
  headers: Record<string, string>
  /** Set during a brownout: the call is refused with this message. */
  refusal?: string | undefined
}

export type ApiKeySignals = (key: ApiKeyRecord) => ApiKeySignal

export interface ApiAuthDeps {
  verified: VerifiedTokens
  revocations: Revocations
  clients: ClientService
  apiKeys: ApiKeyService
  rateLimiter: Pick<RateLimiter, 'take' | 'describe'>
  realm: string
  /** Deprecation signals and brownouts of API-key calls; absent: none. */
  apiKeySignals?: ApiKeySignals | undefined
  /** Slows and then refuses wrong API keys from one address. */
  keyThrottle: AuthThrottle
}

/** The credentials of a core API request, as its headers carry them. */
export interface Credentials {
  /** The Authorization header. */
  authorization: string | undefined
  /** The X-COUPA-API-KEY header. */
  apiKey: string | undefined
  /** The address the request came from. */
  address: string
}

/** Who is calling, and the headers the answer carries whatever it is (an API key's deprecation). */
export interface Authenticated {
  principal: Principal
  headers: Readonly<Record<string, string>>
}

/**
 * Answers at once (no promise) when all it needs is in memory, as on nearly every call of an
 * integration: its token verified before and its client cached, or its API key seen before. A
 * request then goes through Fastify without waiting a turn of the event loop, which measured about
 * a tenth of a GET's cost (docs: README, Performance). Otherwise a promise.
 */
export type AuthenticateApiRequest = (credentials: Credentials) => Authenticated | Promise<Authenticated>

/** The headers of an answer to a caller with nothing to be told (every OAuth client). */
export const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({})

/**
 * Authenticates a core API request by `Authorization: Bearer <JWT>` (RFC 6750 §2.1) or the legacy
 * `X-COUPA-API-KEY`, then applies the rate limit of that principal. Throws AuthError, or returns a
 * promise that rejects with it.
 */
export function createApiAuthentication(deps: ApiAuthDeps): AuthenticateApiRequest {
  const limited = (authenticated: Authenticated): Authenticated => {
    const { principal } = authenticated
    const wait = deps.rateLimiter.take(`${principal.kind}:${principal.id}`)
    if (wait > 0) {
      throw new AuthError(429, [`Too many requests: at most ${deps.rateLimiter.describe()}`], {
        ...authenticated.headers,
        'retry-after': String(wait),
      })
    }
    return authenticated
  }
  return function authenticateApiRequest({ authorization, apiKey, address }) {
    if (authorization !== undefined && apiKey !== undefined) {
      throw new AuthError(400, ['send either Authorization: Bearer or X-COUPA-API-KEY, not both'])
    }
    const found =
      authorization !== undefined
        ? bearerPrincipal(authorization, deps)
        : apiKey !== undefined
          ? apiKeyPrincipal(apiKey, address, deps)
          : missingCredentials(deps.realm)
    return found instanceof Promise ? found.then(limited) : limited(found)
  }
}

function missingCredentials(realm: string): never {
  // https://www.rfc-editor.org/rfc/rfc6750#section-3.1 : no error code when no credentials were sent.
  throw new AuthError(
    401,
    ['Authentication required: send Authorization: Bearer <access token from /oauth2/token>'],
    { 'www-authenticate': `Bearer realm="${realm}"` },
  )
}

function invalidToken(realm: string, description: string): AuthError {
  // https://www.rfc-editor.org/rfc/rfc6750#section-3
  return new AuthError(401, [`The access token is not valid: ${description}`], {
    'www-authenticate': `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`,
  })
}

/** `Authorization: Bearer <b64token>` (https://www.rfc-editor.org/rfc/rfc6750#section-2.1). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i
const BEARER_PREFIX = 'Bearer '

function bearerPrincipal(authorization: string, deps: ApiAuthDeps): Authenticated | Promise<Authenticated> {
  // A token verified before is the exact string that passed BEARER then: found by one lookup,
  // without running the expression over its 500-odd characters on every call.
  let checked = authorization.startsWith(BEARER_PREFIX)
    ? deps.verified.checkKnown(authorization.slice(BEARER_PREFIX.length))
    : undefined
  if (checked === undefined) {
    const match = BEARER.exec(authorization)
    if (!match?.[1])
      throw invalidToken(deps.realm, 'the Authorization header must be Bearer followed by the token')
    checked = deps.verified.check(match[1])
  }
  if ('reason' in checked) throw invalidToken(deps.realm, checked.reason)
  const { claims } = checked
  if (deps.revocations.isRevoked(claims.jti)) throw invalidToken(deps.realm, 'revoked')
  const cached = deps.clients.cached(claims.client_id)
  if (cached !== undefined) return clientPrincipal(claims, cached, deps)
  return deps.clients.lookup(claims.client_id).then((client) => clientPrincipal(claims, client, deps))
}

function clientPrincipal(
  claims: AccessTokenClaims,
  client: OAuthClientRecord | undefined,
  deps: ApiAuthDeps,
): Authenticated {
  if (!client?.active) throw invalidToken(deps.realm, 'the client is deactivated')
  if (isCutOff(claims, client)) throw invalidToken(deps.realm, 'revoked')
  const scopes = grantedScopeSet(claims.scope, client.scopes)
  return {
    principal: { kind: 'client', id: client.clientId, label: client.login, scopes },
    headers: NO_HEADERS,
  }
}

/**
 * Wrong keys from one address are slowed, then refused with 429 (RFC 6819 §4.3.5, online guessing);
 * a right key is checked first and always passes, so guessing from a shared address cannot lock the
 * real integration out. With 160-bit keys the throttle is about noise and load, not odds.
 */
function apiKeyPrincipal(
  presented: string,
  address: string,
  deps: ApiAuthDeps,
): Authenticated | Promise<Authenticated> {
  const key = deps.apiKeys.knownKey(presented.trim())
  if (key !== undefined) return keyPrincipal(key, deps)
  return checkApiKey(presented, address, deps)
}

async function checkApiKey(presented: string, address: string, deps: ApiAuthDeps): Promise<Authenticated> {
  const result = await deps.apiKeys.authenticate(presented.trim())
  if (!result.ok) {
    const retryAfter = deps.keyThrottle.retryAfter(address, undefined)
    if (retryAfter > 0) {
      throw new AuthError(
        429,
        [`Too many wrong API keys from this address; retry after ${retryAfter} seconds`],
        {
          'retry-after': String(retryAfter),
        },
      )
    }
    const delay = deps.keyThrottle.failed(address, undefined)
    if (delay > 0) await sleep(delay)
    const why = { 'unknown key': 'is not valid', revoked: 'has been revoked', expired: 'has expired' }[
      result.reason
    ]
    // A 401 carries a challenge (RFC 9110 §15.5.2): the one to move to.
    throw new AuthError(401, [`The API key ${why}; OAuth 2.0 replaces API keys: see /oauth2/token`], {
      'www-authenticate': `Bearer realm="${deps.realm}"`,
    })
  }
  return keyPrincipal(result.key, deps)
}

/** The principal of a valid key, with the transition's headers; refused during a brownout. */
function keyPrincipal(key: ApiKeyRecord, deps: ApiAuthDeps): Authenticated {
  const signal = deps.apiKeySignals?.(key) ?? { headers: NO_HEADERS }
  if (signal.refusal !== undefined) {
    // https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2 : a 401 carries a challenge, the one to move to.
    const headers = { ...signal.headers, 'www-authenticate': `Bearer realm="${deps.realm}"` }
    throw new AuthError(401, [signal.refusal], headers, 'api_key_brownout')
  }
  const principal: Principal = {
    kind: 'api_key',
    id: key.id,
    label: key.contactLogin,
    permissions: key.permissions === null ? null : new Set(key.permissions),
  }
  return { principal, headers: signal.headers }
}
