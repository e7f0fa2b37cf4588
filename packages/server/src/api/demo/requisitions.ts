/** Requisitions: most older ones are ordered (purchase-orders.ts links each to its order). */

import { type CatalogLine, catalogLines, lineRecord, linesTotal } from './catalog-lines.ts'
import { type DemoContext, type DemoRecord, ref } from './context.ts'
import { type DemoPools, shipTo } from './pools.ts'
import { DAY, iso, money } from './random.ts'
import { justifications } from './words.ts'

/** A generated requisition with what its order copies: supplier, currency and lines. */
export interface DemoRequisition {
  record: DemoRecord
  supplierIndex: number
  requesterId: number
  lines: CatalogLine[]
  submitted: number | null
}

const RECENT = [
  ['draft', 25],
  ['pending_approval', 35],
  ['pending_buyer_action', 5],
  ['approved', 10],
  ['ordered', 25],
] as const
const OLD = [
  ['ordered', 80],
  ['pending_approval', 3],
  ['approved', 3],
  ['draft', 2],
  ['withdrawn', 7],
  ['abandoned', 5],
] as const

/** Requisitions spread over the span, each for one supplier. */
export function generateRequisitions(ctx: DemoContext, pools: DemoPools): DemoRequisition[] {
  const { rng } = ctx
  return ctx.spread('requisitions', (id, created) => {
    const requester = rng.pick(pools.purchasers)
    const supplierIndex = rng.int(0, pools.suppliers.length - 1)
    const supplier = pools.suppliers[supplierIndex] as DemoPools['suppliers'][number]
    const status = rng.weighted((ctx.now - created) / DAY < 30 ? RECENT : OLD)
    const lines = catalogLines(ctx, pools, supplier.currency, created)
    const submitted = status === 'draft' ? null : ctx.after(created, 2)
    const updated = submitted === null ? created : ctx.after(submitted, status === 'pending_approval' ? 0 : 3)
    const record: DemoRecord = {
      id,
      ...ctx.stamps(created, updated),
      status,
      justification: rng.pick(justifications),
      need_by_date: iso(Math.min(...lines.map((line) => line.needBy))),
      submitted_at: submitted === null ? null : iso(submitted),
      total: money(linesTotal(lines)),
      exported: false,
      last_exported_at: null,
      requested_by: ref(requester.id),
      currency: ref(supplier.currencyId),
      department: requester.departmentId === null ? null : ref(requester.departmentId),
      ship_to_address: shipTo(pools, id),
      requisition_lines: lines.map((line, n) => ({
        ...lineRecord(id, line, n),
        unit_price: money(line.priceCents),
        supplier: ref(supplier.id),
      })),
    }
    return { record, supplierIndex, requesterId: requester.id, lines, submitted }
  })
}

/** The requisition became the order created at `orderedAt`; half of the older ones were exported. */
export function markOrdered(ctx: DemoContext, requisition: DemoRequisition, orderedAt: number): void {
  const { record } = requisition
  let updated = orderedAt
  if (ctx.now - orderedAt > 30 * DAY && ctx.rng.chance(0.5)) {
    updated = ctx.after(orderedAt, 2)
    record.exported = true
    record.last_exported_at = iso(updated)
  }
  record.updated_at = iso(Math.max(Date.parse(record.created_at), updated))
}

/** No order came after it (too recent, or too few orders at this scale): it stays approved. */
export function markUnordered(requisition: DemoRequisition): void {
  requisition.record.status = 'approved'
}
