import type { FastifyInstance } from 'fastify'
import type { OAuthDeps } from './deps.ts'

/** GET /oauth2/jwks: the public keys that verify this instance's tokens (RFC 7517). */
export function registerJwksEndpoint(app: FastifyInstance, deps: OAuthDeps): void {
  app.get('/oauth2/jwks', async function jwksEndpoint(_request, reply) {
    // Short caching: a resource server refetches on an unknown kid anyway.
    reply.header('cache-control', 'public, max-age=60')
    return {
      keys: deps.keys.published.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: 'ES256', use: 'sig' })),
    }
  })
}
