/**
 * What every demo generator shares: the random stream, the base date, the number of records of
 * each resource and the ids reserved for them, so that records can refer to records not built yet.
 */
import { allCurrencies } from './currency-table.ts'
import { DAY, iso, Random } from './random.ts'

/** Records of each resource at scale 1; currencies, payment terms, roles and other set-up lists do not scale. */
export const DEMO_COUNTS = Object.freeze({
  currencies: allCurrencies.length,
  payment_terms: 6,
  countries: 6,
  tax_codes: 5,
  account_types: 4,
  addresses: 8,
  departments: 20,
  lookup_values: 50,
  accounts: 200,
  exchange_rates: 50,
  users: 400,
  items: 500,
  requisitions: 500,
  purchase_orders: 2000,
  invoices: 3000,
  expense_reports: 300,
  approvals: 400,
  contracts: 60,
  supplier_items: 800,
  remit_to_addresses: 300,
  roles: 6,
  user_groups: 40,
  suppliers: 300,
})

/** A resource the demo data fills. */
export type DemoResource = keyof typeof DEMO_COUNTS

/** Insertion order. Suppliers come last: their presence means a complete seed (seed.ts). */
export const DEMO_RESOURCES = Object.freeze(Object.keys(DEMO_COUNTS) as DemoResource[])

/** A record as the store holds it: underscored keys, references as `{ id }`, lines as arrays. */
export type DemoRecord = Record<string, unknown> & { id: number; created_at: string; updated_at: string }

/** The whole demo data set, by resource. */
export type DemoData = Record<DemoResource, DemoRecord[]>

/** How many records of each resource `scale` gives (at least one of each). */
export function demoCounts(scale = 1): Record<DemoResource, number> {
  // Set-up lists do not scale; remit-to addresses scale with the suppliers they belong to.
  const fixed = new Set<DemoResource>([
    'currencies',
    'payment_terms',
    'countries',
    'tax_codes',
    'account_types',
    'roles',
  ])
  const counts = {} as Record<DemoResource, number>
  for (const resource of DEMO_RESOURCES) {
    const base = DEMO_COUNTS[resource]
    counts[resource] = fixed.has(resource) ? base : Math.max(1, Math.round(base * scale))
  }
  return counts
}

/** Transactional records spread over the two years before the base date. */
export const SPAN = 730 * DAY

/** What a DemoContext is built from. */
export interface DemoContextOptions {
  /** Base date, epoch milliseconds: every record is older. */
  now: number
  seed: number
  counts: Record<DemoResource, number>
  /** The first id reserved for each resource; 1, as in a fresh store, when absent. */
  firstIds?: Partial<Record<DemoResource, number>>
}

/** The state every generator shares: random stream, base date, counts and ids. */
export class DemoContext {
  readonly rng: Random
  readonly now: number
  readonly start: number
  readonly counts: Record<DemoResource, number>
  readonly #firstIds: Partial<Record<DemoResource, number>>

  constructor(options: DemoContextOptions) {
    this.rng = new Random(options.seed)
    this.now = options.now
    this.start = options.now - SPAN
    this.counts = options.counts
    this.#firstIds = options.firstIds ?? {}
  }

  /** The id of the `index`-th (0-based) record of `resource`. */
  idOf(resource: DemoResource, index: number): number {
    return (this.#firstIds[resource] ?? 1) + index
  }

  /** The id of a random record of `resource`. */
  anyId(resource: DemoResource): number {
    return this.idOf(resource, this.rng.int(0, this.counts[resource] - 1))
  }

  /** When the `index`-th of `count` transactional records was created: later index, later time. */
  timeAt(index: number, count: number): number {
    return this.start + Math.floor(((index + this.rng.next()) / count) * (SPAN - DAY))
  }

  /**
   * The transactional records of `resource`, spread over the span in id order: `make` gets each
   * one's id, creation time and index.
   */
  spread<T>(resource: DemoResource, make: (id: number, created: number, index: number) => T): T[] {
    const count = this.counts[resource]
    return Array.from({ length: count }, (_, i) => make(this.idOf(resource, i), this.timeAt(i, count), i))
  }

  /** When master data was set up: in the quarter before the transactional span. */
  setupTime(): number {
    return this.start - this.rng.int(1, 90) * DAY + this.rng.int(0, DAY - 1)
  }

  /** A time between `from` and `from + maxDays` days that is not after the base date. */
  after(from: number, maxDays: number): number {
    return Math.min(this.now, from + Math.floor(this.rng.next() * maxDays * DAY))
  }

  /** `created_at` and `updated_at` of a record. */
  stamps(created: number, updated = created): { created_at: string; updated_at: string } {
    return { created_at: iso(created), updated_at: iso(Math.max(created, updated)) }
  }
}

/** A reference as the store holds it: only the id. */
export function ref(id: number): { id: number } {
  return { id }
}
