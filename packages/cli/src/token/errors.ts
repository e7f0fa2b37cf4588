/**
 * The library's TokenError as the CLI shows it. An RFC 6749 §5.2 error body becomes a
 * TokenErrorResponse (`error: …` and a hint); anything else keeps the library's code where the CLI
 * has the same one (unavailable, rate limited, invalid answer) and is KS_TOKEN_RESPONSE_INVALID
 * otherwise (a 401 without an error body).
 * https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
import type { TokenError } from '@keyshift/client'
import { CliError, type ErrorCode, TokenErrorResponse } from '../errors.ts'
import { displayUrl, networkHint, networkReason } from '../net.ts'
import { rateLimitHint, tokenErrorHint } from './hints.ts'

/** What the CLI knows about the request besides the error. */
export interface TokenFailureFacts {
  /** The token endpoint asked. */
  url: URL
  clientId: string
  /** The answer, when the caller still holds it (`keyshift token` does): for `Location`. */
  response?: Response
  /** The answer's body parsed as JSON, when the caller read it: printed as is by `--json`. */
  body?: unknown
}

/** The library's codes that mean the same to the CLI, kept as they are. */
const SHARED_CODES: readonly ErrorCode[] = [
  'KS_TOKEN_ENDPOINT_UNAVAILABLE',
  'KS_TOKEN_RATE_LIMITED',
  'KS_TOKEN_RESPONSE_INVALID',
]

function cliCode(error: TokenError): ErrorCode {
  return SHARED_CODES.find((known) => known === error.code) ?? 'KS_TOKEN_RESPONSE_INVALID'
}

function redirectMessage(status: number, response: Response | undefined): string {
  const location = response?.headers.get('location') ?? null
  return location === null
    ? `the token endpoint redirects (HTTP ${status}); use the URL it points to`
    : `the token endpoint redirects (HTTP ${status}) to ${location}; use that URL`
}

/** The message for an answer without an OAuth error body; never quotes the body (it may hold a token). */
function failureMessage(error: TokenError, status: number, facts: TokenFailureFacts): string {
  if (status === 429) return `the token endpoint answered HTTP 429; ${rateLimitHint(error.retryAfterMs)}`
  if (status >= 500) return `the token endpoint answered HTTP ${status}`
  if (status >= 300 && status < 400) return redirectMessage(status, facts.response)
  if (status >= 200 && status < 300) return `${error.message}; is --url the token endpoint?`
  return `${displayUrl(facts.url)} answered HTTP ${status} without an OAuth 2.0 token or error; is --url the token endpoint?`
}

function noAnswer(error: TokenError, facts: TokenFailureFacts): CliError {
  if (error.code !== 'KS_TOKEN_ENDPOINT_UNAVAILABLE') {
    return new CliError('KS_INTERNAL', error.message, { cause: error })
  }
  const reason = networkReason(error.cause ?? error)
  return new CliError(
    'KS_TOKEN_ENDPOINT_UNAVAILABLE',
    `cannot reach the token endpoint ${displayUrl(facts.url)} (${reason})`,
    { cause: error, hint: networkHint(error.cause ?? error) },
  )
}

/** The CLI error for a TokenError of `clientCredentialsRequest`, `processClientCredentialsResponse` or a token manager. */
export function tokenFailure(error: TokenError, facts: TokenFailureFacts): CliError | TokenErrorResponse {
  const status = error.status
  if (error.error !== undefined) {
    const hint = tokenErrorHint(error.error, status, error.retryAfterMs, facts.clientId)
    const body = facts.body ?? { error: error.error, error_description: error.error_description }
    return new TokenErrorResponse(error.error, error.error_description, status ?? 0, hint, body)
  }
  if (status === undefined) return noAnswer(error, facts)
  // A 401 without a body is how some servers refuse wrong HTTP Basic credentials.
  const hint =
    status === 401 ? tokenErrorHint('invalid_client', status, undefined, facts.clientId) : undefined
  return new CliError(cliCode(error), failureMessage(error, status, facts), { cause: error, hint })
}
