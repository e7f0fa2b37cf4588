/**
 * How an integration proves itself to the agent: its own local secret, as
 * `Authorization: Bearer <local_secret>` or `X-Keyshift-Agent-Secret: <local_secret>`.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { AgentError } from './errors.ts'
import type { IntegrationRoute } from './state.ts'

export const AGENT_SECRET_HEADER = 'x-keyshift-agent-secret'

/** The local secret presented with a request, if any. */
export function presentedSecret(headers: IncomingHttpHeaders): string | undefined {
  const header = headers[AGENT_SECRET_HEADER]
  if (typeof header === 'string' && header !== '') return header
  // https://www.rfc-editor.org/rfc/rfc6750#section-2.1: the scheme is case-insensitive.
  const match = /^Bearer +(\S+) *$/i.exec(headers.authorization ?? '')
  return match?.[1]
}

/**
 * Checks the local secret of a request for `route`. The comparison is of SHA-256 digests with
 * `timingSafeEqual`: equal lengths whatever was sent, and no early exit.
 *
 * @throws {AgentError} KS_AGENT_UNAUTHORIZED when it is missing or wrong.
 */
export function authenticateIntegration(headers: IncomingHttpHeaders, route: IntegrationRoute): void {
  const secret = presentedSecret(headers)
  const digest = createHash('sha256')
    .update(secret ?? '', 'utf8')
    .digest()
  const matches = timingSafeEqual(digest, route.localSecretDigest)
  if (secret !== undefined && matches) return
  const message =
    secret === undefined
      ? `integration ${route.name}: no local secret; send Authorization: Bearer <local_secret> or X-Keyshift-Agent-Secret`
      : `integration ${route.name}: wrong local secret`
  throw new AgentError('KS_AGENT_UNAUTHORIZED', message, {
    headers: { 'www-authenticate': 'Bearer realm="keyshift-agent"' },
  })
}
