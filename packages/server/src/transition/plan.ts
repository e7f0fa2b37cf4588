import { permissionTable } from '../catalogue/index.ts'
import type { ApiKeyRecord, OAuthClientRecord, UsageRecord } from '../contract/records.ts'
import type { KeyPlan } from '../contract/reports.ts'
import { iso } from '../contract/views.ts'
import { type ClientMatch, findClient, lackingClient, slugOf } from './plan-link.ts'
import { isMasterData } from './review.ts'
import { type TransitionSnapshot, useOf } from './snapshot.ts'
import { DAY, UNUSED_DAYS } from './time.ts'
import { unusedFrom } from './unused.ts'
import { actionsSince } from './usage-summary.ts'

const scopeOf = new Map(permissionTable.map((p) => [p.permission, p.scope]))

/**
 * For each key in use, the least-privilege OAuth client, in phase 1 when it touched only master
 * data: an existing client not yet linked to any key when one fits (`link`, plan-link.ts), else a
 * new one (`replace`) with a login unique among existing clients and the plan; revoke for a key
 * proven unused. Revoked keys are left out.
 */
export function planEntries(
  snapshot: TransitionSnapshot,
  rowsOf: (key: ApiKeyRecord) => readonly UsageRecord[],
): KeyPlan[] {
  const entries = snapshot.keys
    .filter((key) => key.revokedAt === null)
    .map((key) => planEntry(key, rowsOf(key), snapshot))
  chooseClients(entries, snapshot.clients, snapshot.keys)
  return entries
}

/** The entry of one key; a key that needs a client gets `replace` with no client yet. */
function planEntry(key: ApiKeyRecord, rows: readonly UsageRecord[], snapshot: TransitionSnapshot): KeyPlan {
  const used = actionsSince(rows, snapshot.now - UNUSED_DAYS * DAY)
    .map((u) => `${u.resource}#${u.action}`)
    .sort()
  if (used.length === 0) return unusedEntry(key, snapshot)
  const scopes = [...new Set(used.flatMap((permission) => scopeOf.get(permission) ?? []))].sort()
  const phase = used.every((permission) => isMasterData(permission.split('#')[0] ?? '')) ? 1 : 2
  if (key.replacementClientId !== null) {
    const reason = `already linked to the OAuth client ${key.replacementClientId}`
    return { key, action: 'skip', phase, scopes, client: null, reason }
  }
  const reason = `used ${used.join(', ')} in the last 30 days`
  return { key, action: 'replace', phase, scopes, client: null, reason }
}

/** Revoke a key proven unused; skip one made before counting began that counting has not yet covered. */
function unusedEntry(key: ApiKeyRecord, snapshot: TransitionSnapshot): KeyPlan {
  const none = { key, phase: null, scopes: [], client: null }
  const from = unusedFrom(key, useOf(snapshot, 'api_key', key.id)?.lastAt ?? null, snapshot.countedSince)
  if (from <= snapshot.now) return { ...none, action: 'revoke', reason: 'no call in the last 30 days' }
  // Made before counting began, and counting has not yet covered 30 days: no proof either way.
  const reason = Number.isFinite(from)
    ? `no call counted since ${iso(snapshot.countedSince)}, when counting began; unused at ${iso(from)}`
    : 'no call counted: no usage ledger has run'
  return { ...none, action: 'skip', reason }
}

/**
 * Gives each entry that needs a client one: first every existing client named like its key, then
 * any existing client whose scopes cover the key's, each to one key only; else a new client.
 * The clients to choose from are the active ones no key is linked to (a revoked key's link counts).
 */
function chooseClients(
  entries: KeyPlan[],
  clients: readonly OAuthClientRecord[],
  keys: readonly ApiKeyRecord[],
): void {
  const linked = new Set(keys.map((key) => key.replacementClientId))
  let free = clients.filter((client) => client.active && !linked.has(client.clientId))
  const taken = new Set(clients.map((client) => client.login.toLowerCase()))
  const waiting = entries.filter((entry) => entry.action === 'replace' && entry.client === null)
  const lacks = new Map(
    waiting.map((entry) => {
      const lacking = lackingClient(slugOf(entry.key.name), entry.scopes, free)
      const note =
        lacking &&
        `; the client ${lacking.client.login} has the key's name but not ${lacking.missing.join(', ')}`
      return [entry, note ?? '']
    }),
  )
  for (const by of ['name', 'scopes'] as const) {
    for (const entry of waiting) {
      if (entry.client !== null) continue
      const slug = slugOf(entry.key.name)
      const match = findClient(by, slug, entry.scopes, free)
      if (!match) continue
      free = free.filter((client) => client !== match.client)
      const { name, login, clientId } = match.client
      entry.action = 'link'
      entry.client = { name, login, clientId }
      entry.reason += `; link the existing client ${login}: ${linkReason(match, slug)}`
    }
  }
  for (const entry of waiting) {
    if (entry.client === null)
      entry.client = { name: entry.key.name, login: uniqueLogin(entry.key.name, taken) }
    entry.reason += lacks.get(entry) ?? ''
  }
}

/** Why this client: how it was found, and the scopes it has beyond those the key needs. */
function linkReason({ client, by, extra }: ClientMatch, slug: string): string {
  const also = extra.join(', ')
  if (by === 'name') {
    const field = client.login.toLowerCase() === slug ? 'login' : 'name'
    const scopes =
      extra.length === 0 ? 'and it has exactly these scopes' : `and covers these scopes (also ${also})`
    return `its ${field} is the key's name ${scopes}`
  }
  if (extra.length === 0) return 'it has exactly these scopes'
  return `of the unlinked clients whose scopes cover these, it has the fewest extra (${also})`
}

/** `Supplier sync` → `supplier-sync`, then `supplier-sync-2`, … while taken. */
export function uniqueLogin(name: string, taken: Set<string>): string {
  const slug = slugOf(name)
  let login = slug
  for (let n = 2; taken.has(login); n++) login = `${slug}-${n}`
  taken.add(login)
  return login
}
