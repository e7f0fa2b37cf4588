/**
 * The RFC 6749 §4.4 client credentials grant: `tokenRequest()` sends, `processTokenResponse()`
 * validates. https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
import { CliError, TokenErrorResponse } from '../errors.ts'
import { displayUrl, joinPath, networkReason, parseHttpUrl, REQUEST_TIMEOUT_MS } from '../net.ts'
import { tokenErrorHint } from './hints.ts'

export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic'

export interface TokenRequestOptions {
  url: URL
  clientId: string
  clientSecret: string
  /** Space-separated scopes; left out of the request when empty. */
  scope: string
  auth: ClientAuthMethod
  fetch: typeof fetch
}

export interface TokenResponse {
  access_token: string
  token_type: string
  expires_in?: number
  scope?: string
  [parameter: string]: unknown
}

/** The token endpoint from `--url`: an instance URL without a path gets `/oauth2/token`. */
export function tokenEndpointUrl(value: string): URL {
  const url = parseHttpUrl(value, 'url')
  return url.pathname === '/' || url.pathname === '' ? joinPath(url, '/oauth2/token') : url
}

/** application/x-www-form-urlencoded encoding of one value (space as `+`). */
export function formUrlEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1)
}

/**
 * client_secret_basic: the id and secret are form-urlencoded before they are joined and base64'd.
 * https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const credentials = `${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`
}

/** The form body, in the order of Coupa's guide: client_id, grant_type, scope, client_secret. */
export function tokenRequestBody(options: TokenRequestOptions): URLSearchParams {
  const body = new URLSearchParams()
  if (options.auth === 'client_secret_post') body.set('client_id', options.clientId)
  body.set('grant_type', 'client_credentials')
  if (options.scope !== '') body.set('scope', options.scope)
  if (options.auth === 'client_secret_post') body.set('client_secret', options.clientSecret)
  return body
}

/** Sends the token request. Throws KS_TOKEN_ENDPOINT_UNAVAILABLE when nothing answers. */
export async function tokenRequest(options: TokenRequestOptions): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  }
  if (options.auth === 'client_secret_basic') {
    headers.authorization = basicAuthorization(options.clientId, options.clientSecret)
  }
  try {
    return await options.fetch(options.url, {
      method: 'POST',
      headers,
      body: tokenRequestBody(options).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
  } catch (error) {
    const reason = networkReason(error)
    throw new CliError(
      'KS_TOKEN_ENDPOINT_UNAVAILABLE',
      `cannot reach the token endpoint ${displayUrl(options.url)} (${reason})`,
      { cause: error },
    )
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text())
  } catch {
    return undefined
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** An RFC 6749 §5.2 error body: `{"error": "...", "error_description"?: "..."}`. */
function oauthError(response: Response, body: unknown, clientId: string): TokenErrorResponse | undefined {
  if (!isObject(body) || typeof body.error !== 'string') return undefined
  const description = typeof body.error_description === 'string' ? body.error_description : undefined
  const hint = tokenErrorHint(body.error, response.status, response.headers.get('retry-after'), clientId)
  return new TokenErrorResponse(body.error, description, response.status, hint, body)
}

function failureWithoutOAuthError(response: Response, url: URL): CliError {
  const status = `HTTP ${response.status}`
  if (response.status === 429) {
    const hint = tokenErrorHint('', 429, response.headers.get('retry-after'), '')
    return new CliError('KS_TOKEN_RATE_LIMITED', `the token endpoint answered ${status}; ${hint}`)
  }
  if (response.status >= 500) {
    return new CliError('KS_TOKEN_ENDPOINT_UNAVAILABLE', `the token endpoint answered ${status}`)
  }
  const location = response.headers.get('location')
  if (response.status >= 300 && response.status < 400 && location !== null) {
    return new CliError(
      'KS_TOKEN_RESPONSE_INVALID',
      `the token endpoint redirects (${status}) to ${location}; use that URL`,
    )
  }
  return new CliError(
    'KS_TOKEN_RESPONSE_INVALID',
    `${displayUrl(url)} answered ${status} without an OAuth 2.0 token or error; is --url the token endpoint?`,
  )
}

/**
 * Validates the token endpoint's answer. Throws TokenErrorResponse for an OAuth error and
 * CliError otherwise; neither message contains the body, which may hold a token.
 */
export async function processTokenResponse(
  response: Response,
  url: URL,
  clientId: string,
): Promise<TokenResponse> {
  const body = await readJson(response)
  if (response.status !== 200) {
    throw oauthError(response, body, clientId) ?? failureWithoutOAuthError(response, url)
  }
  // https://www.rfc-editor.org/rfc/rfc6749#section-5.1
  if (!isObject(body) || typeof body.access_token !== 'string' || typeof body.token_type !== 'string') {
    throw new CliError(
      'KS_TOKEN_RESPONSE_INVALID',
      `${displayUrl(url)} answered 200 without access_token and token_type; is --url the token endpoint?`,
    )
  }
  return body as TokenResponse
}
