/** Lines of requisitions and orders: catalogue items in the supplier's currency, each on an account. */
import type { DemoContext } from './context.ts'
import { type DemoCurrency, localCents } from './currency-table.ts'
import type { DemoPools } from './pools.ts'
import { DAY, iso, money } from './random.ts'

/** One line of a requisition or order, in the supplier's currency (cents). */
export interface CatalogLine {
  itemId: number
  description: string
  uom: string
  quantity: number
  priceCents: number
  accountId: number
  needBy: number
}

/** One to five item lines for an order placed at `created`. */
export function catalogLines(
  ctx: DemoContext,
  pools: DemoPools,
  currency: DemoCurrency,
  created: number,
): CatalogLine[] {
  const { rng } = ctx
  const count = rng.weighted([
    [1, 30],
    [2, 25],
    [3, 20],
    [4, 15],
    [5, 10],
  ] as const)
  return Array.from({ length: count }, () => {
    const item = rng.pick(pools.items)
    return {
      itemId: item.id,
      description: item.name,
      uom: item.uom,
      quantity: item.uom === 'HR' ? rng.int(4, 80) : rng.int(1, item.usdCents > 50000 ? 10 : 50),
      priceCents: localCents(item.usdCents, currency),
      accountId: rng.pick(pools.accounts),
      needBy: Math.floor((created + rng.int(7, 45) * DAY) / DAY) * DAY,
    }
  })
}

/** The sum of the lines' totals, in cents. */
export function linesTotal(lines: readonly CatalogLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.priceCents, 0)
}

/** Order lines as stored; line ids are the record id × 100 + line number, unique per resource. */
export function orderLineRecords(recordId: number, lines: readonly CatalogLine[]): Record<string, unknown>[] {
  return lines.map((line, n) => ({
    id: recordId * 100 + n + 1,
    line_num: n + 1,
    description: line.description,
    quantity: line.quantity,
    price: money(line.priceCents),
    total: money(line.quantity * line.priceCents),
    uom_code: line.uom,
    need_by_date: iso(line.needBy),
    item: { id: line.itemId },
    account: { id: line.accountId },
  }))
}
