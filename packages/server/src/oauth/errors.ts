/**
 * OAuth 2.0 errors. Handlers only throw these; `error-handler.ts` renders them.
 * https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'slow_down'
  | 'server_error'
  | 'temporarily_unavailable'

export class OAuthError extends Error {
  /** Extra response headers (`WWW-Authenticate`, `Retry-After`). */
  headers: Record<string, string> = {}
  constructor(
    readonly error: OAuthErrorCode,
    readonly errorDescription: string,
    readonly statusCode = 400,
    /** False: the client sees a generic server_error and the detail goes only to the log. */
    readonly expose = true,
  ) {
    super(errorDescription)
    this.name = 'OAuthError'
  }

  get body(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.errorDescription }
  }
}

export const invalidRequest = (description: string) => new OAuthError('invalid_request', description)
export const invalidScope = (description: string) => new OAuthError('invalid_scope', description)
export const unsupportedGrantType = (grantType: string) =>
  new OAuthError(
    'unsupported_grant_type',
    `grant_type ${JSON.stringify(grantType.slice(0, 64))} is not supported; this instance issues tokens only with grant_type=client_credentials`,
  )

/**
 * One description for an unknown client, a wrong secret and a deactivated client, so that
 * client ids cannot be probed. The real reason goes to the log as `reason`.
 * https://www.rfc-editor.org/rfc/rfc6749#section-5.2 (invalid_client)
 */
export class InvalidClientError extends OAuthError {
  constructor(
    readonly reason: string,
    usedBasic: boolean,
    realm: string,
  ) {
    super('invalid_client', 'client authentication failed', 401)
    // "MUST ... include the WWW-Authenticate response header field matching the authentication
    // scheme used by the client" when it used the Authorization header.
    if (usedBasic) this.headers['www-authenticate'] = `Basic realm="${realm}", charset="UTF-8"`
  }
}

export class TooManyAttemptsError extends OAuthError {
  constructor(retryAfterSeconds: number) {
    super('invalid_request', `too many failed authentications; retry after ${retryAfterSeconds} seconds`, 429)
    this.headers['retry-after'] = String(retryAfterSeconds)
  }
}
