/**
 * One invoice, as both the seed and generateInvoices build it: status by age (older invoices are
 * mostly approved, exported and paid), lines, and totals that add up.
 */
import { DEMO_TAX_CODES } from './addresses.ts'
import type { DemoContext, DemoRecord } from './context.ts'
import { type DemoCurrency, localCents, taxCents } from './currency-table.ts'
import type { SupplierInfo } from './pools.ts'
import { DAY, hashId, iso, money } from './random.ts'
import { disputeReasons, itemAdjectives, itemNouns } from './words.ts'

/** What an invoice line bills, before totals. */
export interface InvoiceLineInput {
  description: string
  priceCents: number
  /** null for an amount line (`InvoiceAmountLine`), whose total is its price. */
  quantity: number | null
  accountId: number | null
  orderLineId: number | null
}

/** What buildInvoice needs besides the random stream. */
export interface InvoiceInput {
  id: number
  /** When the invoice was entered, epoch milliseconds. */
  created: number
  supplier: SupplierInfo
  lines: InvoiceLineInput[]
  /** The buyer's address billed (`bill-to-address`), or null. */
  billToId?: number | null
  /** The user who entered the invoice (`created-by`), or null. */
  createdById?: number | null
}

type Weights = ReadonlyArray<readonly [string, number]>

const RECENT: Weights = [
  ['draft', 25],
  ['pending_approval', 40],
  ['pending_receipt', 10],
  ['on_hold', 5],
  ['approved', 15],
  ['disputed', 5],
]
const MONTHS: Weights = [
  ['draft', 6],
  ['pending_approval', 22],
  ['pending_receipt', 5],
  ['on_hold', 3],
  ['approved', 60],
  ['disputed', 5],
  ['rejected', 2],
  ['voided', 2],
]
const OLD: Weights = [
  ['approved', 87],
  ['draft', 0.5],
  ['pending_approval', 2.5],
  ['on_hold', 1],
  ['disputed', 1.5],
  ['rejected', 2],
  ['abandoned', 1.5],
  ['voided', 4],
]

/** How many lines an invoice without an order has, by weight: one line 35 % of the time, … five 8 %. */
const LINES_PER_FREE_INVOICE = [35, 25, 20, 12, 8]

/** Free-text lines, as on invoices without an order: goods and services from the word lists. */
export function freeInvoiceLines(
  ctx: DemoContext,
  supplier: SupplierInfo,
  accounts: number[],
): InvoiceLineInput[] {
  const { rng } = ctx
  const count = rng.count(LINES_PER_FREE_INVOICE)
  const lines: InvoiceLineInput[] = []
  for (let n = 0; n < count; n++) {
    const noun = rng.pick(itemNouns)
    const amountLine = noun.uom === 'HR' && rng.chance(0.5)
    const price = localCents(Math.round(noun.priceCents * (0.6 + rng.next())), supplier.currency)
    lines.push({
      description: `${rng.pick(itemAdjectives)} ${noun.noun}`,
      priceCents: amountLine ? price * rng.int(4, 40) : price,
      quantity: amountLine ? null : rng.int(1, noun.priceCents > 50000 ? 5 : 24),
      accountId: accounts.length > 0 ? rng.pick(accounts) : null,
      orderLineId: null,
    })
  }
  return lines
}

/** The supplier's invoice number: each supplier has its own format. */
function invoiceNumber(supplierId: number, id: number, year: number): string {
  switch (hashId(supplierId) % 4) {
    case 0:
      return `INV-${id}`
    case 1:
      return String(100000 + id)
    case 2:
      return `SI-${year}-${id}`
    default:
      return `${supplierId % 900}${String(id).padStart(7, '0')}`
  }
}

/**
 * The invoice's tax line: the whole `tax-amount` at the supplier's rate, with its tax code when the
 * demo has one for the currency (the tax codes are the n-th for the n-th demo currency).
 */
