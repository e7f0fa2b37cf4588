/**
 * The transition of an instance the agent stands in front of, worked out from what the agent saw
 * (its usage report, AGENT.md "Usage") rather than from the instance's admin API: for a real Coupa
 * instance, which shows neither what an integration calls nor which scopes it needs. Pure functions
 * of the report, the configuration's integrations and the time; the words for people are in
 * render.ts.
 *
 * Windows are to the hour: a call counts in "the last 7 days" when its hour overlaps them.
 */
import { findResource, permissionTable } from '@keyshift/server/catalogue'
import type { IntegrationAuth } from '../../agent/config/types.ts'
import type { IntegrationUsage, KeyCall, UsageHour, UsageReport } from '../../agent/usage/report.ts'

const HOUR = 3_600_000
export const DAY = 24 * HOUR
/** No call for this many days: the integration (or key) looks unused. */
export const UNUSED_DAYS = 30

const scopeOfPermission = new Map(permissionTable.map((p) => [p.permission, p.scope]))

/** An integration of the configuration, as the transition needs it (no secret). */
export interface ConfiguredIntegration {
  name: string
  auth: IntegrationAuth
  client: string | undefined
}

/** An OAuth client of the configuration: its name and the scopes it asks for. */
export interface ConfiguredClient {
  name: string
  scopes: string[]
}

/** What the transition reads of one instance: the agent's report and the configuration. */
export interface ObservedInstance {
  instance: string
  report: UsageReport
  /** Where the report came from: the running agent, or its state_dir (up to its last flush). */
  source: 'agent' | 'state_dir'
  integrations: ConfiguredIntegration[]
  clients: ConfiguredClient[]
  now: number
}

export type Category = 'master_data' | 'transactional' | 'both' | 'unused'

export interface CallCounts {
  last_1d: number
  last_7d: number
  last_30d: number
}

export interface ObservedAction {
  resource: string
  action: string
  /** The scope that grants it; null when Keyshift's catalogue does not know the call. */
  scope: string | null
  calls_30d: number
}

export interface ObservedReviewEntry {
  integration: string
  auth: IntegrationAuth
  key_fingerprint: string | null
  calls: Record<IntegrationAuth, CallCounts>
  /** The calls of the last 30 days, most called first. */
  usage: ObservedAction[]
  category: Category
  last_key_call_at: string | null
}

export interface ObservedReview {
  instance: string
  source: ObservedInstance['source']
  counting_since: string | null
  integrations: ObservedReviewEntry[]
}

export type ObservedPlanAction = 'create_client' | 'use_client' | 'moved' | 'unused' | 'not_seen'

export interface ObservedPlanEntry {
  integration: string
  action: ObservedPlanAction
  /** 1: master data only; 2: transactional (or both). Null when there is nothing to move. */
  phase: 1 | 2 | null
  /** The least-privilege scopes, from the calls seen with the key in the last 30 days. */
  scopes: string[]
  /** Calls whose scope Keyshift's catalogue does not know: to be looked up in Coupa's scope list. */
  unknown: string[]
  /** The client to use: an existing one of the configuration (use_client) or the one to create. */
  client: string | null
  /** Where the client's Secret goes (an environment variable of the env file). */
  secret_variable: string | null
  reason: string
}

export interface ObservedPlan {
  instance: string
  source: ObservedInstance['source']
  counting_since: string | null
  integrations: ObservedPlanEntry[]
}

export type ObservedState = 'api_key' | 'oauth' | 'ready_to_revoke' | 'unused'

export interface ObservedStatusEntry {
  integration: string
  state: ObservedState
  client: string | null
  key_fingerprint: string | null
  flipped_at: string | null
  first_oauth_call_at: string | null
  /** The last call made with the integration's key, by any integration. */
  last_key_call_at: string | null
  ready_at: string | null
  reason: string
}

export interface ObservedStatus {
  instance: string
  source: ObservedInstance['source']
  quiet_period_seconds: number
  integrations: ObservedStatusEntry[]
}

export interface Regression extends KeyCall {
  /** The integration that moved off the key. */
  flipped: string
  flipped_at: string
  key_fingerprint: string
}

