/**
 * The UsageReport (report.ts) from what the usage file holds plus, in a running agent, the counts
 * not flushed yet. Pure: store.ts reads the rows (and `readUsageReport` calls this without a
 * running agent), tracker.ts adds the pending counts.
 */
import type { IntegrationAuth } from '../config/types.ts'
import {
  type CallTimes,
  HOUR_MS,
  type HourCount,
  KEY_CALLS_KEPT,
  mergeTimes,
  type UsageBatch,
} from './batch.ts'
import type { IntegrationUsage, KeyCall, KeyUsage, UsageHour, UsageReport } from './report.ts'

const DAY_MS = 86_400_000

/** What a report needs of the usage file (store.ts reads it). */
export interface StoredIntegration {
  integration: string
  instance: string
  auth: IntegrationAuth
  client: string | null
  key_fingerprint: string | null
  flipped_at: number | null
  first_key_call_at: number | null
  last_key_call_at: number | null
  first_oauth_call_at: number | null
  last_oauth_call_at: number | null
}

/** An hourly row of the file: the same shape as the counter's (hour start in wall-clock ms). */
export type StoredHour = HourCount

export interface StoredKeyIntegration {
  key_fingerprint: string
  integration: string
  first_call_at: number
  last_call_at: number
}

export interface StoredKeyCall {
  key_fingerprint: string
  at: number
  integration: string
  method: string
  path: string
  status: number
}

/** Everything a report needs from the file. */
export interface StoredUsage {
  countingSince: number | null
  integrations: StoredIntegration[]
  keyIntegrations: StoredKeyIntegration[]
  /** Newest first. */
  keyCalls: StoredKeyCall[]
  hours: StoredHour[]
}

export interface UsageReportOptions {
  /** Wall-clock ms of the report; default Date.now(). */
  now?: number
  retentionDays: number
  /** Only hours from the one holding this instant (wall-clock ms) on. */
  since?: number | undefined
}

/** The first hour a report shows: retention and `since`, whichever is later. */
export function firstHourShown(now: number, retentionDays: number, since: number | undefined): number {
  const cutoff = now - retentionDays * DAY_MS
  return since === undefined ? cutoff : Math.max(cutoff, since - (since % HOUR_MS))
}

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString()
}

function byFields<T>(...fields: (keyof T)[]): (a: T, b: T) => number {
  return function compare(a, b) {
    for (const field of fields) {
      if (a[field] < b[field]) return -1
      if (a[field] > b[field]) return 1
    }
    return 0
  }
}

function hoursOf(stored: StoredUsage, pending: UsageBatch | undefined, from: number): UsageHour[] {
  const merged = new Map<string, UsageHour>()
  for (const row of [...stored.hours, ...(pending?.hours ?? [])]) {
    if (row.hour < from) continue
    const hour = new Date(row.hour).toISOString()
    const key = JSON.stringify([hour, row.instance, row.integration, row.auth, row.resource, row.action])
    const entry = merged.get(key)
    if (entry !== undefined) entry.calls += row.calls
    else {
      const { instance, integration, auth, resource, action, calls } = row
      merged.set(key, { hour, instance, integration, auth, resource, action, calls })
    }
  }
  return [...merged.values()].sort(byFields('hour', 'instance', 'integration', 'auth', 'resource', 'action'))
}

function integrationsOf(stored: StoredUsage, pending: UsageBatch | undefined): IntegrationUsage[] {
  return stored.integrations.map(function integrationUsage(row): IntegrationUsage {
    const times: CallTimes = {
      firstKey: row.first_key_call_at ?? undefined,
      lastKey: row.last_key_call_at ?? undefined,
      firstOAuth: row.first_oauth_call_at ?? undefined,
      lastOAuth: row.last_oauth_call_at ?? undefined,
    }
    const unflushed = pending?.times.get(row.integration)
    if (unflushed !== undefined) mergeTimes(times, unflushed)
    return {
      integration: row.integration,
      instance: row.instance,
      auth: row.auth,
      client: row.client,
      key_fingerprint: row.key_fingerprint,
      flipped_at: iso(row.flipped_at),
      first_key_call_at: iso(times.firstKey),
      last_key_call_at: iso(times.lastKey),
      first_oauth_call_at: iso(times.firstOAuth),
      last_oauth_call_at: iso(times.lastOAuth),
    }
  })
}

interface KeyAccumulator {
  integrations: Set<string>
  first: number
  last: number
  calls: StoredKeyCall[]
}

function keysOf(stored: StoredUsage, pending: UsageBatch | undefined): KeyUsage[] {
  const keys = new Map<string, KeyAccumulator>()
  function add(fingerprint: string, integration: string, first: number, last: number): KeyAccumulator {
    let key = keys.get(fingerprint)
    if (key === undefined) {
      key = { integrations: new Set(), first, last, calls: [] }
      keys.set(fingerprint, key)
    }
    key.integrations.add(integration)
    key.first = Math.min(key.first, first)
    key.last = Math.max(key.last, last)
    return key
  }
  for (const row of stored.keyIntegrations)
    add(row.key_fingerprint, row.integration, row.first_call_at, row.last_call_at)
  for (const use of pending?.keyUses.values() ?? [])
    add(use.keyFingerprint, use.integration, use.first, use.last)
  for (const [fingerprint, calls] of pending?.keyCalls ?? []) {
    const key = keys.get(fingerprint)
    for (const call of [...calls].reverse()) key?.calls.push({ ...call, key_fingerprint: fingerprint })
  }
  for (const call of stored.keyCalls) keys.get(call.key_fingerprint)?.calls.push(call)
  return [...keys.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([fingerprint, key]) => ({
      key_fingerprint: fingerprint,
      integrations: [...key.integrations].sort(),
      first_call_at: iso(key.first),
      last_call_at: iso(key.last),
      recent_calls: key.calls
        .sort((a, b) => b.at - a.at) // stable: pending (newer) before stored within one ms
        .slice(0, KEY_CALLS_KEPT)
        .map(
          ({ at, integration, method, path, status }): KeyCall => ({
            at: new Date(at).toISOString(),
            integration,
            method,
            path,
            status,
          }),
        ),
    }))
}

/** The report of `stored` and the `pending` counts not flushed yet. */
export function buildUsageReport(
  stored: StoredUsage,
  pending: UsageBatch | undefined,
  options: Required<Pick<UsageReportOptions, 'now'>> & UsageReportOptions,
): UsageReport {
  const from = firstHourShown(options.now, options.retentionDays, options.since)
  const countingSince = stored.countingSince ?? pending?.firstAt
  return {
    generated_at: new Date(options.now).toISOString(),
    counting_since: iso(countingSince),
    retention_days: options.retentionDays,
    integrations: integrationsOf(stored, pending),
    keys: keysOf(stored, pending),
    hours: hoursOf(stored, pending, from),
  }
}
