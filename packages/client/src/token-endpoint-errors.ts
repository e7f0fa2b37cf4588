/**
 * A token endpoint's failed answer as a TokenError: RFC 6749 §5.2 errors by their `error`, then
 * what the status says when the body is not an OAuth error.
 * https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
import { TokenError, type TokenErrorCode } from './errors.ts'
import { isObject } from './http.ts'
import { parseRetryAfter } from './retry.ts'

/** RFC 6749 §5.2 `error` → code. Errors a server may send for an outage count as one. */
const OAUTH_ERRORS: Readonly<Record<string, TokenErrorCode>> = {
  invalid_client: 'KS_TOKEN_INVALID_CLIENT',
  invalid_scope: 'KS_TOKEN_INVALID_SCOPE',
  unauthorized_client: 'KS_TOKEN_UNAUTHORIZED_CLIENT',
  invalid_request: 'KS_TOKEN_INVALID_REQUEST',
  unsupported_grant_type: 'KS_TOKEN_UNSUPPORTED_GRANT_TYPE',
  server_error: 'KS_TOKEN_ENDPOINT_UNAVAILABLE',
  temporarily_unavailable: 'KS_TOKEN_ENDPOINT_UNAVAILABLE',
}

/** What each code means, for the message. */
const MEANING: Readonly<Record<string, string>> = {
  KS_TOKEN_INVALID_CLIENT: 'the client id or secret is wrong, or the client is deactivated',
  KS_TOKEN_INVALID_SCOPE: 'a requested scope is unknown or not granted to this client',
  KS_TOKEN_UNAUTHORIZED_CLIENT: 'this client may not use the client credentials grant',
  KS_TOKEN_INVALID_REQUEST: 'the token request is malformed',
  KS_TOKEN_UNSUPPORTED_GRANT_TYPE: 'the server does not offer the client credentials grant',
  KS_TOKEN_REJECTED: 'the token request was refused',
  KS_TOKEN_RATE_LIMITED: 'too many token requests',
  KS_TOKEN_ENDPOINT_UNAVAILABLE: 'the token endpoint is failing',
  KS_TOKEN_RESPONSE_INVALID: 'the answer is not a token endpoint answer (is the token URL right?)',
}

/** RFC 6749 §5.2 error fields, when the body has them. */
interface OAuthErrorBody {
  error: string
  error_description: string | undefined
}

function oauthErrorBody(body: unknown): OAuthErrorBody | undefined {
  if (!isObject(body) || typeof body.error !== 'string' || body.error === '') return undefined
  const description = typeof body.error_description === 'string' ? body.error_description : undefined
  return { error: body.error, error_description: description }
}

function codeFor(status: number, oauth: OAuthErrorBody | undefined): TokenErrorCode {
  if (status === 429) return 'KS_TOKEN_RATE_LIMITED'
  if (status >= 500) return 'KS_TOKEN_ENDPOINT_UNAVAILABLE'
  if (oauth !== undefined) return OAUTH_ERRORS[oauth.error] ?? 'KS_TOKEN_REJECTED'
  // 401 without a body is how some servers answer bad HTTP Basic credentials.
  if (status === 401) return 'KS_TOKEN_INVALID_CLIENT'
  return 'KS_TOKEN_RESPONSE_INVALID'
}

/**
 * The TokenError for a non-2xx answer. `where` names the endpoint (` https://host/oauth2/token`
 * or ''); `wallNow` reads a `Retry-After` date.
 */
export function tokenErrorFromResponse(
  response: Response,
  body: unknown,
  where: string,
  wallNow: number,
): TokenError {
  const status = response.status
  const oauth = oauthErrorBody(body)
  const code = codeFor(status, oauth)
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), wallNow)
  let detail = oauth === undefined ? `${status}` : `${status} ${oauth.error}`
  if (oauth?.error_description !== undefined) detail += `: ${oauth.error_description}`
  const location = response.headers.get('location')
  if (status >= 300 && status < 400 && location !== null) detail += `, a redirect; use the URL it points to`
  const wait = retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(retryAfterMs / 1000)} s`
  return new TokenError(code, `the token endpoint${where} answered ${detail} (${MEANING[code]})${wait}`, {
    error: oauth?.error,
    error_description: oauth?.error_description,
    status,
    retryAfterMs,
  })
}
