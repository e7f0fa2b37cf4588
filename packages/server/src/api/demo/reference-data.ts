/** Set-up data: currencies, payment terms, departments, lookup values, accounts, exchange rates. */
import { type DemoContext, type DemoRecord, ref } from './context.ts'
import { allCurrencies, demoCurrencies } from './currency-table.ts'
import { coprimeStep, DAY, iso } from './random.ts'
import { companies, departmentNames, glAccounts, lookupStems } from './words.ts'

/** [code, description, net days, discount days, discount percent, weight among suppliers] */
export const demoPaymentTerms = [
  ['Net 30', 'Payment due 30 days after the invoice date', 30, 0, 0, 50],
  ['Net 15', 'Payment due 15 days after the invoice date', 15, 0, 0, 10],
  ['Net 45', 'Payment due 45 days after the invoice date', 45, 0, 0, 15],
  ['Net 60', 'Payment due 60 days after the invoice date', 60, 0, 0, 12],
  ['2/10 Net 30', '2% discount within 10 days, net due in 30 days', 30, 10, 2, 10],
  ['Due on Receipt', 'Payment due when the invoice is received', 0, 0, 0, 3],
] as const

/** A set-up record: created before the transactional span, touched at most once since. */
export function master(ctx: DemoContext, id: number): DemoRecord {
  const created = ctx.setupTime()
  const updated = ctx.rng.chance(0.2) ? ctx.after(created, 600) : created
  return { id, ...ctx.stamps(created, updated) }
}

/** The `n`-th name of a list, numbered once the list runs out (`Finance 2`). */
function nth(names: readonly string[], n: number): string {
  const name = names[n % names.length] as string
  return n < names.length ? name : `${name} ${Math.floor(n / names.length) + 1}`
}

/**
 * Every ISO 4217 currency (currency-table.ts). The five the demo records use are active and were
 * set up like other master data; the others were loaded with the instance, before it, and are
 * inactive, as an administrator leaves the currencies an instance does not trade in. Every one of
 * them can be referenced (an exchange rate to IDR); `active=true` lists the ones in use.
 */
export function generateCurrencies(ctx: DemoContext): DemoRecord[] {
  // The loaded ones take no random draw, so the rest of the data set does not depend on their number.
  const loaded = ctx.start - 91 * DAY
  return allCurrencies.map((currency, i) => {
    const active = i < demoCurrencies.length
    return {
      ...(active
        ? master(ctx, ctx.idOf('currencies', i))
        : { id: ctx.idOf('currencies', i), ...ctx.stamps(loaded) }),
      code: currency.code,
      name: currency.name,
      decimals: currency.decimals,
      active,
    }
  })
}

/** Net 15/30/45/60, 2/10 Net 30 and Due on Receipt. */
export function generatePaymentTerms(ctx: DemoContext): DemoRecord[] {
  return demoPaymentTerms.map(([code, description, net, discountDays, discount], i) => ({
    ...master(ctx, ctx.idOf('payment_terms', i)),
    code,
    description,
    days_for_net_payment: net,
    days_for_discount_payment: discountDays,
    discount_rate: `${discount}.00`,
    active: true,
  }))
}

/** Departments named after business functions, numbered beyond twenty. */
export function generateDepartments(ctx: DemoContext): DemoRecord[] {
  return Array.from({ length: ctx.counts.departments }, (_, i) => ({
    ...master(ctx, ctx.idOf('departments', i)),
    name: nth(departmentNames, i),
    active: i < departmentNames.length || ctx.rng.chance(0.9),
  }))
}

/** Values of four lookups: regions, projects, cost centers, spend categories. */
export function generateLookupValues(ctx: DemoContext): DemoRecord[] {
  const stems = lookupStems.flatMap(({ lookup, values }) => values.map((value) => [lookup, value] as const))
  return Array.from({ length: ctx.counts.lookup_values }, (_, i) => {
    const [lookup, value] = stems[i % stems.length] as readonly [string, string]
    const name = nth([value], Math.floor(i / stems.length))
    return {
      ...master(ctx, ctx.idOf('lookup_values', i)),
      name,
      description: `${lookup}: ${name}`,
      external_ref_num: `LV-${String(1000 + i)}`,
      external_ref_code: `${lookup.replaceAll(' ', '_').toUpperCase()}_${i + 1}`,
      active: ctx.rng.chance(0.94),
    }
  })
}

/** Accounts: company × cost center (department) × natural account, each combination at most once. */
export function generateAccounts(ctx: DemoContext): DemoRecord[] {
  const costCenters = Math.max(ctx.counts.departments, 1)
  const combinations = companies.length * costCenters * glAccounts.length
  const step = coprimeStep(combinations)
  return Array.from({ length: ctx.counts.accounts }, (_, i) => {
    const k = (i * step) % combinations
    const [companyCode, companyName] = companies[k % companies.length] as readonly [string, string]
    const department = Math.floor(k / companies.length) % costCenters
    const [glCode, glName] = glAccounts[Math.floor(k / (companies.length * costCenters))] as readonly [
      string,
      string,
    ]
    const costCenter = String(1000 + department * 10)
    return {
      ...master(ctx, ctx.idOf('accounts', i)),
      code: `${companyCode}-${costCenter}-${glCode}${i >= combinations ? `-${i}` : ''}`,
      name: `${companyName} ${nth(departmentNames, department)} ${glName}`,
      active: i === 0 || ctx.rng.chance(0.95),
      segment_1: companyCode,
      segment_2: costCenter,
      segment_3: glCode,
    }
  })
}

/** Rates between every ordered pair of currencies, one round of pairs per quarter, newest last. */
export function generateExchangeRates(ctx: DemoContext): DemoRecord[] {
  const pairs = demoCurrencies.flatMap((from, i) =>
    demoCurrencies.flatMap((to, j) => (i === j ? [] : [[from, to, i, j] as const])),
  )
  const count = ctx.counts.exchange_rates
  const rounds = Math.ceil(count / pairs.length)
  return Array.from({ length: count }, (_, i) => {
    const [from, to, fromIndex, toIndex] = pairs[i % pairs.length] as (typeof pairs)[number]
    const round = Math.floor(i / pairs.length)
    const rateDate = ctx.now - (rounds - round) * 91 * DAY
    const drift = 1 + ((round * 7 + fromIndex * 3 + toIndex) % 9) / 200 - 0.02
    const created = Math.max(rateDate - DAY, ctx.start - 90 * DAY)
    return {
      id: ctx.idOf('exchange_rates', i),
      ...ctx.stamps(created),
      from_currency: ref(ctx.idOf('currencies', fromIndex)),
      to_currency: ref(ctx.idOf('currencies', toIndex)),
      rate: ((to.perUsd / from.perUsd) * drift).toFixed(6),
      rate_date: iso(Math.floor(rateDate / DAY) * DAY),
    }
  })
}
