/**
 * The demo data set, generated in memory: master data, then requisitions, the orders they become,
 * the invoices that bill them, expense reports and approvals. Pure and deterministic: the same
 * options give the same records, byte for byte.
 */

import { generateAccess } from './access.ts'
import {
  generateAccountTypes,
  generateAddresses,
  generateCountries,
  generateRemitToAddresses,
  generateTaxCodes,
  withAccountTypes,
} from './addresses.ts'
import { generateApprovals } from './approvals.ts'
import { DemoContext, type DemoData, type DemoResource, demoCounts } from './context.ts'
import { generateContracts, generateSupplierItems } from './contracts.ts'
import { generateExpenseReports } from './expense-reports.ts'
import { generateSeedInvoices } from './invoices.ts'
import { generateItems, generateSuppliers, generateUsers } from './parties.ts'
import { buildPools } from './pools.ts'
import { generatePurchaseOrders } from './purchase-orders.ts'
import {
  generateAccounts,
  generateCurrencies,
  generateDepartments,
  generateExchangeRates,
  generateLookupValues,
  generatePaymentTerms,
} from './reference-data.ts'
import { generateRequisitions } from './requisitions.ts'

/** The seed used when none is given. */
export const DEFAULT_DEMO_SEED = 20_260_101

/** Options of generateDemoData. */
export interface GenerateDemoDataOptions {
  /** Base date, epoch milliseconds: records span the two years before it. */
  now: number
  seed?: number
  /** Multiplies every count but currencies and payment terms (default 1). */
  scale?: number
  /** The first id of each resource (default 1): the ids `reserveRecordIds` returned. */
  firstIds?: Partial<Record<DemoResource, number>>
}

/** Generates the whole demo data set; counts are `demoCounts(scale)`. */
export function generateDemoData(options: GenerateDemoDataOptions): DemoData {
  const counts = demoCounts(options.scale)
  const ctx = new DemoContext({
    now: options.now,
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    counts,
    firstIds: options.firstIds,
  })
  const master = {
    currencies: generateCurrencies(ctx),
    payment_terms: generatePaymentTerms(ctx),
    departments: generateDepartments(ctx),
    lookup_values: generateLookupValues(ctx),
    accounts: generateAccounts(ctx),
    exchange_rates: generateExchangeRates(ctx),
    suppliers: generateSuppliers(ctx),
    users: generateUsers(ctx),
    items: generateItems(ctx),
  }
  // The n-th supplier is paid at the n-th remit-to address; both are generated last (below), so
  // that the random stream, and every record generated before them, stays as it was without them.
  const pools = buildPools(master, {
    remitToBySupplier: new Map(
      master.suppliers
        .slice(0, counts.remit_to_addresses)
        .map((s, i) => [s.id, ctx.idOf('remit_to_addresses', i)]),
    ),
    billTo: Array.from({ length: counts.addresses }, (_, i) => ctx.idOf('addresses', i)),
  })
  const requisitions = generateRequisitions(ctx, pools)
  const orders = generatePurchaseOrders(ctx, pools, requisitions)
  const invoices = generateSeedInvoices(ctx, pools, orders)
  const expenseReports = generateExpenseReports(ctx, pools)
  const requisitionRecords = requisitions.map((requisition) => requisition.record)
  const approvals = generateApprovals(ctx, pools, {
    invoices,
    requisitions: requisitionRecords,
    expenseReports,
  })
  const contracts = generateContracts(ctx, pools)
  return {
    ...master,
    countries: generateCountries(ctx),
    tax_codes: generateTaxCodes(ctx),
    account_types: generateAccountTypes(ctx),
    addresses: generateAddresses(ctx),
    remit_to_addresses: generateRemitToAddresses(ctx, master.suppliers),
    accounts: withAccountTypes(ctx, master.accounts),
    contracts,
    supplier_items: generateSupplierItems(ctx, pools, contracts),
    requisitions: requisitionRecords,
    purchase_orders: orders.map((order) => order.record),
    invoices,
    expense_reports: expenseReports,
    approvals,
    ...generateAccess(ctx, master.users),
  }
}
