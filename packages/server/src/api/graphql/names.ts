/**
 * GraphQL names of the catalogue's resources and fields, as Coupa's GraphQL names them: lower camel
 * case, the plural for a collection (`users`, `expenseReports`) and the singular for one object
 * (`user(id: 1)`, `expenseReport(id: 1)`), https://compass.coupa.com (Introducing GraphQL,
 * coupa-api-facts §4.3). Fields are camel-cased the same way (`created_at` → `createdAt`,
 * `user_groups` → `userGroups` as baton-coupa queries them, §5).
 */

/** `purchase_orders` → `purchaseOrders`, `system_role` → `systemRole`. */
export function camel(name: string): string {
  return name.replace(/[-_]+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())
}

/** `purchase_orders` → `PurchaseOrders`. */
export function pascal(name: string): string {
  const camelName = camel(name)
  return camelName.charAt(0).toUpperCase() + camelName.slice(1)
}

/** `currencies` → `currency`, `purchase_orders` → `purchase_order`: the resource's singular object name. */
export function singularOf(resourceName: string): string {
  if (resourceName.endsWith('ies')) return `${resourceName.slice(0, -3)}y`
  return resourceName.endsWith('s') ? resourceName.slice(0, -1) : resourceName
}

/** The object type of a resource: `purchase_orders` → `PurchaseOrder`. */
export function typeNameOf(resourceName: string): string {
  return pascal(singularOf(resourceName))
}
