/**
 * What transactions draw from: active suppliers with their billing terms, users by role, active
 * accounts and items. The seed builds it from the records it generates; generateInvoices from the
 * records in the store, through the same functions.
 */
import type { DemoRecord } from './context.ts'
import { type DemoCurrency, demoCurrencies, supplierCurrency } from './currency-table.ts'
import { cents, hashId } from './random.ts'

/** An active supplier as invoices and orders use it. */
export interface SupplierInfo {
  id: number
  paymentTermId: number | null
  netDays: number
  currency: DemoCurrency
  currencyId: number
  poMethod: string
  /** Where the supplier is paid (`remit-to-address`), or null. */
  remitToId: number | null
}

/** An active user as requisitions, expense reports and approvals use it. */
export interface UserInfo {
  id: number
  managerId: number | null
  departmentId: number | null
  currency: DemoCurrency
  currencyId: number
}

/** An active item with its US-dollar price. */
export interface ItemInfo {
  id: number
  name: string
  uom: string
  usdCents: number
}

/** Everything transactions draw from. */
export interface DemoPools {
  suppliers: SupplierInfo[]
  /** Active purchasing users: requesters and buyers. */
  purchasers: UserInfo[]
  /** Active expense users. */
  expensers: UserInfo[]
  /** Active users who approve: the managers. */
  approvers: number[]
  accounts: number[]
  /** Active account ids by natural account (`segment-3`). */
  accountsByGl: Map<string, number[]>
  items: ItemInfo[]
  /** The buyer's addresses: bill-to of invoices, ship-to of orders. */
  billTo: number[]
}

/** What links suppliers to their remit-to addresses, and the buyer's addresses. */
export interface AddressLinks {
  remitToBySupplier: ReadonlyMap<number, number>
  billTo: number[]
}

/** One of the buyer's addresses (ship-to, bill-to), picked by the document's id. */
export function shipTo(pools: DemoPools, id: number): { id: number } | null {
  const address = pools.billTo[hashId(id) % Math.max(1, pools.billTo.length)]
  return address === undefined ? null : { id: address }
}

/** Reference `{ id }` of a stored record, or null. */
export function refId(value: unknown): number | null {
  const id = (value as { id?: unknown } | null | undefined)?.id
  return typeof id === 'number' ? id : null
}

/** Currency codes to currency ids, from currency records. */
export function currencyIdsByCode(currencies: readonly DemoRecord[]): Map<string, number> {
  return new Map(currencies.map((c) => [String(c.code), c.id]))
}

/** Net payment days by payment term id, from payment term records. */
export function netDaysByTerm(terms: readonly DemoRecord[]): Map<number, number> {
  return new Map(terms.map((t) => [t.id, Number(t.days_for_net_payment ?? 30)]))
}

/** The active suppliers, each with the currency it bills in and its payment term. */
export function supplierInfos(
  suppliers: readonly DemoRecord[],
  netDays: Map<number, number>,
  currencyIds: Map<string, number>,
  remitToBySupplier: ReadonlyMap<number, number> = new Map(),
): SupplierInfo[] {
  const fallback = demoCurrencies[0] as DemoCurrency
  return suppliers
    .filter((s) => s.status === 'active')
    .map((s) => {
      const preferred = supplierCurrency(s.id)
      const currency = currencyIds.has(preferred.code) ? preferred : fallback
      const paymentTermId = refId(s.payment_term)
      return {
        id: s.id,
        paymentTermId,
        netDays: paymentTermId === null ? 30 : (netDays.get(paymentTermId) ?? 30),
        currency,
        currencyId: currencyIds.get(currency.code) ?? 0,
        poMethod: String(s.po_method ?? 'email'),
        remitToId: remitToBySupplier.get(s.id) ?? null,
      }
    })
}

/** Builds every pool from the generated master data. */
export function buildPools(
  data: {
    currencies: DemoRecord[]
    payment_terms: DemoRecord[]
    suppliers: DemoRecord[]
    users: DemoRecord[]
    accounts: DemoRecord[]
    items: DemoRecord[]
  },
  links: AddressLinks = { remitToBySupplier: new Map(), billTo: [] },
): DemoPools {
  const currencyIds = currencyIdsByCode(data.currencies)
  const byId = new Map(data.currencies.map((c) => [c.id, String(c.code)]))
  const userInfo = (u: DemoRecord): UserInfo => {
    const currencyId = refId(u.default_currency) ?? (currencyIds.get('USD') as number)
    const code = byId.get(currencyId)
    return {
      id: u.id,
      managerId: refId(u.manager),
      departmentId: refId(u.department),
      currency: demoCurrencies.find((c) => c.code === code) ?? (demoCurrencies[0] as DemoCurrency),
      currencyId,
    }
  }
  const activeUsers = data.users.filter((u) => u.active === true)
  const managerIds = new Set(data.users.map((u) => refId(u.manager)))
  const activeAccounts = data.accounts.filter((a) => a.active === true)
  const accountsByGl = new Map<string, number[]>()
  for (const a of activeAccounts) {
    const gl = String(a.segment_3)
    accountsByGl.set(gl, [...(accountsByGl.get(gl) ?? []), a.id])
  }
  return {
    suppliers: supplierInfos(
      data.suppliers,
      netDaysByTerm(data.payment_terms),
      currencyIds,
      links.remitToBySupplier,
    ),
    billTo: links.billTo,
    purchasers: activeUsers.filter((u) => u.purchasing_user === true).map(userInfo),
    expensers: activeUsers.filter((u) => u.expense_user === true).map(userInfo),
    approvers: activeUsers.filter((u) => managerIds.has(u.id)).map((u) => u.id),
    accounts: activeAccounts.map((a) => a.id),
    accountsByGl,
    items: data.items
      .filter((i) => i.active === true)
      .map((i) => ({
        id: i.id,
        name: String(i.name),
        uom: String(i.uom_code),
        usdCents: cents(String(i.price)),
      })),
  }
}
