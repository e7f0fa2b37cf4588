/** The credential the agent adds for an integration: its client's token, or its API key. */
import { TokenError } from '@keyshift/client'
import { AgentError } from '../errors.ts'
import type { IntegrationRoute } from '../state.ts'
import type { Credential } from '../upstream/headers.ts'

/** A credential to send and, for OAuth, the token in it (to invalidate after a 401). */
export interface IntegrationCredential {
  credential: Credential
  token: string | undefined
}

/**
 * The current access token of `route`'s client, from memory while it is fresh.
 *
 * @throws {AgentError} KS_AGENT_TOKEN_UNAVAILABLE with the token error's code as `token_error`.
 */
export async function accessToken(route: IntegrationRoute): Promise<string> {
  const tokens = route.tokens
  if (tokens === undefined)
    throw new AgentError('KS_AGENT_INTERNAL', `integration ${route.name} has no client`)
  try {
    return await tokens.manager.getToken()
  } catch (error) {
    const code = error instanceof TokenError ? error.code : 'KS_TOKEN_ENDPOINT_UNAVAILABLE'
    // TokenError messages never hold the secret or a token (see @keyshift/client's README).
    const reason = error instanceof Error ? error.message : String(error)
    throw new AgentError('KS_AGENT_TOKEN_UNAVAILABLE', `no access token for client ${tokens.id}: ${reason}`, {
      cause: error,
      fields: { token_error: code },
      headers: { 'retry-after': '5' },
    })
  }
}

/** The header to add for `route`: `Authorization: Bearer <token>` or `X-COUPA-API-KEY: <key>`. */
export async function credentialFor(route: IntegrationRoute): Promise<IntegrationCredential> {
  if (route.auth === 'api_key') {
    const key = route.apiKey ?? ''
    return { credential: { name: 'x-coupa-api-key', value: key }, token: undefined }
  }
  const token = await accessToken(route)
  return { credential: { name: 'authorization', value: `Bearer ${token}` }, token }
}
