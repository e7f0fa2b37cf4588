/**
 * `GET /metrics`: Prometheus text. Token gauges are read from the current snapshot's managers; the
 * request counters and the latency histogram live as long as the agent.
 */
import type { AgentState } from '../../state.ts'
import { renderSamples, type Sample } from '../../telemetry/metrics.ts'
import { isUsable } from '../../tokens/status.ts'
import type { RequestContext } from '../context.ts'
import { sendText } from '../respond.ts'

function tokenLines(state: AgentState, now: number): string[] {
  const age: Sample[] = []
  const expiry: Sample[] = []
  const usable: Sample[] = []
  const failures: Sample[] = []
  for (const entry of state.clients.values()) {
    const labels = { instance: entry.config.instance, client: entry.config.name }
    const ageSeconds = entry.status.ageSeconds(now)
    const expiresIn = entry.status.expiresInSeconds(now)
    if (ageSeconds !== undefined) age.push({ labels, value: ageSeconds })
    if (expiresIn !== undefined) expiry.push({ labels, value: expiresIn })
    usable.push({ labels, value: isUsable(entry.status.state(now)) ? 1 : 0 })
    for (const [code, count] of entry.status.failures())
      failures.push({ labels: { ...labels, code }, value: count })
  }
  return [
    ...renderSamples(
      'keyshift_agent_token_age_seconds',
      'gauge',
      'Seconds since the current token was acquired.',
      age,
    ),
    ...renderSamples(
      'keyshift_agent_token_expires_in_seconds',
      'gauge',
      'Seconds until the current token expires.',
      expiry,
    ),
    ...renderSamples(
      'keyshift_agent_token_usable',
      'gauge',
      '1 while the client has a token that is handed out.',
      usable,
    ),
    ...renderSamples(
      'keyshift_agent_token_refresh_failures_total',
      'counter',
      'Failed token requests, by client and error code.',
      failures,
    ),
  ]
}

function integrationLines(state: AgentState): string[] {
  const samples = [...state.integrations.values()].map((route) => ({
    labels: { integration: route.name, instance: route.instance, auth: route.auth },
    value: 1,
  }))
  return renderSamples(
    'keyshift_agent_integration_info',
    'gauge',
    'Each integration and its current auth mode.',
    samples,
  )
}

export async function metrics(context: RequestContext): Promise<void> {
  const { deps, state } = context
  const own = deps.metrics
  const lines = [
    ...tokenLines(state, deps.now()),
    ...integrationLines(state),
    ...own.requests.render(),
    ...own.upstreamSeconds.render(),
    ...own.replays.render(),
    ...own.localAuthFailures.render(),
    ...own.reloads.render(),
    ...deps.usage.metricLines(),
  ]
  sendText(context.res, 200, 'text/plain; version=0.0.4; charset=utf-8', `${lines.join('\n')}\n`)
}
