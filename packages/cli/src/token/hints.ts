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

function waitHint(retryAfter: string | null): string {
  if (retryAfter === null) return 'wait a moment and retry'
  if (/^\d+$/.test(retryAfter.trim())) return `wait ${retryAfter.trim()} s (Retry-After) and retry`
  return `wait until ${retryAfter} (Retry-After) and retry`
}

/** The hint for an error code, or for HTTP 429 whatever the code; undefined when there is none. */
export function tokenErrorHint(
  error: string,
  status: number,
  retryAfter: string | null,
  clientId: string,
): string | undefined {
  if (status === 429) return `rate limited: ${waitHint(retryAfter)}`
  return HINTS.get(error)?.(clientId)
}
