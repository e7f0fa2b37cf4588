import { findResource } from '../catalogue/index.ts'
import type { ApiKeyRecord, UsageRecord } from '../contract/records.ts'
import type { ActionCount, KeyReview } from '../contract/reports.ts'
import type { KeyCategory } from '../contract/wire.ts'
import type { TransitionSnapshot } from './snapshot.ts'
import { useOf } from './snapshot.ts'
import { DAY, UNUSED_DAYS } from './time.ts'
import { actionsSince, callsSince } from './usage-summary.ts'

/** What a key did, who it is, and which kind of data it touched; `rows` are the key's counts. */
export function reviewEntry(
  key: ApiKeyRecord,
  rows: readonly UsageRecord[],
  snapshot: TransitionSnapshot,
): KeyReview {
  const { now } = snapshot
  const usage = actionsSince(rows, now - UNUSED_DAYS * DAY)
  return {
    key,
    lastUse: useOf(snapshot, 'api_key', key.id),
    calls: {
      last1d: callsSince(rows, now - DAY),
      last7d: callsSince(rows, now - 7 * DAY),
      last30d: callsSince(rows, now - UNUSED_DAYS * DAY),
    },
    usage,
    category: categoryOf(usage),
  }
}

/** From the resources called: master data only, transactional only, both, or none (unused). */
export function categoryOf(usage: readonly ActionCount[]): KeyCategory {
  if (usage.length === 0) return 'unused'
  const master = usage.every((u) => isMasterData(u.resource))
  if (master) return 'master_data'
  return usage.some((u) => isMasterData(u.resource)) ? 'both' : 'transactional'
}

/** A resource the catalogue does not know counts as transactional: moved in the later phase. */
export function isMasterData(resource: string): boolean {
  return findResource(resource)?.category === 'master'
}
