/**
 * Every core API resource, in one table: the API routes, the Scopes page, the docs and the
 * transition planner read it (through ../grants.ts for what each scope allows).
 */
import type { ResourceDefinition } from '../definitions.ts'
import { accountTypes } from './account-types.ts'
import { accounts } from './accounts.ts'
import { addresses } from './addresses.ts'
import { approvals } from './approvals.ts'
import { contracts } from './contracts.ts'
import { countries } from './countries.ts'
import { currencies } from './currencies.ts'
import { departments } from './departments.ts'
import { exchangeRates } from './exchange-rates.ts'
import { expenseReports } from './expense-reports.ts'
import { invoices } from './invoices.ts'
import { items } from './items.ts'
import { lookupValues } from './lookup-values.ts'
import { paymentTerms } from './payment-terms.ts'
import { purchaseOrders } from './purchase-orders.ts'
import { remitToAddresses } from './remit-to-addresses.ts'
import { requisitions } from './requisitions.ts'
import { roles } from './roles.ts'
import { supplierItems } from './supplier-items.ts'
import { suppliers } from './suppliers.ts'
import { taxCodes } from './tax-codes.ts'
import { userGroups } from './user-groups.ts'
import { users } from './users.ts'

/** All resources: master data first (the order of a phased transition), then transactional. */
export const resources: readonly ResourceDefinition[] = Object.freeze([
  currencies,
  paymentTerms,
  departments,
  lookupValues,
  countries,
  addresses,
  taxCodes,
  accountTypes,
  accounts,
  exchangeRates,
  suppliers,
  remitToAddresses,
  users,
  roles,
  userGroups,
  items,
  supplierItems,
  contracts,
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
