/**
 * Every core API resource, in one table: the API routes, the Scopes page, the docs and the
 * transition planner read it. A scope grants `resource#action` permissions, never HTTP verbs:
 * the read scope grants index and show, the create and update scopes their action, and each custom
 * action its own scope (coupa-api-facts.md §2.2).
 */
import type { ResourceDefinition } from '../schema.ts'
import { accounts } from './accounts.ts'
import { approvals } from './approvals.ts'
import { currencies } from './currencies.ts'
import { departments } from './departments.ts'
import { exchangeRates } from './exchange-rates.ts'
import { expenseReports } from './expense-reports.ts'
import { invoices } from './invoices.ts'
import { items } from './items.ts'
import { lookupValues } from './lookup-values.ts'
import { paymentTerms } from './payment-terms.ts'
import { purchaseOrders } from './purchase-orders.ts'
import { requisitions } from './requisitions.ts'
import { suppliers } from './suppliers.ts'
import { users } from './users.ts'

/** All resources: master data first (the order of a phased transition), then transactional. */
export const resources: readonly ResourceDefinition[] = Object.freeze([
  currencies,
  paymentTerms,
  departments,
  lookupValues,
  accounts,
  exchangeRates,
  suppliers,
  users,
  items,
  invoices,
  purchaseOrders,
  requisitions,
  expenseReports,
  approvals,
])

const byName = new Map(resources.map((resource) => [resource.name, resource]))

/** The resource named `name` (`invoices`, `purchase_orders`), or undefined. */
export function findResource(name: string): ResourceDefinition | undefined {
  return byName.get(name)
}

/** One `resource#action` permission and the scope that grants it. */
export interface ResourcePermission {
  /** `invoices#void` */
  permission: string
  resource: string
  action: string
  scope: string
}

/** Every permission of a resource: index, show, create, update, then its custom actions. */
function permissionsOf(resource: ResourceDefinition): ResourcePermission[] {
  const grant = (action: string, scope: string): ResourcePermission => ({
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

/** Every permission of every resource, with its scope. */
export const permissionTable: readonly ResourcePermission[] = Object.freeze(resources.flatMap(permissionsOf))

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
