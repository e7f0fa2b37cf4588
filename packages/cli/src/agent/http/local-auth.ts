/**
 * How an integration proves itself to the agent: its own local secret, as
 * `Authorization: Bearer <local_secret>` or `X-Keyshift-Agent-Secret: <local_secret>`. The first
 * step of every endpoint that serves an integration.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { localSecretDigest } from '../config/resolve.ts'
import { AgentError } from '../errors.ts'
import type { IntegrationRoute } from '../state.ts'
import type { RequestContext } from './context.ts'

const AGENT_SECRET_HEADER = 'x-keyshift-agent-secret'

/** The local secret presented with a request, if any. */
function presentedSecret(headers: IncomingHttpHeaders): string | undefined {
  const header = headers[AGENT_SECRET_HEADER]
  if (typeof header === 'string' && header !== '') return header
  // https://www.rfc-editor.org/rfc/rfc6750#section-2.1: the scheme is case-insensitive.
  const match = /^Bearer +(\S+) *$/i.exec(headers.authorization ?? '')
  return match?.[1]
}

/**
 * The route of integration `name` in the request's snapshot, once the request has proved to come
 * from it. The comparison is of SHA-256 digests with `timingSafeEqual`: equal lengths whatever was
 * sent, and no early exit. A refusal is counted in keyshift_agent_local_auth_failures_total.
 *
 * @throws {AgentError} KS_AGENT_UNKNOWN_INTEGRATION, or KS_AGENT_UNAUTHORIZED when the secret is
 *   missing or wrong.
 */
export function authenticateIntegration(context: RequestContext, name: string): IntegrationRoute {
  const route = context.state.integrations.get(name)
  if (route === undefined) {
    throw new AgentError(
      'KS_AGENT_UNKNOWN_INTEGRATION',
      `no integration named ${name} in the agent's configuration`,
    )
  }
  const secret = presentedSecret(context.req.headers)
  const matches = timingSafeEqual(localSecretDigest(secret ?? ''), route.localSecretDigest)
  if (secret !== undefined && matches) return route
  context.deps.metrics.localAuthFailures.inc({ integration: route.name })
  const message =
    secret === undefined
      ? `integration ${route.name}: no local secret; send Authorization: Bearer <local_secret> or X-Keyshift-Agent-Secret`
      : `integration ${route.name}: wrong local secret`
  throw new AgentError('KS_AGENT_UNAUTHORIZED', message, {
    headers: { 'www-authenticate': 'Bearer realm="keyshift-agent"' },
  })
}
