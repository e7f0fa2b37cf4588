import type { ApiKeyRecord } from '../contract/records.ts'
import type { KeyStatus } from '../contract/reports.ts'
import { iso } from '../contract/views.ts'
import type { TransitionState } from '../contract/wire.ts'
import { type TransitionSnapshot, useOf } from './snapshot.ts'
import { unusedFrom } from './unused.ts'

/**
 * Where a key stands: `revoked`; `ready_to_revoke` once the key has had no call for the quiet
 * period after its client's first call, or for 30 days; `migrating` once the client has called;
 * `in_use` before that.
 */
export function keyStatus(key: ApiKeyRecord, snapshot: TransitionSnapshot, quietPeriodMs: number): KeyStatus {
  const { now } = snapshot
  const clientId = key.replacementClientId
  const client = clientId === null ? undefined : snapshot.clients.find((c) => c.clientId === clientId)
  const lastKeyCall = useOf(snapshot, 'api_key', key.id)?.lastAt ?? null
  const firstOAuthCall = clientId === null ? null : (useOf(snapshot, 'client', clientId)?.firstAt ?? null)
  const entry = (state: TransitionState, reason: string, readyAt: number | null = null): KeyStatus => ({
    key,
    state,
    replacementClientName: client?.name ?? null,
    firstOAuthCallAt: firstOAuthCall,
    lastKeyCallAt: lastKeyCall,
    readyAt,
    reason,
  })
  if (key.revokedAt !== null) return entry('revoked', `revoked at ${iso(key.revokedAt)}`)

  const unusedAt = unusedFrom(key, lastKeyCall, snapshot.countedSince)
  // Quiet since the later of the client's first call and the key's last call.
  const quietAt =
    firstOAuthCall === null ? null : Math.max(firstOAuthCall, lastKeyCall ?? firstOAuthCall) + quietPeriodMs
  if (quietAt !== null && quietAt <= now && quietAt <= unusedAt) {
    const quiet = `${quietPeriodMs / 1000} s`
    return entry(
      'ready_to_revoke',
      `no call with the key for the quiet period (${quiet}) after the client's first call`,
      quietAt,
    )
  }
  if (unusedAt <= now) {
    const never = lastKeyCall === null && key.createdAt >= snapshot.countedSince
    const reason = never ? 'no call with the key since it was made' : 'no call with the key for 30 days'
    return entry('ready_to_revoke', reason, unusedAt)
  }
  if (firstOAuthCall !== null) {
    const reason =
      lastKeyCall !== null && lastKeyCall >= firstOAuthCall
        ? "calls with the key after the client's first call"
        : `no call with the key since the client's first call; ready after the quiet period, at ${iso(quietAt)}`
    return entry('migrating', reason)
  }
  if (lastKeyCall === null) {
    // Made before counting began: calls before then were not seen.
    const reason = Number.isFinite(unusedAt)
      ? `no call counted since ${iso(snapshot.countedSince)}, when counting began; unused at ${iso(unusedAt)}`
      : 'no call counted: no usage ledger has run'
    return entry('in_use', reason)
  }
  if (clientId === null) return entry('in_use', 'the key is used and no OAuth client replaces it yet')
  return entry('in_use', 'the replacement client has made no call yet')
}
