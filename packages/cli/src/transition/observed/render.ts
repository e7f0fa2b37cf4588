/**
 * Human output of `keyshift transition review|plan|status|verify` for an instance of kind `coupa`:
 * tables, and the plan as steps a person follows in Coupa's Setup pages and in keyshift.yaml.
 */
import { table } from '../../output.ts'
import type {
  ObservedPlan,
  ObservedPlanEntry,
  ObservedReview,
  ObservedReviewEntry,
  ObservedStatus,
  ObservedVerify,
} from './reports.ts'

const TOP = 3

function orNone(value: string | null | undefined, none = '-'): string {
  return value === null || value === undefined || value === '' ? none : value
}

function sourceLine(source: 'agent' | 'state_dir', countingSince: string | null): string {
  const from =
    source === 'agent'
      ? 'the running agent'
      : "the agent's state_dir (the agent is not running: up to its last flush)"
  const since = countingSince === null ? 'nothing counted yet' : `counting since ${countingSince}`
  return `From ${from}, ${since}. Only calls made through the agent are seen.`
}

function topCalls(entry: ObservedReviewEntry): string {
  const top = entry.usage.slice(0, TOP).map((u) => `${u.resource}#${u.action} (${u.calls_30d})`)
  const more = entry.usage.length - TOP
  return [...top, ...(more > 0 ? [`+${more} more`] : [])].join(', ') || '-'
}

export function formatObservedReview(review: ObservedReview): string {
  if (review.integrations.length === 0) return `No integration of this instance in the configuration.\n`
  const rows = review.integrations.map((entry) => [
    entry.integration,
    entry.auth,
    orNone(entry.key_fingerprint),
    `${entry.calls.api_key.last_1d}/${entry.calls.api_key.last_7d}/${entry.calls.api_key.last_30d}`,
    `${entry.calls.oauth.last_1d}/${entry.calls.oauth.last_7d}/${entry.calls.oauth.last_30d}`,
    orNone(entry.last_key_call_at, 'never'),
    entry.category,
    topCalls(entry),
  ])
  const headers = [
    'INTEGRATION',
    'AUTH',
    'KEY',
    'KEY CALLS 1D/7D/30D',
    'OAUTH CALLS 1D/7D/30D',
    'LAST KEY CALL',
    'CATEGORY',
    'TOP CALLS',
  ]
  return `${table(headers, rows)}\n${sourceLine(review.source, review.counting_since)}\n`
}

function phaseText(phase: 1 | 2 | null): string {
  if (phase === 1) return 'phase 1 (master data)'
  if (phase === 2) return 'phase 2 (transactional)'
  return 'no phase'
}

function flipLines(instance: string, entry: ObservedPlanEntry, step: number): string[] {
  return [
    `  ${step}. Flip it in keyshift.yaml, under integrations.${entry.integration}:`,
    '       auth: oauth',
    `       client: ${entry.client}`,
    `     The agent reloads the file; then \`keyshift transition status --config keyshift.yaml --instance ${instance}\`.`,
  ]
}

function createSteps(instance: string, entry: ObservedPlanEntry): string[] {
  const lines = [
    '  1. In Coupa: Setup → OAuth2/OpenID Connect Clients → Create.',
    '       Grant type: Client Credentials',
    `       Name: ${entry.client}`,
    `       Tick these scopes: ${entry.scopes.join(', ') || '(none known: see below)'}`,
  ]
  if (entry.unknown.length > 0) {
    lines.push(
      `       Also find in Coupa's scope list the scopes for: ${entry.unknown.join(', ')} (not in Keyshift's catalogue)`,
    )
  }
  lines.push(
    '  2. Save, then copy the Identifier and the Secret that Coupa shows:',
    `       the Secret into your env file (secrets.env, mode 600): ${entry.secret_variable}=<Secret>`,
    `       the client into keyshift.yaml, under instances.${instance}.clients:`,
    `         ${entry.client}:`,
    '           client_id: <Identifier>',
    `           client_secret: \${${entry.secret_variable}}`,
    `           scopes: ${entry.scopes.join(' ')}`,
    ...flipLines(instance, entry, 3),
  )
  return lines
}

function planBlock(instance: string, entry: ObservedPlanEntry): string {
  const head = `${entry.integration}: ${entry.action.replace('_', ' ')}, ${phaseText(entry.phase)}`
  const lines = [head, `  ${entry.reason}`]
  if (entry.action === 'create_client') lines.push(...createSteps(instance, entry))
  if (entry.action === 'use_client') lines.push(...flipLines(instance, entry, 1))
  return lines.join('\n')
}

export function formatObservedPlan(plan: ObservedPlan): string {
  if (plan.integrations.length === 0) return `No integration of this instance in the configuration.\n`
  const blocks = plan.integrations.map((entry) => planBlock(plan.instance, entry))
  return `${blocks.join('\n\n')}\n\n${sourceLine(plan.source, plan.counting_since)}\n`
}

function quietPeriod(seconds: number): string {
  const days = seconds / 86_400
  return Number.isInteger(days) ? `${days} day${days === 1 ? '' : 's'}` : `${seconds} s`
}

export function formatObservedStatus(status: ObservedStatus): string {
  const footer = [
    `Quiet period: ${quietPeriod(status.quiet_period_seconds)} without a call with the key after the move (--quiet-period).`,
    'Ready to revoke: in Coupa, Setup → API Keys → edit the key → Revoke API Key.',
    'Only calls made through the agent are seen: check that nothing else uses the key.',
  ].join('\n')
  if (status.integrations.length === 0)
    return `No integration of this instance in the configuration.\n${footer}\n`
  const rows = status.integrations.map((entry) => [
    entry.integration,
    entry.state,
    orNone(entry.key_fingerprint),
    orNone(entry.client),
    orNone(entry.first_oauth_call_at),
    orNone(entry.last_key_call_at),
    orNone(entry.ready_at),
    entry.reason,
  ])
  const headers = [
    'INTEGRATION',
    'STATE',
    'KEY',
    'CLIENT',
    'FIRST OAUTH CALL',
    'LAST KEY CALL',
    'READY AT',
    'REASON',
  ]
  return `${table(headers, rows)}\n${footer}\n`
}

export function formatObservedVerify(verify: ObservedVerify): string {
  if (verify.regressions.length === 0) {
    return 'No call with a key after its integration moved to OAuth.\n'
  }
  const rows = verify.regressions.map((call) => [
    call.at,
    call.integration,
    `${call.method} ${call.path}`,
    String(call.status),
    call.key_fingerprint,
    `${call.flipped} (moved ${call.flipped_at})`,
  ])
  const headers = ['AT', 'INTEGRATION', 'CALL', 'STATUS', 'KEY', 'KEY OF']
  return `${table(headers, rows)}\n${verify.regressions.length} call(s) with a key after the move: a regression.\n`
}
