import type { FastifyInstance } from 'fastify'
import type { OAuthClientRecord } from '../../contract/records.ts'
import { isCutOff } from '../access-tokens.ts'
import { authenticateClient } from '../client-auth.ts'
import { invalidRequest } from '../errors.ts'
import { formParams } from '../form.ts'
import { scopesStillGranted } from '../scope.ts'
import type { OAuthDeps } from './deps.ts'

/**
 * POST /oauth2/introspect https://www.rfc-editor.org/rfc/rfc7662#section-2
 * A client may introspect only its own tokens; anything else reads as inactive, so the endpoint
 * tells nothing about other clients' tokens.
 */
export function registerIntrospectionEndpoint(app: FastifyInstance, deps: OAuthDeps): void {
  app.post('/oauth2/introspect', async function introspectionEndpoint(request, reply) {
    const params = formParams(request)
    if (params.token === undefined) throw invalidRequest('token is missing')
    const client = await authenticateClient(request, params, deps)
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache')
    return introspect(params.token, client, deps)
  })
}

async function introspect(token: string, caller: OAuthClientRecord, deps: OAuthDeps) {
  const inactive = { active: false }
  const result = deps.tokens.verify(token)
  if (!result.valid) return inactive
  const { claims } = result
  if (claims.client_id !== caller.clientId || deps.revocations.isRevoked(claims.jti)) return inactive
  if (isCutOff(claims, caller)) return inactive
  // The caller is the token's client, just authenticated, so it is active; its scopes may have
  // narrowed since the token was issued, and the token grants only what the client still has.
  const scope = scopesStillGranted(claims.scope, caller.scopes).join(' ')
  // https://www.rfc-editor.org/rfc/rfc7662#section-2.2
  return {
    active: true,
    scope,
    client_id: claims.client_id,
    token_type: 'Bearer',
    exp: claims.exp,
    iat: claims.iat,
    sub: claims.sub,
    aud: claims.aud,
    iss: claims.iss,
    jti: claims.jti,
  }
}
