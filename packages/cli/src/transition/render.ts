/** Human output of `keyshift transition review`, `plan`, `status` and `revoke`. */
import type {
  Plan,
  Review,
  ReviewEntry,
  RevokeAnswer,
  RevokeResult,
  RevokeUsage,
  Status,
} from '@keyshift/server/admin-api'
import { table } from '../output.ts'
import { shortIds } from './key-refs.ts'

/** How many of a key's most used resources the review shows. */
const TOP_RESOURCES = 3

function orNone(value: string | null | undefined, none = '-'): string {
  return value === null || value === undefined || value === '' ? none : value
}

function topResources(key: ReviewEntry): string {
  const top = key.usage
    .slice(0, TOP_RESOURCES)
    .map((usage) => `${usage.resource}#${usage.action} (${usage.calls_30d})`)
  const more = key.usage.length - TOP_RESOURCES
  return [...top, ...(more > 0 ? [`+${more} more`] : [])].join(', ') || '-'
}

export function formatReview(review: Review): string {
  if (review.api_keys.length === 0) return 'No API keys: nothing to move to OAuth 2.0.\n'
  const ids = shortIds(review.api_keys.map((key) => key.id))
  const rows = review.api_keys.map((key) => [
    ids.get(key.id) ?? key.id,
    key.name,
    key.contact_login,
    key.state,
    orNone(key.last_used_at, 'never'),
    String(key.calls.last_1d),
    String(key.calls.last_7d),
    String(key.calls.last_30d),
    key.category,
    topResources(key),
  ])
  const headers = [
    'ID',
    'NAME',
    'CONTACT LOGIN',
    'STATE',
    'LAST USED',
    '1D',
    '7D',
    '30D',
    'CATEGORY',
    'TOP RESOURCES',
  ]
  return `${table(headers, rows)}\n`
}

export function formatPlan(plan: Plan): string {
  if (plan.keys.length === 0) return 'No API keys to replace or revoke.\n'
  const rows = plan.keys.map((key) => [
    key.api_key_name,
    key.action,
    key.phase === null ? '-' : String(key.phase),
    orNone(key.client?.login),
    key.scopes.join(' ') || '-',
    key.reason,
  ])
  return `${table(['NAME', 'ACTION', 'PHASE', 'CLIENT LOGIN', 'SCOPES', 'REASON'], rows)}\n`
}

function quietPeriod(seconds: number): string {
  const days = seconds / 86_400
  return Number.isInteger(days) ? `${days} day${days === 1 ? '' : 's'}` : `${seconds} s`
}

export function formatStatus(status: Status): string {
  const footer = `Quiet period: ${quietPeriod(status.quiet_period_seconds)} without a key call after the client's first call.\n`
  if (status.keys.length === 0) return `No API keys.\n${footer}`
  const ids = shortIds(status.keys.map((key) => key.api_key_id))
  const rows = status.keys.map((key) => [
    ids.get(key.api_key_id) ?? key.api_key_id,
    key.api_key_name,
    key.state,
    orNone(key.replacement_client_name ?? key.replacement_client_id),
    orNone(key.first_oauth_call_at),
    orNone(key.last_key_call_at),
    orNone(key.ready_at),
    orNone(key.reason),
  ])
  const headers = [
    'ID',
    'NAME',
    'STATE',
    'REPLACEMENT CLIENT',
    'FIRST OAUTH CALL',
    'LAST KEY CALL',
    'READY AT',
    'REASON',
  ]
  return `${table(headers, rows)}\n${footer}`
}

function usageCalls(usage: RevokeUsage): string {
  return `${usage.resource}#${usage.action} ${usage.calls_7d}`
}

function revokeLine(result: RevokeResult, dryRun: boolean): string {
  const name = `${result.api_key_name} (${result.api_key_id})`
  if (result.refused !== null) return `${dryRun ? 'would refuse' : 'refused'}  ${name}: ${result.refused}`
  return `${dryRun ? 'would revoke' : 'revoked'}  ${name}`
}

/**
 * Which calls the server counted: since the replacement client's first call (`counted_from:
 * client_first_call`, at `counted_since`), or the last 7 days (`last_7_days`, or an older server
 * that does not say).
 */
export function countedCalls(result: RevokeResult): string {
  const { counted_from, counted_since } = result as Partial<
    Pick<RevokeResult, 'counted_from' | 'counted_since'>
  >
  if (counted_from === 'client_first_call' && typeof counted_since === 'string')
    return `calls since its client's first call at ${counted_since}`
  return 'calls in the last 7 days'
}

/** One line per key; with `--dry-run`, the calls that would have failed (the last 7 days'). */
export function formatRevoke(answer: RevokeAnswer): string {
  if (answer.results.length === 0) return 'No API key to revoke.\n'
  const lines = answer.results.flatMap((result) => {
    const line = revokeLine(result, answer.dry_run)
    if (!answer.dry_run) return [line]
    const usage = result.usage_7d.map(usageCalls).join(', ')
    const calls = `  ${countedCalls(result)} that would have failed: ${result.calls_7d}`
    return [line, usage === '' ? calls : `${calls} (${usage})`]
  })
  const note = answer.dry_run ? ['', 'Dry run: nothing was revoked.'] : []
  return `${[...lines, ...note].join('\n')}\n`
}
