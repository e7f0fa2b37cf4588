/**
 * `GET /v1/usage[?since=<ISO time>]`: the UsageReport (usage/report.ts) of what the agent counted,
 * the counts not flushed yet included. Like /healthz and /metrics it needs no secret: it holds no
 * secret (API keys appear as fingerprints, paths without their query) and the agent listens on
 * loopback unless allow_remote says otherwise.
 */
import { AgentError } from '../../errors.ts'
import type { RequestContext } from '../context.ts'
import { sendJson } from '../respond.ts'
import type { RequestTarget } from '../target.ts'

/** The `since` parameter as wall-clock ms, or undefined when absent. */
function sinceOf(target: RequestTarget): number | undefined {
  const since = new URLSearchParams(target.search).get('since')
  if (since === null || since === '') return undefined
  const ms = Date.parse(since)
  if (Number.isNaN(ms)) {
    throw new AgentError(
      'KS_AGENT_BAD_REQUEST',
      'since must be an ISO 8601 time, e.g. /v1/usage?since=2026-12-01T00:00:00Z',
    )
  }
  return ms
}

export async function usage(context: RequestContext): Promise<void> {
  const since = sinceOf(context.target)
  const report = context.deps.usage.report(since)
  if (report === undefined) {
    throw new AgentError(
      'KS_AGENT_USAGE_DISABLED',
      'usage counting is off (usage.enabled: false in the configuration): nothing is counted',
    )
  }
  sendJson(context.res, 200, report)
}