function taxLines(ctx: DemoContext, currency: DemoCurrency, taxCentsTotal: number) {
  if (taxCentsTotal === 0) return []
  const percent = (currency.taxRate * 100).toFixed(2)
  const code = DEMO_TAX_CODES.findIndex(([, , percentage]) => percentage === percent)
  return [
    {
      id: 1,
      amount: money(taxCentsTotal),
      rate: percent,
      description: code === -1 ? `Tax ${percent}%` : (DEMO_TAX_CODES[code] as readonly string[])[1],
      tax_code: code === -1 ? null : { id: ctx.idOf('tax_codes', code) },
    },
  ]
}

/** One invoice in seven bills freight (`InvoiceShippingCharge`); chosen by id, not by the random stream. */
function invoiceCharges(id: number, currency: DemoCurrency) {
  const seed = hashId(id)
  if (seed % 7 !== 0) return []
  return [
    {
      id: 1,
      line_num: 1,
      type: seed % 3 === 0 ? 'InvoiceHandlingCharge' : 'InvoiceShippingCharge',
      total: money(localCents(1500 + (seed % 6000), currency)),
      description: seed % 3 === 0 ? 'Handling' : 'Freight',
    },
  ]
}

/** Builds the invoice record; the caller stores it as it is. */
export function buildInvoice(ctx: DemoContext, input: InvoiceInput): DemoRecord {
  const { rng } = ctx
  const { id, created, supplier } = input
  const invoiceDate = Math.floor((created - rng.int(0, 4) * DAY) / DAY) * DAY
  const age = (ctx.now - invoiceDate) / DAY
  const status = rng.weighted(age < 14 ? RECENT : age < 90 ? MONTHS : OLD)
  let gross = 0
  const lines = input.lines.map((line, n) => {
    const total = line.quantity === null ? line.priceCents : line.priceCents * line.quantity
    gross += total
    return {
      id: id * 100 + n + 1,
      line_num: n + 1,
      description: line.description,
      price: money(line.priceCents),
      quantity: line.quantity,
      total: money(total),
      type: line.quantity === null ? 'InvoiceAmountLine' : 'InvoiceQuantityLine',
      order_line_id: line.orderLineId,
      account: line.accountId === null ? null : { id: line.accountId },
    }
  })
  const tax = taxCents(gross, supplier.currency)
  const exported =
    (status === 'approved' && age > 5 && rng.chance(0.95)) || (status === 'voided' && rng.chance(0.3))
  const exportedAt = exported ? ctx.after(created + DAY, 4) : null
  const paid = exported && status === 'approved' && age > supplier.netDays + 5 && rng.chance(0.9)
  let updated = status === 'draft' ? created : ctx.after(created, 10)
  if (exportedAt !== null) updated = Math.max(updated, exportedAt)
  if (paid) updated = Math.max(updated, Math.min(ctx.now, invoiceDate + (supplier.netDays + 2) * DAY))
  return {
    id,
    ...ctx.stamps(created, updated),
    invoice_number: invoiceNumber(supplier.id, id, new Date(invoiceDate).getUTCFullYear()),
    invoice_date: iso(invoiceDate),
    status,
    document_type: 'Invoice',
    net_due_date: iso(invoiceDate + supplier.netDays * DAY),
    total_with_taxes: money(gross + tax),
    gross_total: money(gross),
    tax_amount: money(tax),
    line_level_taxation: false,
    paid,
    dispute_reason: status === 'disputed' ? rng.pick(disputeReasons) : null,
    exported,
    last_exported_at: exportedAt === null ? null : iso(exportedAt),
    supplier: { id: supplier.id },
    currency: { id: supplier.currencyId },
    payment_term: supplier.paymentTermId === null ? null : { id: supplier.paymentTermId },
    is_credit_note: false,
    bill_to_address: input.billToId == null ? null : { id: input.billToId },
    remit_to_address: supplier.remitToId === null ? null : { id: supplier.remitToId },
    created_by: input.createdById == null ? null : { id: input.createdById },
    updated_by: input.createdById == null ? null : { id: input.createdById },
    invoice_lines: lines,
    tax_lines: taxLines(ctx, supplier.currency, tax),
    invoice_charges: invoiceCharges(id, supplier.currency),
  }
}
