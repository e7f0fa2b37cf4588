/**
 * The RFC 6749 §4.4 client credentials grant, as a pair: `clientCredentialsRequest()` sends,
 * `processClientCredentialsResponse()` validates. No caching here; see `createTokenManager`.
 * https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
import { TokenError } from './errors.ts'
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  displayUrl,
  type FetchLike,
  isJsonMediaType,
  isObject,
  mediaType,
  networkReason,
  parseJson,
  readText,
} from './http.ts'
import type { ProxyOption } from './proxy.ts'
import { fetchOption } from './proxy-fetch.ts'
import { tokenErrorFromResponse } from './token-endpoint-errors.ts'
import { normalizeScope } from './token-key.ts'

/**
 * How the client authenticates: in the form body (Coupa's documented way) or with HTTP Basic.
 * @example
 * createTokenManager({ ...options, clientAuth: 'client_secret_basic' })
 */
export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic'

/**
 * Options of {@link clientCredentialsRequest}.
 * @example
 * await clientCredentialsRequest({ tokenUrl, clientId, clientSecret, scope: ['core.invoice.read'] })
 */
export interface ClientCredentialsRequestOptions {
  tokenUrl: string | URL
  clientId: string
  clientSecret: string
  /** Scopes, a space-separated string or a list; duplicates removed; left out when empty. */
  scope?: string | readonly string[]
  /** Default `client_secret_post`. */
  clientAuth?: ClientAuthMethod
  /** Default the global `fetch`. */
  fetch?: FetchLike
  /**
   * Send requests through an outbound proxy: `'env'` reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY
   * (lowercase names too), a URL names one proxy. Needs the undici package (an optional peer
   * dependency); not together with `fetch`.
   */
  proxy?: ProxyOption
  /** Aborts the request; default a 30 s timeout. */
  signal?: AbortSignal
}

/**
 * A successful token response, wire names kept. https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @example
 * const { access_token, expires_in } = await processClientCredentialsResponse(response)
 */
export interface ClientCredentialsResponse {
  access_token: string
  /** As sent (`bearer`, `Bearer`); checked to be bearer, case-insensitively. */
  token_type: string
  /** Seconds; a numeric string is converted; `undefined` when absent or not a number. */
  expires_in?: number
  /** The granted scopes when the server says (RFC 6749 §5.1: when they differ from the request). */
  scope?: string
  [parameter: string]: unknown
}

/** application/x-www-form-urlencoded encoding of one value (space as `+`). */
function formUrlEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1)
}

/**
 * The `Authorization` header of client_secret_basic: id and secret are form-urlencoded before they
 * are joined and base64-encoded, so a `:` or `%` in either survives.
 * https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 *
 * @example
 * basicAuthorization('my client', 's:cret') // → 'Basic bXkrY2xpZW50OnMlM0FjcmV0'
 * @throws Never.
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const credentials = `${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`
}

/** The form body in the order of Coupa's guide: client_id, grant_type, scope, client_secret. */
function requestBody(options: ClientCredentialsRequestOptions): URLSearchParams {
  const post = (options.clientAuth ?? 'client_secret_post') === 'client_secret_post'
  const scope = normalizeScope(options.scope).list.join(' ')
  const body = new URLSearchParams()
  if (post) body.set('client_id', options.clientId)
  body.set('grant_type', 'client_credentials')
  if (scope !== '') body.set('scope', scope)
  if (post) body.set('client_secret', options.clientSecret)
  return body
}

/**
 * Sends a client credentials token request (`POST`, form-encoded, `Accept: application/json`).
 * Redirects are not followed: the secret is never sent anywhere but `tokenUrl`.
 *
 * @throws {TokenError} `KS_TOKEN_ENDPOINT_UNAVAILABLE` when no answer comes (refused, DNS, TLS,
 *   timeout). Any answer, even an error status, is returned for
 *   {@link processClientCredentialsResponse} to judge.
 * @example
 * const response = await clientCredentialsRequest({ tokenUrl, clientId, clientSecret, scope: 'core.invoice.read' })
 * const { access_token, expires_in } = await processClientCredentialsResponse(response, { tokenUrl })
 */
