/**
 * Contracts with active suppliers, and supplier items: catalogue items as a supplier sells them,
 * at a price in the supplier's currency, under the supplier's contract when it has one.
 */
import { type DemoContext, type DemoRecord, ref } from './context.ts'
import { localCents } from './currency-table.ts'
import type { DemoPools } from './pools.ts'
import { DAY, iso, money } from './random.ts'

const CONTRACT_STATUSES = [
  ['published', 70],
  ['expired', 12],
  ['draft', 8],
  ['pending_approval', 5],
  ['on_hold', 3],
  ['completed', 2],
] as const

const CONTRACT_KINDS = [
  'Master Services Agreement',
  'Supply Agreement',
  'Price Agreement',
  'Framework Agreement',
]

/** Contracts, each with an active supplier, spread over the span; ids in creation order. */
export function generateContracts(ctx: DemoContext, pools: DemoPools): DemoRecord[] {
  const { rng } = ctx
  return ctx.spread('contracts', (id, created, i) => {
    const supplier = pools.suppliers[(i * 7) % pools.suppliers.length]
    if (!supplier) throw new Error('contracts need an active supplier')
    const status = rng.weighted(CONTRACT_STATUSES)
    const start = Math.floor(created / DAY) * DAY + rng.int(0, 30) * DAY
    const years = rng.int(1, 3)
    const maximum = localCents(rng.int(50, 2000) * 100_000, supplier.currency)
    return {
      id,
      ...ctx.stamps(created, ctx.after(created, 20)),
      name: `${rng.pick(CONTRACT_KINDS)} ${2024 + (i % 3)}-${String(i + 1).padStart(3, '0')}`,
      number: `CTR-${String(id).padStart(5, '0')}`,
      status,
      type: 'Contract',
      version: status === 'draft' ? 1 : rng.int(1, 3),
      supplier: ref(supplier.id),
      currency: ref(supplier.currencyId),
      payment_term: supplier.paymentTermId === null ? null : ref(supplier.paymentTermId),
      start_date: iso(start),
      end_date: iso(start + years * 365 * DAY),
      maximum_value: money(maximum),
      minimum_value: rng.chance(0.3) ? money(Math.round(maximum / 10)) : null,
      po_message: rng.chance(0.4) ? `Quote contract ${String(id).padStart(5, '0')} on every invoice` : null,
    }
  })
}

/** Items as active suppliers sell them; under the supplier's published contract when it has one. */
export function generateSupplierItems(
  ctx: DemoContext,
  pools: DemoPools,
  contracts: readonly DemoRecord[],
): DemoRecord[] {
  const { rng } = ctx
  const contractOf = new Map<number, number>()
  for (const contract of contracts) {
    if (contract.status !== 'published') continue
    contractOf.set((contract.supplier as { id: number }).id, contract.id)
  }
  return ctx.spread('supplier_items', (id, created, i) => {
    const item = pools.items[i % pools.items.length]
    const supplier = pools.suppliers[(i * 13 + Math.floor(i / pools.items.length)) % pools.suppliers.length]
    if (!item || !supplier) throw new Error('supplier items need active items and suppliers')
    const contract = contractOf.get(supplier.id)
    const discount = contract === undefined ? 1 : 0.85 + rng.next() * 0.1
    return {
      id,
      ...ctx.stamps(created),
      item: ref(item.id),
      supplier: ref(supplier.id),
      supplier_part_num: `${supplier.id}-${String(item.id).padStart(5, '0')}`,
      price: money(localCents(Math.round(item.usdCents * discount), supplier.currency)),
      currency: ref(supplier.currencyId),
      lead_time: rng.int(1, 30),
      availability: rng.weighted([
        ['available', 85],
        ['limited', 8],
        ['backordered', 5],
        ['discontinued', 2],
      ] as const),
      preferred: i < pools.items.length,
      contract: contract === undefined ? null : ref(contract),
    }
  })
}
