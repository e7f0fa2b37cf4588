/**
 * Appends invoices to a store that holds master data (the demo seed or real records): for scale
 * tests with 100 000 or 1 000 000 invoices. The ids are reserved in one call, so they are
 * contiguous; the next batch is built while the previous one is written.
 */
import type { Store, StoredRecord } from '../../store/store.ts'
import { DemoContext, type DemoRecord, demoCounts } from './context.ts'
import { DEFAULT_DEMO_SEED } from './dataset.ts'
import { buildInvoice, freeInvoiceLines } from './invoice-builder.ts'
import { currencyIdsByCode, netDaysByTerm, refId, type SupplierInfo, supplierInfos } from './pools.ts'
import { hashId } from './random.ts'
import { toStoredRecord } from './seed.ts'

/** Options of generateInvoices. */
export interface GenerateInvoicesOptions {
  count: number
  /** Base date, epoch milliseconds: invoices span the two years before it. */
  now: number
  seed?: number
  /** Invoices per insert transaction (default 1000). */
  batchSize?: number
  /** Called after each batch is written. */
  onProgress?: (written: number, total: number) => void
}

/** The ids generateInvoices gave the new invoices: `firstId` … `lastId`, contiguous. */
export interface GenerateInvoicesResult {
  firstId: number
  lastId: number
  count: number
}

/** Every record of `resource`, read in pages by id. */
async function readAll(store: Store, resource: string): Promise<DemoRecord[]> {
  const all: DemoRecord[] = []
  for (let after = 0; ; ) {
    const page = await store.queryRecords(resource, {
      conditions: [{ column: 'id', op: '>', value: after }],
      orderBy: 'id',
      dir: 'asc',
      offset: 0,
      limit: 1000,
    })
    for (const stored of page) all.push(JSON.parse(stored.data) as DemoRecord)
    if (page.length < 1000) return all
    after = (page[page.length - 1] as StoredRecord).id
  }
}

/** The active suppliers with their currency and payment term, and the active accounts. */
async function loadPools(
  store: Store,
): Promise<{ suppliers: SupplierInfo[]; accounts: number[]; billTo: number[] }> {
  const [currencies, terms, suppliers, accounts, addresses, remitTos] = await Promise.all(
    ['currencies', 'payment_terms', 'suppliers', 'accounts', 'addresses', 'remit_to_addresses'].map(
      (resource) => readAll(store, resource),
    ),
  )
  const currencyIds = currencyIdsByCode(currencies ?? [])
  // Each supplier is paid at its first active remit-to address.
  const remitToBySupplier = new Map<number, number>()
  for (const remitTo of remitTos ?? []) {
    const supplier = refId(remitTo.supplier)
    if (supplier !== null && remitTo.active !== false && !remitToBySupplier.has(supplier))
      remitToBySupplier.set(supplier, remitTo.id)
  }
  return {
    suppliers: supplierInfos(
      suppliers ?? [],
      netDaysByTerm(terms ?? []),
      currencyIds,
      remitToBySupplier,
    ).filter((supplier) => currencyIds.has(supplier.currency.code)),
    billTo: (addresses ?? []).filter((address) => address.active !== false).map((address) => address.id),
    accounts: (accounts ?? []).filter((account) => account.active !== false).map((account) => account.id),
  }
}

/**
 * Appends `count` invoices, each billing an active supplier in its currency with 1–5 lines on
 * active accounts. Throws when the store has no active supplier with a known currency (seed the
 * demo data first).
 *
 * @example await generateInvoices(store, { count: 100_000, now: Date.now() })
 */
export async function generateInvoices(
  store: Store,
  options: GenerateInvoicesOptions,
): Promise<GenerateInvoicesResult> {
  const { count, batchSize = 1000 } = options
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a whole number above 0')
  const pools = await loadPools(store)
  if (pools.suppliers.length === 0) {
    throw new Error('the store has no active supplier with a known currency: seed the demo data first')
  }
  const firstId = await store.reserveRecordIds('invoices', count)
  const ctx = new DemoContext({
    now: options.now,
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    counts: { ...demoCounts(), invoices: count },
    firstIds: { invoices: firstId },
  })
  const buildBatch = (start: number): StoredRecord[] => {
    const batch: StoredRecord[] = []
    for (let i = start; i < Math.min(count, start + batchSize); i++) {
      const supplier = ctx.rng.pick(pools.suppliers)
      const created = ctx.timeAt(i, count)
      const lines = freeInvoiceLines(ctx, supplier, pools.accounts)
      const id = firstId + i
      const billToId = pools.billTo[hashId(id) % Math.max(1, pools.billTo.length)] ?? null
      batch.push(toStoredRecord(buildInvoice(ctx, { id, created, supplier, lines, billToId })))
    }
    return batch
  }
  let writing: Promise<void> = Promise.resolve()
  for (let start = 0; start < count; start += batchSize) {
    const batch = buildBatch(start)
    await writing
    writing = store
      .insertRecords('invoices', batch)
      .then(() => options.onProgress?.(start + batch.length, count))
  }
  await writing
  return { firstId, lastId: firstId + count - 1, count }
}
