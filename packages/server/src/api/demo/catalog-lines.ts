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

/** How many lines an order has, by weight: one line 30 % of the time, … five lines 10 %. */
const LINES_PER_ORDER = [30, 25, 20, 15, 10]

/** One to five item lines for an order placed at `created`. */
export function catalogLines(
  ctx: DemoContext,
  pools: DemoPools,
  currency: DemoCurrency,
  created: number,
): CatalogLine[] {
  const { rng } = ctx
  const count = rng.count(LINES_PER_ORDER)
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

/** Order lines as stored. */
export function orderLineRecords(recordId: number, lines: readonly CatalogLine[]): Record<string, unknown>[] {
  return lines.map((line, n) => ({
    ...lineRecord(recordId, line, n),
    price: money(line.priceCents),
    uom_code: line.uom,
    need_by_date: iso(line.needBy),
  }))
}

/** What every stored line of catalog items has; line ids are the record id × 100 + line number. */
export function lineRecord(recordId: number, line: CatalogLine, n: number): Record<string, unknown> {
  return {
    id: recordId * 100 + n + 1,
    line_num: n + 1,
    description: line.description,
    quantity: line.quantity,
    total: money(line.quantity * line.priceCents),
    item: { id: line.itemId },
    account: { id: line.accountId },
  }
}
