/** Expense reports: an employee's trip or month, in their currency; older ones are paid. */
import { type DemoContext, type DemoRecord, ref } from './context.ts'
import { localCents } from './currency-table.ts'
import type { DemoPools } from './pools.ts'
import { DAY, HOUR, iso, money } from './random.ts'
import { expenseCategories } from './words.ts'

const RECENT = [
  ['draft', 30],
  ['pending_approval', 40],
  ['accounting_review', 10],
  ['approved_for_payment', 15],
  ['rejected', 5],
] as const
const MONTHS = [
  ['pending_approval', 10],
  ['accounting_review', 5],
  ['approved_for_payment', 25],
  ['paid', 55],
  ['rejected', 5],
] as const
const OLD = [
  ['paid', 92],
  ['approved_for_payment', 3],
  ['rejected', 5],
] as const

/** Typical US-dollar amount range of one expense of each category, in cents. */
const RANGES: Record<string, readonly [number, number]> = {
  Airfare: [15000, 120000],
  Hotel: [9000, 180000],
  Meals: [800, 12000],
  Taxi: [1000, 8000],
  Conference: [10000, 150000],
  'Office Supplies': [500, 20000],
}

const REASONS = ['Client visit', 'Team offsite', 'Conference', 'Sales meeting', 'Training', 'Site visit']

/** One to six expense lines dated in the three weeks before `created`. */
function expenseLines(
  ctx: DemoContext,
  pools: DemoPools,
  reportId: number,
  created: number,
  user: DemoPools['expensers'][number],
) {
  const { rng } = ctx
  const reason = rng.pick(REASONS)
  let total = 0
  const lines = Array.from({ length: rng.int(1, 6) }, (_, n) => {
    const category = rng.pick(expenseCategories)
    const [low, high] = RANGES[category.category] ?? [1000, 10000]
    const amount = localCents(rng.int(low, high), user.currency)
    total += amount
    const accounts = pools.accountsByGl.get(category.glCode) ?? pools.accounts
    const merchant = rng.pick(category.merchants)
    return {
      id: reportId * 100 + n + 1,
      line_num: n + 1,
      description: `${category.category} - ${merchant}`,
      expense_date: iso(Math.floor((created - rng.int(1, 21) * DAY) / DAY) * DAY),
      merchant,
      amount: money(amount),
      reason,
      account: ref(rng.pick(accounts)),
    }
  })
  return { lines, total, reason }
}

/** Expense reports spread over the span, in id order. */
export function generateExpenseReports(ctx: DemoContext, pools: DemoPools): DemoRecord[] {
  const { rng } = ctx
  return ctx.spread('expense_reports', (id, created) => {
    const age = (ctx.now - created) / DAY
    const user = rng.pick(pools.expensers)
    const { lines, total, reason } = expenseLines(ctx, pools, id, created, user)
    const status = rng.weighted(age < 14 ? RECENT : age < 60 ? MONTHS : OLD)
    const submitted = status === 'draft' ? null : ctx.after(created, 1)
    const settled = status === 'paid' || status === 'approved_for_payment'
    const exportedAt =
      settled && age > 5 && rng.chance(0.9) ? ctx.after((submitted ?? created) + HOUR, 4) : null
    const updated = Math.max(submitted === null ? created : ctx.after(submitted, 10), exportedAt ?? created)
    return {
      id,
      ...ctx.stamps(created, updated),
      title: `${reason} ${iso(created).slice(0, 7)}`,
      status,
      submitted_at: submitted === null ? null : iso(submitted),
      total: money(total),
      paid: status === 'paid',
      exported: exportedAt !== null,
      last_exported_at: exportedAt === null ? null : iso(exportedAt),
      currency: ref(user.currencyId),
      expensed_by: ref(user.id),
      expense_lines: lines,
    }
  })
}
