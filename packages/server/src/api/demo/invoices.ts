/** The seed's invoices: 60% bill an earlier issued or closed order, the rest are free-text. */
import type { DemoContext, DemoRecord } from './context.ts'
import { buildInvoice, freeInvoiceLines, type InvoiceLineInput } from './invoice-builder.ts'
import type { DemoPools, SupplierInfo } from './pools.ts'
import type { DemoOrder } from './purchase-orders.ts'
import { DAY, hashId } from './random.ts'

const INVOICEABLE = new Set(['issued', 'closed', 'soft_closed'])

/** How many of `times` (ascending) are before `limit`. */
function countBefore(times: readonly number[], limit: number): number {
  let low = 0
  let high = times.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if ((times[mid] as number) < limit) low = mid + 1
    else high = mid
  }
  return low
}

/** Lines billing `order`: its lines, a fifth of them for half the quantity (a partial delivery). */
function orderInvoiceLines(ctx: DemoContext, order: DemoOrder): InvoiceLineInput[] {
  return order.lines.map((line, n) => ({
    description: line.description,
    priceCents: line.priceCents,
    quantity: ctx.rng.chance(0.2) ? Math.max(1, Math.floor(line.quantity / 2)) : line.quantity,
    accountId: line.accountId,
    orderLineId: order.record.id * 100 + n + 1,
  }))
}

/** Invoices spread over the span, in id order. */
export function generateSeedInvoices(
  ctx: DemoContext,
  pools: DemoPools,
  orders: readonly DemoOrder[],
): DemoRecord[] {
  const { rng } = ctx
  const invoiceable = orders.filter((order) => INVOICEABLE.has(order.status))
  const times = invoiceable.map((order) => order.created)
  const count = ctx.counts.invoices
  return Array.from({ length: count }, (_, i) => {
    const created = ctx.timeAt(i, count)
    const before = countBefore(times, created - 2 * DAY)
    let supplier: SupplierInfo
    let lines: InvoiceLineInput[]
    if (before > 0 && rng.chance(0.6)) {
      // Mostly a recent order: invoices follow orders within weeks.
      const order = invoiceable[before - 1 - Math.floor(rng.next() ** 2 * Math.min(before, 300))] as DemoOrder
      supplier = order.supplier
      lines = orderInvoiceLines(ctx, order)
    } else {
      supplier = rng.pick(pools.suppliers)
      lines = freeInvoiceLines(ctx, supplier, pools.accounts)
    }
    const id = ctx.idOf('invoices', i)
    // Picked by id, not from the random stream: the rest of the data set stays as it was.
    const billToId = pools.billTo.length > 0 ? (pools.billTo[hashId(id) % pools.billTo.length] ?? null) : null
    const clerk = pools.purchasers[hashId(id + 1) % Math.max(1, pools.purchasers.length)]
    return buildInvoice(ctx, { id, created, supplier, lines, billToId, createdById: clerk?.id ?? null })
  })
}