export interface ObservedVerify {
  instance: string
  source: ObservedInstance['source']
  /** Key calls made after an integration using that key moved to OAuth, newest first. */
  regressions: Regression[]
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString()
}

function ms(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null
  const parsed = Date.parse(value)
  return Number.isNaN(parsed) ? null : parsed
}

/** Hours of `instance` whose hour overlaps the last `days` days. */
function hoursWithin(rows: readonly UsageHour[], now: number, days: number): UsageHour[] {
  const since = now - days * DAY
  return rows.filter((row) => (ms(row.hour) ?? 0) + HOUR > since)
}

function callCounts(rows: readonly UsageHour[], now: number): CallCounts {
  const sum = (days: number) => hoursWithin(rows, now, days).reduce((total, row) => total + row.calls, 0)
  return { last_1d: sum(1), last_7d: sum(7), last_30d: sum(UNUSED_DAYS) }
}

/** The scope that grants `resource#action`, from the server's catalogue (one table, shared). */
export function scopeOf(resource: string, action: string): string | null {
  return scopeOfPermission.get(`${resource}#${action}`) ?? null
}

function actionsOf(rows: readonly UsageHour[]): ObservedAction[] {
  const counts = new Map<string, ObservedAction>()
  for (const row of rows) {
    const key = `${row.resource}#${row.action}`
    const entry = counts.get(key) ?? {
      resource: row.resource,
      action: row.action,
      scope: scopeOf(row.resource, row.action),
      calls_30d: 0,
    }
    entry.calls_30d += row.calls
    counts.set(key, entry)
  }
  return [...counts.values()].sort(
    (a, b) =>
      b.calls_30d - a.calls_30d || `${a.resource}#${a.action}`.localeCompare(`${b.resource}#${b.action}`),
  )
}

/** A resource Keyshift's catalogue does not know counts as transactional: moved in the later phase. */
function isMasterData(resource: string): boolean {
  return findResource(resource)?.category === 'master'
}

export function categoryOf(usage: readonly ObservedAction[]): Category {
  if (usage.length === 0) return 'unused'
  if (usage.every((u) => isMasterData(u.resource))) return 'master_data'
  return usage.some((u) => isMasterData(u.resource)) ? 'both' : 'transactional'
}

/** The report's record of `name`, or an empty one (an integration the agent has not run yet). */
function usageOf(observed: ObservedInstance, integration: ConfiguredIntegration): IntegrationUsage {
  const found = observed.report.integrations.find(
    (entry) => entry.integration === integration.name && entry.instance === observed.instance,
  )
  return (
    found ?? {
      integration: integration.name,
      instance: observed.instance,
      auth: integration.auth,
      client: integration.client ?? null,
      key_fingerprint: null,
      flipped_at: null,
      first_key_call_at: null,
      last_key_call_at: null,
      first_oauth_call_at: null,
      last_oauth_call_at: null,
    }
  )
}

function rowsOf(observed: ObservedInstance, integration: string, auth?: IntegrationAuth): UsageHour[] {
  return observed.report.hours.filter(
    (row) =>
      row.instance === observed.instance &&
      row.integration === integration &&
      (auth === undefined || row.auth === auth),
  )
}

/** Step 1 of the guide: per integration, what it called, how often and with which credential. */
export function observedReview(observed: ObservedInstance): ObservedReview {
  const { now } = observed
  return {
    instance: observed.instance,
    source: observed.source,
    counting_since: observed.report.counting_since,
    integrations: observed.integrations.map((integration) => {
      const record = usageOf(observed, integration)
      const usage = actionsOf(hoursWithin(rowsOf(observed, integration.name), now, UNUSED_DAYS))
      return {
        integration: integration.name,
        auth: integration.auth,
        key_fingerprint: record.key_fingerprint,
        calls: {
          api_key: callCounts(rowsOf(observed, integration.name, 'api_key'), now),
          oauth: callCounts(rowsOf(observed, integration.name, 'oauth'), now),
        },
        usage,
        category: categoryOf(usage),
        last_key_call_at: record.last_key_call_at,
      }
    }),
  }
}

/**
 * The environment variable a client's Secret goes in, as the agent suggests it for
 * `instances.<instance>.clients.<client>.client_secret`.
 */
