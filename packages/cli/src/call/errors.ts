/**
 * What `keyshift call` says when the call fails: the library's ApiError keeps its code (the CLI
 * has the same ones) and gets Coupa's errors as detail lines and a hint; a TokenError is shown as
 * `keyshift token` shows it; an argument the library refused is a usage error.
 */
import { ApiError, type ApiErrorCode, ClientError, TokenError } from '@keyshift/client'
import { CliError, type ErrorCode } from '../errors.ts'
import { tokenFailure } from '../token/errors.ts'
import { rateLimitHint } from '../token/hints.ts'

/** What the command knows besides the error. */
export interface CallFacts {
  /** `keyshift call`, for usage messages. */
  command: string
  clientId: string
  /** The scopes asked for, space-separated; '' for the server's default. */
  scope: string
  tokenUrl: URL
}

type Hint = (error: ApiError, facts: CallFacts) => string | undefined

/** Lines of a body shown when it has no Coupa `errors`: enough to see what answered. */
const MAX_BODY_LINES = 20

function unauthorizedHint(_error: ApiError, facts: CallFacts): string {
  return `the API refused the token, and a new one too: check that the client is active (keyshift admin clients show ${facts.clientId}) and that --url is the instance that issued it`
}

/** https://www.rfc-editor.org/rfc/rfc6750#section-3.1 insufficient_scope names the scope it needs. */
function forbiddenHint(error: ApiError, facts: CallFacts): string {
  if (error.scope === undefined) {
    return `the token may not do this: compare --scope with the client's Oidc Scopes: keyshift admin clients show ${facts.clientId}`
  }
  const update = `keyshift admin clients update ${facts.clientId} --scopes "<its scopes> ${error.scope}"`
  const asked = facts.scope.split(' ')
  if (facts.scope !== '' && !asked.includes(error.scope)) {
    return `the token lacks scope ${error.scope}: add it to --scope (and, if the client lacks it too, with ${update})`
  }
  return `the client lacks scope ${error.scope}: add it with ${update}`
}

function invalidRequestHint(error: ApiError): string | undefined {
  const status = error.status ?? 0
  if (status >= 300 && status < 400)
    return `--url redirects (HTTP ${status}); use the URL of the instance itself`
  return undefined
}

/** What to do about each API error, in one table; its keys are the CLI's codes for them. */
const API_HINTS = new Map<ApiErrorCode, Hint>([
  ['KS_API_UNAUTHORIZED', unauthorizedHint],
  ['KS_API_FORBIDDEN', forbiddenHint],
  [
    'KS_API_NOT_FOUND',
    () => 'no such record or resource: check PATH (without a leading / it is under /api/)',
  ],
  ['KS_API_RATE_LIMITED', (error) => rateLimitHint(error.retryAfterMs)],
  ['KS_API_INVALID_REQUEST', invalidRequestHint],
  [
    'KS_API_UNAVAILABLE',
    (error) =>
      error.status === undefined
        ? 'check --url and that the instance is running'
        : 'the instance failed; try again later',
  ],
  ['KS_API_RESPONSE_INVALID', () => 'the answer is not the JSON asked for: check --url, or try --accept xml'],
])

/** Coupa's `errors`, one line per message; else the start of the body (an XML error, a proxy's page). */
function detailLines(error: ApiError): string[] {
  if (error.errors !== undefined) {
    return Object.entries(error.errors).flatMap(([field, messages]) => messages.map((m) => `${field}: ${m}`))
  }
  const lines = (error.body ?? '').trim().split(/\r?\n/)
  if (lines.length === 1 && lines[0] === '') return []
  return lines.length > MAX_BODY_LINES ? [...lines.slice(0, MAX_BODY_LINES), '…'] : lines
}

function apiFailure(error: ApiError, facts: CallFacts): CliError {
  const code: ErrorCode = error.code
  const hint = API_HINTS.get(error.code)?.(error, facts)
  if (error.status === undefined) return new CliError(code, error.message, { cause: error, hint })
  const challenge = error.error === undefined ? '' : ` (${error.error})`
  const message = `${error.method} ${error.path} answered HTTP ${error.status}${challenge}`
  return new CliError(code, message, { cause: error, hint, details: detailLines(error) })
}

/** The API's error body for `--json`: parsed when it is JSON, the text otherwise, null when empty. */
export function errorBody(error: ApiError): unknown {
  const text = error.body ?? ''
  if (text.trim() === '') return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The CLI error for whatever the token manager or the API client threw; other errors as they are. */
export function callFailure(error: unknown, facts: CallFacts): unknown {
  if (error instanceof ApiError) return apiFailure(error, facts)
  if (error instanceof TokenError)
    return tokenFailure(error, { url: facts.tokenUrl, clientId: facts.clientId })
  // The library refuses an argument that cannot work, such as a PATH that is a full URL.
  if (error instanceof ClientError) {
    return new CliError('KS_USAGE', `${error.message}; run '${facts.command} --help'`, { cause: error })
  }
  return error
}
