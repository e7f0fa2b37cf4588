import type { KeyCategory, ReviewEntry } from '../admin/wire.ts'
import { apiKeyState } from '../api-keys/service.ts'
import { findResource } from '../catalogue/index.ts'
import type { ApiKeyRecord } from '../store/store.ts'
import type { UsageRecord } from '../store/transition-store.ts'
import type { TransitionSnapshot } from './snapshot.ts'
import { useOf } from './snapshot.ts'
import { DAY, iso, isoAt, UNUSED_DAYS } from './time.ts'
import { type ActionCount, actionsSince, callsSince } from './usage-summary.ts'

/** What a key did, who it is, and which kind of data it touched; `rows` are the key's counts. */
export function reviewEntry(
  key: ApiKeyRecord,
  rows: readonly UsageRecord[],
  snapshot: TransitionSnapshot,
): ReviewEntry {
  const { now } = snapshot
  const use = useOf(snapshot, 'api_key', key.id)
  const usage = actionsSince(rows, now - UNUSED_DAYS * DAY)
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    contact_first_name: key.contactFirstName,
    contact_last_name: key.contactLastName,
    contact_login: key.contactLogin,
    contact_email: key.contactEmail,
    created_at: isoAt(key.createdAt),
    expires_on: key.expiresOn,
    state: apiKeyState(key, now),
    last_used_at: iso(use?.lastAt ?? null),
    last_used_from: use?.lastRemoteAddress ?? null,
    last_user_agent: use?.lastUserAgent ?? null,
    calls: {
      last_1d: callsSince(rows, now - DAY),
      last_7d: callsSince(rows, now - 7 * DAY),
      last_30d: callsSince(rows, now - UNUSED_DAYS * DAY),
    },
    usage: usage.map(({ resource, action, calls }) => ({ resource, action, calls_30d: calls })),
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
