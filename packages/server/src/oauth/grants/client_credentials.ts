import type { OAuthClientRecord } from '../../contract/records.ts'
import type { AccessTokens } from '../access-tokens.ts'
import type { FormParams } from '../form.ts'
import { grantedScope } from '../scope.ts'

/** https://www.rfc-editor.org/rfc/rfc6749#section-4.4 */
export const grantType = 'client_credentials'

/** Parameters this grant reads besides the client's credentials. */
export const parameters = ['scope'] as const

export interface TokenResponse {
  access_token: string
  token_type: 'bearer'
  expires_in: number
  scope: string
}

/** https://www.rfc-editor.org/rfc/rfc6749#section-4.4.3 : no refresh token is issued. */
export async function handler(
  client: OAuthClientRecord,
  params: FormParams,
  tokens: AccessTokens,
): Promise<TokenResponse> {
  const scope = grantedScope(params.scope, client.scopes)
  const { token } = await tokens.issue(client.clientId, scope, client.tokensRevokedAt)
  // https://www.rfc-editor.org/rfc/rfc6749#section-5.1 ; Coupa answers expires_in 86399 for its 24 h tokens.
  return { access_token: token, token_type: 'bearer', expires_in: tokens.lifetimeSeconds, scope }
}

/**
 * The response body, the same bytes as `JSON.stringify(response)`, written without scanning the
 * token for characters to escape: it is three base64url parts joined by dots (access-tokens.ts),
 * with nothing to escape, and at some 600 characters the longest string of the answer. The scope
 * goes through JSON.stringify all the same.
 */
export function responseBody(response: TokenResponse): string {
  const { access_token, token_type, expires_in, scope } = response
  return `{"access_token":"${access_token}","token_type":"${token_type}","expires_in":${expires_in},"scope":${JSON.stringify(scope)}}`
}
