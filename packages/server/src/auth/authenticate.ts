import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ApiKeyService } from '../api-keys/service.ts'
import type { ClientService } from '../clients/service.ts'
import type { Revocations } from '../oauth/revocations.ts'
import type { AuthThrottle } from '../oauth/throttle.ts'
import type { ApiKeySignals } from '../transition/signals.ts'
import { ApiError, type Principal } from './principal.ts'
import type { RateLimiter } from './rate-limit.ts'
import type { VerifiedTokens } from './verified-tokens.ts'

export interface ApiAuthDeps {
  verified: VerifiedTokens
  revocations: Revocations
  clients: ClientService
  apiKeys: ApiKeyService
  rateLimiter: Pick<RateLimiter, 'take' | 'describe'>
  realm: string
  /** Deprecation signals and brownouts of API-key calls (docs/TRANSITION.md). */
  apiKeySignals?: ApiKeySignals | undefined
  /** Slows and then refuses wrong API keys from one address. */
  keyThrottle: AuthThrottle
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
}

/**
 * Authenticates a core API request by `Authorization: Bearer <JWT>` (RFC 6750 §2.1) or the legacy
 * `X-COUPA-API-KEY`, then applies the rate limit of that principal.
 */
export function createApiAuthentication(deps: ApiAuthDeps) {
  return async function authenticateApiRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const authorization = request.headers.authorization
    const apiKey = request.headers['x-coupa-api-key']
    if (authorization !== undefined && apiKey !== undefined) {
      throw new ApiError(400, ['send either Authorization: Bearer or X-COUPA-API-KEY, not both'])
    }
    const principal =
      authorization !== undefined
        ? await bearerPrincipal(authorization, deps)
        : apiKey !== undefined
          ? await apiKeyPrincipal(String(apiKey), request.ip, deps, reply)
          : missingCredentials(deps.realm)
    const wait = deps.rateLimiter.take(`${principal.kind}:${principal.id}`)
    if (wait > 0) {
      const error = new ApiError(429, [`Too many requests: at most ${deps.rateLimiter.describe()}`])
      error.headers['retry-after'] = String(wait)
      throw error
    }
    request.principal = principal
  }
}

function missingCredentials(realm: string): never {
  // https://www.rfc-editor.org/rfc/rfc6750#section-3.1 : no error code when no credentials were sent.
  const error = new ApiError(401, [
    'Authentication required: send Authorization: Bearer <access token from /oauth2/token>',
  ])
  error.headers['www-authenticate'] = `Bearer realm="${realm}"`
  throw error
}

function invalidToken(realm: string, description: string): ApiError {
  const error = new ApiError(401, [`The access token is not valid: ${description}`])
  // https://www.rfc-editor.org/rfc/rfc6750#section-3
  error.headers['www-authenticate'] =
    `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`
  return error
}

async function bearerPrincipal(authorization: string, deps: ApiAuthDeps): Promise<Principal> {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization)
  if (!match?.[1])
    throw invalidToken(deps.realm, 'the Authorization header must be Bearer followed by the token')
  const checked = deps.verified.check(match[1])
  if ('reason' in checked) throw invalidToken(deps.realm, checked.reason)
  const { claims } = checked
  if (deps.revocations.isRevoked(claims.jti)) throw invalidToken(deps.realm, 'revoked')
  const client = await deps.clients.lookup(claims.client_id)
  if (!client?.active) throw invalidToken(deps.realm, 'the client is deactivated')
  // The token grants what it was issued with, less what the client has lost since.
  const current = new Set(client.scopes)
  const scopes = new Set(claims.scope.split(' ').filter((name) => current.has(name)))
  return { kind: 'client', id: client.clientId, label: client.login, scopes }
}

/**
 * Wrong keys from one address are slowed, then refused with 429 (RFC 6819 §4.3.5, online guessing);
 * a right key is checked first and always passes, so guessing from a shared address cannot lock the
 * real integration out. With 160-bit keys the throttle is about noise and load, not odds.
 */
async function apiKeyPrincipal(
  presented: string,
  address: string,
  deps: ApiAuthDeps,
  reply: FastifyReply,
): Promise<Principal> {
  const result = await deps.apiKeys.authenticate(presented.trim())
  if (!result.ok) {
    const retryAfter = deps.keyThrottle.retryAfter(address, undefined)
    if (retryAfter > 0) {
      const refused = new ApiError(429, [
        `Too many wrong API keys from this address; retry after ${retryAfter} seconds`,
      ])
      refused.headers['retry-after'] = String(retryAfter)
      throw refused
    }
    const delay = deps.keyThrottle.failed(address, undefined)
    if (delay > 0) await sleep(delay)
    const why = { 'unknown key': 'is not valid', revoked: 'has been revoked', expired: 'has expired' }[
      result.reason
    ]
    const error = new ApiError(401, [`The API key ${why}; OAuth 2.0 replaces API keys: see /oauth2/token`])
    // A 401 carries a challenge (RFC 9110 §15.5.2): the one to move to.
    error.headers['www-authenticate'] = `Bearer realm="${deps.realm}"`
    throw error
  }
  const { key } = result
  deps.apiKeySignals?.(key, reply)
  return {
    kind: 'api_key',
    id: key.id,
    label: key.contactLogin,
    permissions: key.permissions === null ? null : new Set(key.permissions),
  }
}
