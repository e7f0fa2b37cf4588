import type { FastifyInstance } from 'fastify'
import { authenticateClient } from '../client-auth.ts'
import { invalidRequest, OAuthError, unsupportedGrantType } from '../errors.ts'
import { formParams } from '../form.ts'
import * as clientCredentials from '../grants/client_credentials.ts'
import type { OAuthDeps } from './deps.ts'

/**
 * POST /oauth2/token https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * Steps: read the form, check the grant type, authenticate the client, check the client may use
 * the grant, then the grant checks the scope and issues the token.
 */
export function registerTokenEndpoint(app: FastifyInstance, deps: OAuthDeps): void {
  app.post('/oauth2/token', async function tokenEndpoint(request, reply) {
    const params = formParams(request)
    const grantType = params.grant_type
    if (grantType === undefined)
      throw invalidRequest('grant_type is missing; use grant_type=client_credentials')
    if (grantType !== clientCredentials.grantType) throw unsupportedGrantType(grantType)
    const client = await authenticateClient(request, params, deps)
    if (client.grantType !== clientCredentials.grantType) {
      throw new OAuthError('unauthorized_client', `this client may not use grant_type=${grantType}`)
    }
    const response = await clientCredentials.handler(client, params, deps.tokens)
    // https://www.rfc-editor.org/rfc/rfc6749#section-5.1 : "Cache-Control: no-store"
    reply
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .header('content-type', 'application/json; charset=utf-8')
    // Already JSON, so Fastify sends it as it is instead of serializing the object.
    return clientCredentials.responseBody(response)
  })
}
