import type { ScopeView } from './types.ts'

/**
 * The heading a scope is listed under, so that some 200 scopes stay findable: its core API family
 * (`core.inventory` holds `core.inventory.receiving.read`, …), its other service
 * (`travel_booking`), or OpenID Connect.
 */
export function scopeGroup(scope: ScopeView): string {
  if (scope.service === 'oidc') return 'OpenID Connect'
  if (scope.service !== 'core') return scope.service
  return `core.${scope.object.split('.')[0]}`
}

/** Core API families first, A to Z, then the other services, then OpenID Connect. */
function groupRank(scope: ScopeView): number {
  if (scope.service === 'core') return 0
  return scope.service === 'oidc' ? 2 : 1
}

/** The scopes by group, groups in order; within a group, the catalogue's order. */
export function scopesByGroup(scopes: readonly ScopeView[]): Array<[group: string, scopes: ScopeView[]]> {
  const groups = new Map<string, { rank: number; scopes: ScopeView[] }>()
  for (const scope of scopes) {
    const group = scopeGroup(scope)
    const entry = groups.get(group) ?? { rank: groupRank(scope), scopes: [] }
    entry.scopes.push(scope)
    groups.set(group, entry)
  }
  return [...groups.entries()]
    .sort(([a, x], [b, y]) => x.rank - y.rank || a.localeCompare(b))
    .map(([group, { scopes }]) => [group, scopes])
}
