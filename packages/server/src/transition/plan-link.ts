import type { OAuthClientRecord } from '../contract/records.ts'

/** An existing client the plan may link to a key, and how it was found. */
export interface ClientMatch {
  client: OAuthClientRecord
  /** `name`: its login or name is the key's slug; `scopes`: its scopes cover the key's use. */
  by: 'name' | 'scopes'
  /** The client's scopes beyond those the key needs, sorted. */
  extra: string[]
}

/**
 * The existing client to link to a key that needs `scopes`, among `free` (active clients that no
 * key is linked to and the plan has not given to another key), found `by` its login (else name)
 * being the key's slug, or by its scopes covering the key's; the fewest extra scopes first, then the
 * oldest. A client never matches a key that needs no scope.
 */
export function findClient(
  by: ClientMatch['by'],
  slug: string,
  scopes: readonly string[],
  free: readonly OAuthClientRecord[],
): ClientMatch | undefined {
  if (scopes.length === 0) return undefined
  const candidates = by === 'name' ? free.filter((client) => isNamed(client, slug)) : free
  return candidates
    .filter((client) => covers(client, scopes))
    .map((client) => ({ client, by, extra: client.scopes.filter((s) => !scopes.includes(s)).sort() }))
    .sort(
      (a, b) =>
        rankOf(a, slug) - rankOf(b, slug) ||
        a.extra.length - b.extra.length ||
        a.client.createdAt - b.client.createdAt ||
        a.client.login.localeCompare(b.client.login),
    )[0]
}

/** A free client named like the key that cannot replace it, and the scopes it lacks. */
export function lackingClient(
  slug: string,
  scopes: readonly string[],
  free: readonly OAuthClientRecord[],
): { client: OAuthClientRecord; missing: string[] } | undefined {
  const client = free.find((c) => isNamed(c, slug) && !covers(c, scopes))
  return client && { client, missing: scopes.filter((scope) => !client.scopes.includes(scope)) }
}

function isNamed(client: OAuthClientRecord, slug: string): boolean {
  return client.login.toLowerCase() === slug || slugOf(client.name) === slug
}

/** A login that is the slug ranks before a name that is. */
function rankOf(match: ClientMatch, slug: string): number {
  return match.by === 'name' && match.client.login.toLowerCase() !== slug ? 1 : 0
}

function covers(client: OAuthClientRecord, scopes: readonly string[]): boolean {
  return scopes.every((scope) => client.scopes.includes(scope))
}

/** `Supplier sync` → `supplier-sync`: lowercase, dashes, no accents; `integration` when nothing is left. */
export function slugOf(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 200) || 'integration'
  )
}
