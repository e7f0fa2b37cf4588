/** What to do about each token endpoint error, in one table. */

const HINTS = new Map<string, (clientId: string) => string>([
  [
    'invalid_client',
    () =>
      'check the Identifier (--client-id) and the Secret (KEYSHIFT_CLIENT_SECRET), and that the client is active',
  ],
  [
    'invalid_scope',
    (clientId) =>
      `the client lacks a requested scope; compare --scope with its Oidc Scopes: keyshift admin clients show ${clientId}`,
  ],
  [
    'unsupported_grant_type',
    () => 'the endpoint does not offer grant_type=client_credentials; check that --url is the token endpoint',
  ],
  [
    'invalid_request',
    () => 'the request is malformed or incomplete; check --client-id and --scope, or try --basic',
  ],
  [
    'unauthorized_client',
    (clientId) =>
      `the client may not use client_credentials; check it: keyshift admin clients show ${clientId}`,
  ],
])

/** What to do about a 429, from the wait `Retry-After` asked for (in ms, as the library reads it). */
export function rateLimitHint(retryAfterMs: number | undefined): string {
  if (retryAfterMs === undefined || retryAfterMs <= 0) return 'rate limited: wait a moment and retry'
  return `rate limited: wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After) and retry`
}

/** The hint for an error code, or for HTTP 429 whatever the code; undefined when there is none. */
export function tokenErrorHint(
  error: string,
  status: number | undefined,
  retryAfterMs: number | undefined,
  clientId: string,
): string | undefined {
  if (status === 429) return rateLimitHint(retryAfterMs)
  return HINTS.get(error)?.(clientId)
}
