/**
 * A batch of usage counts: what the counter holds between two flushes, what a flush writes in one
 * transaction and what a report adds to the file's rows. Plain data, and how two are merged.
 */
import type { IntegrationAuth } from '../config/types.ts'

export const HOUR_MS = 3_600_000
/** Recent calls kept per API key (report.ts: KeyUsage.recent_calls). */
export const KEY_CALLS_KEPT = 20

export interface HourCount {
  /** Start of the hour, wall-clock ms. */
  hour: number
  instance: string
  integration: string
  auth: IntegrationAuth
  resource: string
  action: string
  calls: number
}

/** First and last call of an integration with each auth mode, wall-clock ms. */
export interface CallTimes {
  firstKey: number | undefined
  lastKey: number | undefined
  firstOAuth: number | undefined
  lastOAuth: number | undefined
}

export interface KeyCallEntry {
  keyFingerprint: string
  at: number
  integration: string
  method: string
  path: string
  status: number
}

/** First and last call of one API key by one integration, wall-clock ms. */
export interface KeyUse {
  keyFingerprint: string
  integration: string
  first: number
  last: number
}

/** What a flush writes. */
export interface UsageBatch {
  hours: HourCount[]
  /** By integration. */
  times: Map<string, CallTimes>
  /** By key fingerprint, oldest first, at most KEY_CALLS_KEPT each. */
  keyCalls: Map<string, KeyCallEntry[]>
  /** By `<fingerprint>\n<integration>`. */
  keyUses: Map<string, KeyUse>
  /** The earliest call of the batch, or undefined when it is empty. */
  firstAt: number | undefined
}

export function emptyBatch(): UsageBatch {
  return { hours: [], times: new Map(), keyCalls: new Map(), keyUses: new Map(), firstAt: undefined }
}

export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b)
}

function latest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b)
}

/** `into` widened by `times`: the earliest firsts, the latest lasts. */
export function mergeTimes(into: CallTimes, times: CallTimes): void {
  into.firstKey = earliest(into.firstKey, times.firstKey)
  into.lastKey = latest(into.lastKey, times.lastKey)
  into.firstOAuth = earliest(into.firstOAuth, times.firstOAuth)
  into.lastOAuth = latest(into.lastOAuth, times.lastOAuth)
}
