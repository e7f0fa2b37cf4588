/**
 * `GET /v1/tokens/<integration>`: `{"access_token","token_type","expires_in"}` for flows that send
 * the token themselves. Only for integrations on `auth: oauth`: an API-key integration gets 409,
 * so a flow is never handed a key through this door.
 */
import { AgentError } from '../../errors.ts'
import type { RequestContext } from '../context.ts'
import { accessToken } from '../credential.ts'
import { authenticateIntegration } from '../local-auth.ts'
import { sendJson } from '../respond.ts'

export async function tokens(context: RequestContext, name: string): Promise<void> {
  const { req, res, deps } = context
  if (req.method !== 'GET') {
    throw new AgentError('KS_AGENT_METHOD_NOT_ALLOWED', 'use GET for /v1/tokens/<integration>', {
      headers: { allow: 'GET' },
    })
  }
  const route = authenticateIntegration(context, name)
  if (route.auth !== 'oauth') {
    throw new AgentError(
      'KS_AGENT_NOT_OAUTH',
      `integration ${route.name} uses auth: api_key; it has no OAuth token until its configuration says auth: oauth`,
    )
  }
  const token = await accessToken(route)
  const expiresIn = route.tokens?.status.expiresInFor(token, deps.now())
  sendJson(res, 200, { access_token: token, token_type: 'bearer', expires_in: expiresIn })
}
