import type { FastifyInstance } from 'fastify'
import { authenticateClient } from '../client-auth.ts'
import { invalidRequest } from '../errors.ts'
import { formParams } from '../form.ts'
import type { OAuthDeps } from './deps.ts'

/**
 * POST /oauth2/revoke https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 * 200 for a token of the calling client (now revoked) and for an unknown, malformed or expired
 * token ("invalid tokens do not cause an error response", §2.2); a token of another client is
 * refused. `token_type_hint` is only a hint (§2.1), so it is not required to match.
 */
export function registerRevocationEndpoint(app: FastifyInstance, deps: OAuthDeps): void {
  app.post('/oauth2/revoke', async function revocationEndpoint(request, reply) {
    const params = formParams(request)
    if (params.token === undefined) throw invalidRequest('token is missing')
    const client = await authenticateClient(request, params, deps)
    const result = deps.tokens.verify(params.token)
    if (result.valid) {
      if (result.claims.client_id !== client.clientId) {
        throw invalidRequest('the token was not issued to this client')
      }
      await deps.revocations.revoke(result.claims)
      request.log.info({ client_id: client.clientId, jti: result.claims.jti }, 'access token revoked')
    }
    reply.header('cache-control', 'no-store')
    return reply.code(200).send()
  })
}
