/**
 * The record depth of issue 15 (coupa-api-facts §6): countries, tax codes, the buyer's addresses,
 * a remit-to address for each supplier and account types. Pure and deterministic, like the rest.
 */
import { type DemoContext, type DemoRecord, ref } from './context.ts'
import { supplierCurrency } from './currency-table.ts'
import { hashId } from './random.ts'
import { master } from './reference-data.ts'
import { companies } from './words.ts'

/** [ISO code, name, [city, state, postal code] …]: where the buyer and suppliers are. */
const COUNTRIES = [
  [
    'US',
    'United States',
    [
      ['Redwood City', 'CA', '94063'],
      ['Austin', 'TX', '78701'],
      ['Chicago', 'IL', '60601'],
    ],
  ],
  [
    'GB',
    'United Kingdom',
    [
      ['London', null, 'EC2A 4NE'],
      ['Manchester', null, 'M1 1AE'],
    ],
  ],
  [
    'DE',
    'Germany',
    [
      ['Berlin', null, '10115'],
      ['Munich', 'BY', '80331'],
    ],
  ],
  [
    'CA',
    'Canada',
    [
      ['Toronto', 'ON', 'M5H 2N2'],
      ['Vancouver', 'BC', 'V6B 1A1'],
    ],
  ],
  [
    'JP',
    'Japan',
    [
      ['Tokyo', null, '100-0005'],
      ['Osaka', null, '530-0001'],
    ],
  ],
  [
    'FR',
    'France',
    [
      ['Paris', null, '75002'],
      ['Lyon', null, '69002'],
    ],
  ],
] as const

/** The country a currency's suppliers are in. */
const COUNTRY_OF_CURRENCY: Readonly<Record<string, string>> = {
  USD: 'US',
  EUR: 'DE',
  GBP: 'GB',
  CAD: 'CA',
  JPY: 'JP',
}

/** [code, description, percentage, country]: the sales taxes and VATs of the demo currencies. */
export const DEMO_TAX_CODES = [
  ['US-ST-825', 'US sales tax 8.25%', '8.25', 'US'],
  ['DE-VAT-19', 'Germany VAT 19%', '19.00', 'DE'],
  ['GB-VAT-20', 'UK VAT 20%', '20.00', 'GB'],
  ['CA-HST-13', 'Canada HST 13%', '13.00', 'CA'],
  ['JP-CT-10', 'Japan consumption tax 10%', '10.00', 'JP'],
] as const

const STREETS = [
  'Sycamore Avenue',
  'Market Street',
  'Harbour Road',
  'Industrial Way',
  'Station Road',
  'Main Street',
]

/** The buyer's addresses: one head office per company, then warehouses. */
export const DEMO_ADDRESS_COUNT = 8

function countryIndex(code: string): number {
  return Math.max(
    0,
    COUNTRIES.findIndex(([c]) => c === code),
  )
}

/** A street address in `country`, varying with `seed`. */
function street(ctx: DemoContext, country: number, seed: number) {
  const [, , cities] = COUNTRIES[country] as (typeof COUNTRIES)[number]
  const [city, state, postalCode] = cities[seed % cities.length] as readonly [string, string | null, string]
  return {
    street1: `${100 + (seed % 900)} ${STREETS[seed % STREETS.length]}`,
    city,
    state,
    postal_code: postalCode,
    country: ref(ctx.idOf('countries', country)),
    active: true,
  }
}

export function generateCountries(ctx: DemoContext): DemoRecord[] {
  return COUNTRIES.map(([code, name], i) => ({ ...master(ctx, ctx.idOf('countries', i)), code, name }))
}

export function generateTaxCodes(ctx: DemoContext): DemoRecord[] {
  return DEMO_TAX_CODES.map(([code, description, percentage, country], i) => ({
    ...master(ctx, ctx.idOf('tax_codes', i)),
    code,
    description,
    percentage,
    country: ref(ctx.idOf('countries', countryIndex(country))),
    active: true,
  }))
}

/** Head offices of the companies of the chart of accounts (`segment-1`), then warehouses. */
export function generateAddresses(ctx: DemoContext): DemoRecord[] {
  const companyCountries = ['US', 'GB', 'DE', 'CA']
  return Array.from({ length: ctx.counts.addresses }, (_, i) => {
    const company = companies[i % companies.length] as readonly [string, string]
    const office = i < companies.length
    return {
      ...master(ctx, ctx.idOf('addresses', i)),
      name: `${company[1]} ${office ? 'Head Office' : `Warehouse ${Math.ceil((i + 1) / companies.length)}`}`,
      location_code: `LOC-${company[0]}-${String(i + 1).padStart(2, '0')}`,
      ...street(ctx, countryIndex(companyCountries[i % companies.length] as string), hashId(i + 7)),
    }
  })
}

/** One remit-to address for each supplier (the n-th for the n-th), in the supplier's country. */
export function generateRemitToAddresses(ctx: DemoContext, suppliers: readonly DemoRecord[]): DemoRecord[] {
  return suppliers.slice(0, ctx.counts.remit_to_addresses).map((supplier, i) => {
    const currency = supplierCurrency(supplier.id).code
    const seed = hashId(supplier.id)
    return {
      ...master(ctx, ctx.idOf('remit_to_addresses', i)),
      remit_to_code: `RT-${supplier.number ?? supplier.id}`,
      name: `${String(supplier.display_name ?? supplier.name)} Remittance`,
      ...street(ctx, countryIndex(COUNTRY_OF_CURRENCY[currency] ?? 'US'), seed),
      supplier: ref(supplier.id),
    }
  })
}

/** One chart of accounts per company (`segment-1`); each account gets its company's. */
export function generateAccountTypes(ctx: DemoContext): DemoRecord[] {
  return companies.map(([, name], i) => ({
    ...master(ctx, ctx.idOf('account_types', i)),
    name: `${name} Chart of Accounts`,
    active: true,
  }))
}

/** The accounts with their account type: the chart of their company (`segment-1`). */
export function withAccountTypes(ctx: DemoContext, accounts: readonly DemoRecord[]): DemoRecord[] {
  const byCompany = new Map(companies.map(([code], i) => [code, i]))
  return accounts.map((account) => {
    const company = byCompany.get(String(account.segment_1))
    return company === undefined
      ? account
      : { ...account, account_type: ref(ctx.idOf('account_types', company)) }
  })
}
