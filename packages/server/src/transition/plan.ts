import { permissionTable } from '../catalogue/index.ts'
import type { ApiKeyRecord, UsageRecord } from '../contract/records.ts'
import type { KeyPlan } from '../contract/reports.ts'
import { iso } from '../contract/views.ts'
import { isMasterData } from './review.ts'
import { type TransitionSnapshot, useOf } from './snapshot.ts'
import { DAY, UNUSED_DAYS } from './time.ts'
import { unusedFrom } from './unused.ts'
import { actionsSince } from './usage-summary.ts'

const scopeOf = new Map(permissionTable.map((p) => [p.permission, p.scope]))

/**
 * The least-privilege OAuth client for each key in use, in phase 1 when it touched only master
 * data; revoke for a key proven unused. Revoked keys are left out. `takenLogins`: the logins of
 * existing clients; each planned login is made unique among them and the plan.
 */
export function planEntries(
  snapshot: TransitionSnapshot,
  rowsOf: (key: ApiKeyRecord) => readonly UsageRecord[],
  takenLogins: Iterable<string>,
): KeyPlan[] {
  const taken = new Set([...takenLogins].map((login) => login.toLowerCase()))
  const entries: KeyPlan[] = []
  for (const key of snapshot.keys) {
    if (key.revokedAt !== null) continue
    entries.push(planEntry(key, rowsOf(key), snapshot, taken))
  }
  return entries
}

function planEntry(
  key: ApiKeyRecord,
  rows: readonly UsageRecord[],
  snapshot: TransitionSnapshot,
  taken: Set<string>,
): KeyPlan {
  const base = { key }
  const used = actionsSince(rows, snapshot.now - UNUSED_DAYS * DAY)
    .map((u) => `${u.resource}#${u.action}`)
    .sort()
  if (used.length === 0) {
    const from = unusedFrom(key, useOf(snapshot, 'api_key', key.id)?.lastAt ?? null, snapshot.countedSince)
    if (from <= snapshot.now) {
      return {
        ...base,
        action: 'revoke',
        phase: null,
        scopes: [],
        client: null,
        reason: 'no call in the last 30 days',
      }
    }
    // Made before counting began, and counting has not yet covered 30 days: no proof either way.
    const reason = Number.isFinite(from)
      ? `no call counted since ${iso(snapshot.countedSince)}, when counting began; unused at ${iso(from)}`
      : 'no call counted: no usage ledger has run'
    return { ...base, action: 'skip', phase: null, scopes: [], client: null, reason }
  }
  const scopes = [...new Set(used.flatMap((permission) => scopeOf.get(permission) ?? []))].sort()
  const phase = used.every((permission) => isMasterData(permission.split('#')[0] ?? '')) ? 1 : 2
  if (key.replacementClientId !== null) {
    const reason = `already linked to the OAuth client ${key.replacementClientId}`
    return { ...base, action: 'skip', phase, scopes, client: null, reason }
  }
  const client = { name: key.name, login: uniqueLogin(key.name, taken) }
  const reason = `used ${used.join(', ')} in the last 30 days`
  return { ...base, action: 'replace', phase, scopes, client, reason }
}

/** `Supplier sync` → `supplier-sync`, then `supplier-sync-2`, … while taken. */
export function uniqueLogin(name: string, taken: Set<string>): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 200) || 'integration'
  let login = slug
  for (let n = 2; taken.has(login); n++) login = `${slug}-${n}`
  taken.add(login)
  return login
}