export async function clientCredentialsRequest(options: ClientCredentialsRequestOptions): Promise<Response> {
  const url = new URL(options.tokenUrl)
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  }
  if (options.clientAuth === 'client_secret_basic') {
    headers.authorization = basicAuthorization(options.clientId, options.clientSecret)
  }
  const doFetch = fetchOption(options)
  try {
    return await doFetch(url, {
      method: 'POST',
      headers,
      body: requestBody(options).toString(),
      redirect: 'manual',
      signal: options.signal ?? AbortSignal.timeout(DEFAULT_REQUEST_TIMEOUT_MS),
    })
  } catch (error) {
    const reason = networkReason(error)
    throw new TokenError(
      'KS_TOKEN_ENDPOINT_UNAVAILABLE',
      `cannot reach the token endpoint ${displayUrl(url)} (${reason})`,
      { cause: error },
    )
  }
}

/**
 * Options of {@link processClientCredentialsResponse}.
 * @example
 * await processClientCredentialsResponse(response, { tokenUrl, wallNow: Date.now() })
 */
export interface ProcessResponseOptions {
  /** Named in error messages (origin and path only). */
  tokenUrl?: string | URL
  /** Wall-clock epoch ms, to read a `Retry-After` date; default `Date.now()`. */
  wallNow?: number
}

function expiresInSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  // Some servers send it as a string (PayPal does); accept plain decimal numbers only.
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value)
  return undefined
}

function invalid(where: string, message: string, status: number): TokenError {
  return new TokenError('KS_TOKEN_RESPONSE_INVALID', `the token endpoint${where} ${message}`, { status })
}

/**
 * Validates a token endpoint's answer. A 2xx must be JSON with a non-empty string `access_token`
 * and a `token_type` of bearer (any case); `expires_in` is read as a number when it is one (or a
 * numeric string) and left `undefined` otherwise, for the caller's default.
 *
 * @throws {TokenError} `KS_TOKEN_INVALID_CLIENT`, `KS_TOKEN_INVALID_SCOPE`,
 *   `KS_TOKEN_UNAUTHORIZED_CLIENT`, `KS_TOKEN_INVALID_REQUEST`, `KS_TOKEN_UNSUPPORTED_GRANT_TYPE`,
 *   `KS_TOKEN_REJECTED` for RFC 6749 §5.2 errors; `KS_TOKEN_RATE_LIMITED` for 429;
 *   `KS_TOKEN_ENDPOINT_UNAVAILABLE` for 5xx; `KS_TOKEN_RESPONSE_INVALID` for anything else.
 * @example
 * const token = await processClientCredentialsResponse(await clientCredentialsRequest(options))
 * console.log(token.token_type, token.expires_in)
 */
export async function processClientCredentialsResponse(
  response: Response,
  options: ProcessResponseOptions = {},
): Promise<ClientCredentialsResponse> {
  const where = options.tokenUrl === undefined ? '' : ` ${displayUrl(new URL(options.tokenUrl))}`
  const wallNow = options.wallNow ?? Date.now()
  const text = await readText(response)
  if (response.status < 200 || response.status > 299) {
    throw tokenErrorFromResponse(response, parseJson(text), where, wallNow)
  }
  const status = response.status
  if (!isJsonMediaType(mediaType(response))) {
    throw invalid(
      where,
      `answered ${status} with ${mediaType(response) || 'no content type'}, not JSON`,
      status,
    )
  }
  const body = parseJson(text)
  if (!isObject(body))
    throw invalid(where, `answered ${status} with a body that is not a JSON object`, status)
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw invalid(where, 'answered without an access_token', status)
  }
  // https://www.rfc-editor.org/rfc/rfc6749#section-7.1 (token types are case-insensitive)
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
    throw invalid(where, 'answered a token_type other than bearer', status)
  }
  return {
    ...body,
    access_token: body.access_token,
    token_type: body.token_type,
    expires_in: expiresInSeconds(body.expires_in),
    scope: typeof body.scope === 'string' ? body.scope : undefined,
  }
}
