import type { FastifyInstance } from 'fastify'
import { type AuthenticatingRequest, authenticateClient } from '../client-auth.ts'
import { invalidRequest, OAuthError, unsupportedGrantType } from '../errors.ts'
import { type FormParams, formParams } from '../form.ts'
import * as clientCredentials from '../grants/client_credentials.ts'
import type { OAuthDeps } from './deps.ts'

/**
 * The headers of a token response, `body` its JSON: https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * "Cache-Control: no-store" and "Pragma: no-cache". One literal, built per response: cheaper than
 * copying a shared object into another.
 */
export function tokenResponseHeaders(body: string): Record<string, string | number> {
  return {
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  }
}

/**
 * POST /oauth2/token https://www.rfc-editor.org/rfc/rfc6749#section-3.2 , as a Fastify route. A
 * plain form request to the exact path is served before Fastify routes it (token-direct.ts); both
 * answer with `tokenResponseBody`, the endpoint itself.
 */
export function registerTokenEndpoint(app: FastifyInstance, deps: OAuthDeps): void {
  app.post('/oauth2/token', async function tokenEndpoint(request, reply) {
    const body = await tokenResponseBody(request, formParams(request), deps)
    reply.headers(tokenResponseHeaders(body))
    return body
  })
}

/**
 * The token endpoint: check the grant type, authenticate the client, check the client may use the
 * grant, then the grant checks the scope and issues the token. Answers the JSON body of the token
 * response; throws an OAuthError for the client (error-handler.ts renders it).
 */
export async function tokenResponseBody(
  request: AuthenticatingRequest,
  params: FormParams,
  deps: OAuthDeps,
): Promise<string> {
  const grantType = params.grant_type
  if (grantType === undefined)
    throw invalidRequest('grant_type is missing; use grant_type=client_credentials')
  if (grantType !== clientCredentials.grantType) throw unsupportedGrantType(grantType)
  const client = await authenticateClient(request, params, deps)
  if (client.grantType !== clientCredentials.grantType) {
    throw new OAuthError('unauthorized_client', `this client may not use grant_type=${grantType}`)
  }
  const response = await clientCredentials.handler(client, params, deps.tokens)
  // Already JSON, so Fastify sends it as it is instead of serializing the object.
  return clientCredentials.responseBody(response)
}
