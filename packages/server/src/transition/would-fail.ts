import type { ApiKeyRecord, UsageRecord } from '../contract/records.ts'
import type { CallsThatWouldFail } from '../contract/reports.ts'
import { type TransitionSnapshot, useOf } from './snapshot.ts'
import { DAY } from './time.ts'
import { actionsSince, callsSince } from './usage-summary.ts'

/** How far back a revoke looks for the calls it would fail. */
export const WOULD_FAIL_WINDOW = 7 * DAY

/**
 * The calls of a key that a revoke would fail from now on. Once its replacement client has called,
 * the calls before that call were the integration before it moved: only the key's calls since the
 * client's first call count (`client_first_call`). With no client, or one that has not called, or
 * one that first called more than 7 days ago, the calls of the last 7 days count (`last_7_days`).
 *
 * The ledger counts per hour, so the hour that contains the start counts whole (usage-summary.ts
 * `endsAfter`): calls made minutes before the client's first call may be counted, none after it is
 * missed. The key's last call is kept to the millisecond: when it came before the start, nothing
 * counts. `rows`: the key's counts of (at least) the last 7 days.
 */
export function callsThatWouldFail(
  key: ApiKeyRecord,
  rows: readonly UsageRecord[],
  snapshot: TransitionSnapshot,
): CallsThatWouldFail {
  const windowStart = snapshot.now - WOULD_FAIL_WINDOW
  const clientId = key.replacementClientId
  const firstOAuthCall = clientId === null ? null : (useOf(snapshot, 'client', clientId)?.firstAt ?? null)
  const fromClient = firstOAuthCall !== null && firstOAuthCall > windowStart
  const countedSince = fromClient ? firstOAuthCall : windowStart
  const lastKeyCall = useOf(snapshot, 'api_key', key.id)?.lastAt ?? null
  // Without a recorded last call (its write failed and waits for the next flush), the rows decide.
  const counted = lastKeyCall !== null && lastKeyCall < countedSince ? [] : rows
  return {
    countedFrom: fromClient ? 'client_first_call' : 'last_7_days',
    countedSince,
    calls7d: callsSince(counted, countedSince),
    usage7d: actionsSince(counted, countedSince),
  }
}