export function secretVariable(instance: string, client: string): string {
  return `${instance}_${client}_client_secret`.toUpperCase().replace(/[^A-Z0-9_]+/g, '_')
}

/** A client of the configuration whose scopes cover `scopes`, with the fewest extra ones. */
function coveringClient(clients: readonly ConfiguredClient[], scopes: readonly string[]) {
  const covering = clients.filter((client) => scopes.every((scope) => client.scopes.includes(scope)))
  return covering.sort((a, b) => a.scopes.length - b.scopes.length || a.name.localeCompare(b.name))[0]
}

function clientNameFor(integration: string, clients: readonly ConfiguredClient[]): string {
  const taken = new Set(clients.map((client) => client.name))
  let name = integration
  for (let n = 2; taken.has(name); n++) name = `${integration}-${n}`
  return name
}

function planEntry(observed: ObservedInstance, integration: ConfiguredIntegration): ObservedPlanEntry {
  const none = { phase: null, scopes: [], unknown: [], client: null, secret_variable: null }
  if (integration.auth === 'oauth') {
    const reason = `already on OAuth (client ${integration.client}): see \`keyshift transition status\``
    return {
      integration: integration.name,
      action: 'moved',
      ...none,
      client: integration.client ?? null,
      reason,
    }
  }
  const usage = actionsOf(
    hoursWithin(rowsOf(observed, integration.name, 'api_key'), observed.now, UNUSED_DAYS),
  )
  if (usage.length === 0) {
    const since = ms(observed.report.counting_since)
    const counted30 = since !== null && since <= observed.now - UNUSED_DAYS * DAY
    return counted30
      ? {
          integration: integration.name,
          action: 'unused',
          ...none,
          reason: `no call through the agent in the last ${UNUSED_DAYS} days: if nothing else uses its key, revoke the key in Coupa instead of moving it`,
        }
      : {
          integration: integration.name,
          action: 'not_seen',
          ...none,
          reason:
            since === null
              ? 'no call seen yet: run the integration through the agent, then plan again'
              : `no call seen since the agent began counting (${iso(since)}): too soon to plan its scopes`,
        }
  }
  const scopes = [...new Set(usage.flatMap((u) => (u.scope === null ? [] : [u.scope])))].sort()
  const unknown = usage.filter((u) => u.scope === null).map((u) => `${u.resource}#${u.action}`)
  const phase = usage.every((u) => isMasterData(u.resource)) ? 1 : 2
  const used = usage.map((u) => `${u.resource}#${u.action} (${u.calls_30d})`).join(', ')
  const existing = coveringClient(observed.clients, scopes)
  if (existing !== undefined) {
    return {
      integration: integration.name,
      action: 'use_client',
      phase,
      scopes,
      unknown,
      client: existing.name,
      secret_variable: null,
      reason: `client ${existing.name} of the configuration already has the scopes it needs; used ${used} in the last ${UNUSED_DAYS} days`,
    }
  }
  const client = clientNameFor(integration.name, observed.clients)
  return {
    integration: integration.name,
    action: 'create_client',
    phase,
    scopes,
    unknown,
    client,
    secret_variable: secretVariable(observed.instance, client),
    reason: `used ${used} in the last ${UNUSED_DAYS} days`,
  }
}

/** Steps 2 to 5: per integration on an API key, the client to create with the fewest scopes. */
export function observedPlan(observed: ObservedInstance): ObservedPlan {
  const entries = observed.integrations.map((integration) => planEntry(observed, integration))
  const order = (entry: ObservedPlanEntry) => entry.phase ?? 3
  return {
    instance: observed.instance,
    source: observed.source,
    counting_since: observed.report.counting_since,
    integrations: entries.sort((a, b) => order(a) - order(b) || a.integration.localeCompare(b.integration)),
  }
}

/** The integrations of the configuration that use the key `fingerprint` now (on api_key). */
function keyUsers(observed: ObservedInstance, fingerprint: string): string[] {
  return observed.integrations
    .filter((integration) => integration.auth === 'api_key')
    .filter((integration) => usageOf(observed, integration).key_fingerprint === fingerprint)
    .map((integration) => integration.name)
}

