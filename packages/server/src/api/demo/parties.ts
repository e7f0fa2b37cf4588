/** Suppliers, users and items: the master data that transactions name. */
import { type DemoContext, type DemoRecord, ref } from './context.ts'
import { demoCurrencies } from './currency-table.ts'
import { coprimeStep, hashId, money } from './random.ts'
import { demoPaymentTerms, master } from './reference-data.ts'
import {
  companyCores,
  companyPrefixes,
  companySuffixes,
  departmentNames,
  firstNames,
  itemAdjectives,
  itemNouns,
  lastNames,
} from './words.ts'

/** `Northwind Office Supply` → `northwind-office-supply` */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

/** A name not in `taken` (which it joins), from `make`; numbered when `make` keeps repeating itself. */
function unique(taken: Set<string>, make: () => string): string {
  for (let attempt = 0; ; attempt++) {
    const name = attempt < 5 ? make() : `${make()} ${attempt}`
    if (!taken.has(name)) {
      taken.add(name)
      return name
    }
  }
}

/** Suppliers with plausible company names; most active, each with a payment term and PO method. */
export function generateSuppliers(ctx: DemoContext): DemoRecord[] {
  const { rng } = ctx
  const taken = new Set<string>()
  const termWeights = demoPaymentTerms.map((term, i) => [i, term[5]] as const)
  return Array.from({ length: ctx.counts.suppliers }, (_, i) => {
    const displayName = unique(taken, () => `${rng.pick(companyPrefixes)} ${rng.pick(companyCores)}`)
    return {
      ...master(ctx, ctx.idOf('suppliers', i)),
      name: `${displayName} ${rng.pick(companySuffixes)}`,
      display_name: displayName,
      number: `SUP-${10001 + i}`,
      status:
        i === 0
          ? 'active'
          : rng.weighted([
              ['active', 92],
              ['inactive', 6],
              ['draft', 2],
            ] as const),
      po_method: rng.weighted([
        ['email', 50],
        ['cxml', 25],
        ['prompt', 10],
        ['mark_as_sent', 10],
        ['xml', 5],
      ] as const),
      po_email: `orders@${slug(displayName)}.example.com`,
      account_number: String(rng.int(100000, 999999)),
      tax_id: `${rng.int(10, 99)}-${rng.int(1000000, 9999999)}`,
      invoice_matching_level: rng.weighted([
        ['2-way', 40],
        ['3-way', 55],
        ['3-way-direct', 5],
      ] as const),
      payment_term: ref(ctx.idOf('payment_terms', rng.weighted(termWeights))),
      ...supplierDepth(ctx.idOf('suppliers', i)),
    }
  })
}

/**
 * A supplier's DUNS number, payment method and shipping term (facts §6), chosen by its id rather
 * than from the random stream, so that the rest of the data set stays as it was without them.
 */
function supplierDepth(id: number) {
  const seed = hashId(id)
  return {
    duns: String(100_000_000 + (seed % 900_000_000)),
    payment_method: (['invoice', 'invoice', 'invoice', 'ach', 'virtual_card', 'check'] as const)[seed % 6],
    shipping_term: (['FOB Destination', 'FOB Origin', 'DAP', 'EXW'] as const)[(seed >>> 8) % 4],
  }
}

/**
 * Users: the first 5% are managers (the first of them reports to nobody), everyone else reports to
 * one of them. Logins and emails are unique.
 */
export function generateUsers(ctx: DemoContext): DemoRecord[] {
  const { rng } = ctx
  const managers = Math.max(1, Math.ceil(ctx.counts.users * 0.05))
  const taken = new Set<string>()
  const currencyWeights = [
    [0, 75],
    [1, 10],
    [2, 8],
    [3, 7],
  ] as const
  return Array.from({ length: ctx.counts.users }, (_, i) => {
    const firstname = rng.pick(firstNames)
    const lastname = rng.pick(lastNames)
    const login = unique(taken, () => `${firstname}.${lastname}`.toLowerCase()).replaceAll(' ', '.')
    const manager = i === 0 ? null : ref(ctx.idOf('users', i < managers ? 0 : rng.int(0, managers - 1)))
    return {
      ...master(ctx, ctx.idOf('users', i)),
      login,
      email: `${login}@example.com`,
      firstname,
      lastname,
      fullname: `${firstname} ${lastname}`,
      active: i < managers || rng.chance(0.95),
      purchasing_user: i < managers || rng.chance(0.7),
      expense_user: i === 0 || rng.chance(0.6),
      api_user: false,
      employee_number: `E${String(10001 + i)}`,
      default_locale: rng.weighted([
        ['en', 80],
        ['de', 8],
        ['fr', 7],
        ['ja', 5],
      ] as const),
      default_currency: ref(ctx.idOf('currencies', rng.weighted(currencyWeights))),
      department: ref(ctx.idOf('departments', rng.int(0, ctx.counts.departments - 1))),
      manager,
    }
  })
}

/** Catalogue items priced in US dollars: `Ergonomic Office Chair`, `Premium Consulting Hours Mk 2`. */
export function generateItems(ctx: DemoContext): DemoRecord[] {
  const { rng } = ctx
  const combinations = itemAdjectives.length * itemNouns.length
  const step = coprimeStep(combinations)
  const usd = ctx.idOf(
    'currencies',
    demoCurrencies.findIndex((c) => c.code === 'USD'),
  )
  return Array.from({ length: ctx.counts.items }, (_, i) => {
    const k = (i * step) % combinations
    const noun = itemNouns[k % itemNouns.length] as (typeof itemNouns)[number]
    const adjective = itemAdjectives[Math.floor(k / itemNouns.length)] as string
    const round = Math.floor(i / combinations)
    const name = `${adjective} ${noun.noun}${round > 0 ? ` Mk ${round + 1}` : ''}`
    const priceCents = Math.max(99, Math.round((noun.priceCents * (0.7 + rng.next() * 0.8)) / 100) * 100 - 1)
    return {
      ...master(ctx, ctx.idOf('items', i)),
      name,
      description: `${name}, ${noun.uom === 'HR' ? 'billed per hour' : `per ${noun.uom}`}, for ${rng.pick(departmentNames)}`,
      item_number: `ITM-${String(100001 + i)}`,
      uom_code: noun.uom,
      price: money(priceCents),
      currency: ref(usd),
      active: i === 0 || rng.chance(0.93),
    }
  })
}
