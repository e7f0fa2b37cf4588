/**
 * What each scope allows: the `resource#action` permissions of every resource, each with the scope
 * that grants it. A scope grants actions, never HTTP verbs: the read scope grants index and show,
 * the create and update scopes their action, and each custom action its own scope
 * (coupa-api-facts.md §2.2). Auth, the admin API, the transition planner and the docs read this.
 */
import type { ResourceDefinition } from './definitions.ts'
import { nestedPermissions } from './nested.ts'
import { resources } from './resources/index.ts'
import type { ScopeName } from './scopes.ts'

/** One `resource#action` permission and the scope that grants it. */
export interface ResourcePermission {
  /** `invoices#void` */
  permission: string
  resource: string
  action: string
  scope: ScopeName
}

/** Every permission of a resource: index, show, create, update, then its custom actions. */
function permissionsOf(resource: ResourceDefinition): ResourcePermission[] {
  const grant = (action: string, scope: ScopeName): ResourcePermission => ({
    permission: `${resource.name}#${action}`,
    resource: resource.name,
    action,
    scope,
  })
  return [
    grant('index', resource.scopes.read),
    grant('show', resource.scopes.read),
    grant('create', resource.scopes.create),
    grant('update', resource.scopes.update),
    ...(resource.actions ?? []).map((action) => grant(action.name, action.scope)),
  ]
}

/**
 * Every permission of every resource, with its scope, then those of the sub-resources under a
 * record (attachments, comments, image scans: nested.ts).
 */
export const permissionTable: readonly ResourcePermission[] = Object.freeze([
  ...resources.flatMap(permissionsOf),
  ...nestedPermissions.map(({ resource, action, scope }) => ({
    permission: `${resource}#${action}`,
    resource,
    action,
    scope,
  })),
])

/** Every `resource#action` pair: `invoices#index`, `invoices#show`, …, `invoices#void`, … */
export const resourcePermissions: ReadonlySet<string> = new Set(permissionTable.map((p) => p.permission))

const byScope = new Map<string, string[]>()
for (const { scope, permission } of permissionTable) {
  byScope.set(scope, [...(byScope.get(scope) ?? []), permission])
}
for (const list of byScope.values()) list.sort()

/**
 * The `resource#action` pairs `scope` grants, sorted; empty for a scope that grants none
 * (`openid`). Example: `scopeActions('core.invoice.delete')` → `['invoices#abandon', 'invoices#void']`.
 */
export function scopeActions(scope: string): string[] {
  return [...(byScope.get(scope) ?? [])]
}

/** Every scope that grants at least one permission. */
export function scopesWithActions(): string[] {
  return [...byScope.keys()].sort()
}