function lastCallWithKey(observed: ObservedInstance, fingerprint: string | null): number | null {
  if (fingerprint === null) return null
  return ms(observed.report.keys.find((key) => key.key_fingerprint === fingerprint)?.last_call_at)
}

function statusEntry(
  observed: ObservedInstance,
  integration: ConfiguredIntegration,
  quietMs: number,
): ObservedStatusEntry {
  const { now } = observed
  const record = usageOf(observed, integration)
  const lastKeyCall = lastCallWithKey(observed, record.key_fingerprint) ?? ms(record.last_key_call_at)
  const entry = (
    state: ObservedState,
    reason: string,
    readyAt: number | null = null,
  ): ObservedStatusEntry => ({
    integration: integration.name,
    state,
    client: integration.auth === 'oauth' ? (integration.client ?? null) : null,
    key_fingerprint: record.key_fingerprint,
    flipped_at: record.flipped_at,
    first_oauth_call_at: record.first_oauth_call_at,
    last_key_call_at: iso(lastKeyCall),
    ready_at: iso(readyAt),
    reason,
  })
  if (integration.auth === 'api_key') {
    const since = ms(observed.report.counting_since)
    const quietFor30 = (lastKeyCall ?? since ?? now) <= now - UNUSED_DAYS * DAY
    if (since !== null && quietFor30) {
      return entry('unused', `no call with the key through the agent for ${UNUSED_DAYS} days`)
    }
    return entry('api_key', 'on the API key: see `keyshift transition plan` for its client')
  }
  const flipped = ms(record.flipped_at)
  if (flipped === null || record.key_fingerprint === null) {
    return entry('oauth', 'on OAuth, and never seen on an API key by this agent: no key to revoke here')
  }
  const stillUsing = keyUsers(observed, record.key_fingerprint)
  if (stillUsing.length > 0) {
    return entry('oauth', `its key is still used by ${stillUsing.join(', ')} (on api_key)`)
  }
  const firstOAuth = ms(record.first_oauth_call_at)
  if (firstOAuth === null) return entry('oauth', `moved to OAuth at ${record.flipped_at}; no OAuth call yet`)
  // Quiet since the latest of the flip, the first OAuth call and the last call with the key.
  const readyAt = Math.max(flipped, firstOAuth, lastKeyCall ?? flipped) + quietMs
  if (readyAt <= now) {
    return entry(
      'ready_to_revoke',
      `no call with the key through the agent for the quiet period (${quietMs / 1000} s) after the move: revoke it in Coupa`,
      readyAt,
    )
  }
  const after = lastKeyCall !== null && lastKeyCall > flipped
  const reason = after
    ? `a call with the key after the move, at ${iso(lastKeyCall)} (see \`keyshift transition verify\`)`
    : 'no call with the key since the move'
  return entry('oauth', `${reason}; ready after the quiet period, at ${iso(readyAt)}`, null)
}

/** Per integration: on its key, moved to OAuth, or ready for its key to be revoked in Coupa. */
export function observedStatus(observed: ObservedInstance, quietPeriodSeconds: number): ObservedStatus {
  return {
    instance: observed.instance,
    source: observed.source,
    quiet_period_seconds: quietPeriodSeconds,
    integrations: observed.integrations.map((integration) =>
      statusEntry(observed, integration, quietPeriodSeconds * 1000),
    ),
  }
}

/** Every call with a key made after an integration that used that key moved to OAuth. */
export function observedVerify(observed: ObservedInstance): ObservedVerify {
  const regressions: Regression[] = []
  for (const integration of observed.integrations) {
    if (integration.auth !== 'oauth') continue
    const record = usageOf(observed, integration)
    const flipped = ms(record.flipped_at)
    if (flipped === null || record.key_fingerprint === null) continue
    const key = observed.report.keys.find((candidate) => candidate.key_fingerprint === record.key_fingerprint)
    for (const call of key?.recent_calls ?? []) {
      if ((ms(call.at) ?? 0) <= flipped) continue
      regressions.push({
        ...call,
        flipped: integration.name,
        flipped_at: record.flipped_at as string,
        key_fingerprint: record.key_fingerprint,
      })
    }
  }
  regressions.sort((a, b) => b.at.localeCompare(a.at))
  return { instance: observed.instance, source: observed.source, regressions }
}
