/** Purchase orders: a share come from ordered requisitions; older orders are mostly closed. */
import { type CatalogLine, catalogLines, linesTotal, orderLineRecords } from './catalog-lines.ts'
import { type DemoContext, type DemoRecord, ref } from './context.ts'
import { type DemoPools, type SupplierInfo, shipTo } from './pools.ts'
import { DAY, HOUR, hashId, iso, money } from './random.ts'
import { type DemoRequisition, markOrdered, markUnordered } from './requisitions.ts'

/** A generated order with what its invoices copy. */
export interface DemoOrder {
  record: DemoRecord
  created: number
  status: string
  supplier: SupplierInfo
  lines: CatalogLine[]
}

const FRESH = [
  ['draft', 10],
  ['buyer_hold', 5],
  ['currency_hold', 1],
  ['supplier_window_hold', 2],
  ['issued', 82],
] as const
const OPEN = [
  ['issued', 80],
  ['closed', 10],
  ['soft_closed', 3],
  ['cancelled', 5],
  ['buyer_hold', 2],
] as const
const OLD = [
  ['closed', 55],
  ['issued', 25],
  ['soft_closed', 8],
  ['cancelled', 12],
] as const
/** Incoterms, as Coupa's shipping terms name them. */
const SHIPPING_TERMS = ['FOB Destination', 'FOB Origin', 'DAP', 'EXW', 'CIF']

/** A purchasing user who placed the order, picked by the order's id. */
function buyer(pools: DemoPools, id: number): number {
  return (pools.purchasers[hashId(id + 3) % pools.purchasers.length] as { id: number }).id
}

const UNSENT = new Set(['draft', 'buyer_hold', 'currency_hold', 'supplier_window_hold'])

/**
 * Gives each ordered requisition the first free order created a day or more after it was
 * submitted; a requisition that finds none stays approved. Returns order index → requisition.
 */
function linkRequisitions(
  ctx: DemoContext,
  times: readonly number[],
  requisitions: readonly DemoRequisition[],
): Map<number, DemoRequisition> {
  const links = new Map<number, DemoRequisition>()
  let next = 0
  for (const requisition of requisitions) {
    if (requisition.record.status !== 'ordered') continue
    const earliest = (requisition.submitted ?? Date.parse(requisition.record.created_at)) + DAY
    while (next < times.length && (times[next] as number) < earliest) next++
    if (next >= times.length) {
      markUnordered(requisition)
      continue
    }
    markOrdered(ctx, requisition, times[next] as number)
    links.set(next++, requisition)
  }
  return links
}

function transmission(status: string, supplier: SupplierInfo): string {
  if (UNSENT.has(status)) return 'not_sent'
  if (supplier.poMethod === 'email') return 'sent_via_email'
  return supplier.poMethod === 'cxml' ? 'sent_via_cxml' : 'sent_manually'
}

/** Orders spread over the span, in id order; `requisitions` are updated when they get an order. */
export function generatePurchaseOrders(
  ctx: DemoContext,
  pools: DemoPools,
  requisitions: readonly DemoRequisition[],
): DemoOrder[] {
  const { rng } = ctx
  const count = ctx.counts.purchase_orders
  const times = Array.from({ length: count }, (_, i) => ctx.timeAt(i, count))
  const links = linkRequisitions(ctx, times, requisitions)
  return times.map((created, i) => {
    const id = ctx.idOf('purchase_orders', i)
    const requisition = links.get(i)
    const supplier = requisition
      ? (pools.suppliers[requisition.supplierIndex] as SupplierInfo)
      : rng.pick(pools.suppliers)
    const lines = requisition ? requisition.lines : catalogLines(ctx, pools, supplier.currency, created)
    const age = (ctx.now - created) / DAY
    let status: string = rng.weighted(age < 14 ? FRESH : age < 180 ? OPEN : OLD)
    if (requisition && UNSENT.has(status)) status = 'issued'
    const sent = !UNSENT.has(status)
    const exportedAt = sent && age > 3 && rng.chance(0.9) ? ctx.after(created + HOUR, 2) : null
    const settled = status === 'closed' || status === 'soft_closed' || status === 'cancelled'
    const updated = Math.max(
      status === 'draft' ? created : ctx.after(created, settled ? 120 : 2),
      exportedAt ?? created,
    )
    const requesterId = requisition ? requisition.requesterId : rng.pick(pools.purchasers).id
    const record: DemoRecord = {
      id,
      ...ctx.stamps(created, updated),
      po_number: String(id),
      status,
      version: sent
        ? rng.weighted([
            [1, 80],
            [2, 15],
            [3, 5],
          ] as const)
        : 1,
      transmission_status: transmission(status, supplier),
      acknowledged_flag: sent && supplier.poMethod === 'cxml' && rng.chance(0.7),
      total: money(linesTotal(lines)),
      exported: exportedAt !== null,
      last_exported_at: exportedAt === null ? null : iso(exportedAt),
      supplier: ref(supplier.id),
      currency: ref(supplier.currencyId),
      payment_term: supplier.paymentTermId === null ? null : ref(supplier.paymentTermId),
      requester: ref(requesterId),
      // The requester receives the goods at one of the buyer's addresses; the buyer (created-by)
      // is picked by id, not from the random stream, so the records above stay as they were.
      ship_to_user: ref(requesterId),
      ship_to_address: shipTo(pools, id),
      shipping_term: SHIPPING_TERMS[hashId(id) % SHIPPING_TERMS.length] as string,
      created_by: ref(buyer(pools, id)),
      updated_by: ref(buyer(pools, id)),
      requisition_header: requisition ? ref(requisition.record.id) : null,
      order_lines: orderLineRecords(id, lines),
    }
    return { record, created, status, supplier, lines }
  })
}
