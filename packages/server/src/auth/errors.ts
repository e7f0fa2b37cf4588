/**
 * Why a core API request is refused before it reaches its resource: both kinds of credentials
 * (400), none or bad ones (401), a missing scope or permission (403), too many requests (429).
 * The API plugin renders it in Coupa's error format, with these headers (the RFC 6750 challenge,
 * Retry-After, the deprecation signals of an API key).
 */
export class AuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 429,
    readonly messages: string[],
    readonly headers: Readonly<Record<string, string>> = {},
    /** Key of the JSON error body used as is (`api_key_brownout`); the route's resource otherwise. */
    readonly errorKey?: string,
  ) {
    super(messages.join('; '))
    this.name = 'AuthError'
  }
}
