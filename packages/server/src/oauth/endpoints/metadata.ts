import type { FastifyInstance } from 'fastify'
import { allScopeNames } from '../../catalogue/index.ts'
import type { OAuthDeps } from './deps.ts'

/**
 * Authorization server metadata, https://www.rfc-editor.org/rfc/rfc8414#section-2, served at both
 * well-known paths (RFC 8414 §3 and OpenID Connect Discovery), as RFC 9700 §2.6 recommends.
 */
export function registerMetadataEndpoints(app: FastifyInstance, deps: OAuthDeps): void {
  const { issuer } = deps
  const authMethods = ['client_secret_basic', 'client_secret_post']
  const metadata = Object.freeze({
    issuer,
    token_endpoint: `${issuer}/oauth2/token`,
    jwks_uri: `${issuer}/oauth2/jwks`,
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    scopes_supported: allScopeNames,
    grant_types_supported: ['client_credentials'],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    access_token_signing_alg_values_supported: ['ES256'],
  })
  for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
    app.get(path, async function metadataEndpoint(_request, reply) {
      reply.header('cache-control', 'public, max-age=300')
      return metadata
    })
  }
}
