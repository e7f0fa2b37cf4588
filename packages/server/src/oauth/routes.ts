import type { FastifyInstance } from 'fastify'
import type { OAuthDeps } from './endpoints/deps.ts'
import { registerIntrospectionEndpoint } from './endpoints/introspect.ts'
import { registerJwksEndpoint } from './endpoints/jwks.ts'
import { registerMetadataEndpoints } from './endpoints/metadata.ts'
import { registerRevocationEndpoint } from './endpoints/revoke.ts'
import { registerTokenEndpoint } from './endpoints/token.ts'
import { oauthErrorHandler } from './error-handler.ts'
import { OAuthError } from './errors.ts'
import { acceptOnlyForms } from './form.ts'

/**
 * The authorization server's endpoints, in their own Fastify context: form bodies only, errors as
 * RFC 6749 §5.2 bodies (error-handler.ts), an unknown `/oauth2/…` path included.
 */
export async function oauthRoutes(app: FastifyInstance, deps: OAuthDeps): Promise<void> {
  app.setErrorHandler(oauthErrorHandler)
  await app.register(
    async function unknownOAuthPaths(oauth2) {
      oauth2.setNotFoundHandler(function noOAuthEndpoint(request) {
        throw new OAuthError(
          'invalid_request',
          `no route ${request.method} ${request.url.split('?')[0]}`,
          404,
        )
      })
    },
    { prefix: '/oauth2' },
  )
  acceptOnlyForms(app)
  registerTokenEndpoint(app, deps)
  registerIntrospectionEndpoint(app, deps)
  registerRevocationEndpoint(app, deps)
  registerJwksEndpoint(app, deps)
  registerMetadataEndpoints(app, deps)
}
