/** Puts the demo data set into a store, once. */
import type { Store, StoredRecord } from '../../store/store.ts'
import { DEMO_RESOURCES, type DemoRecord, type DemoResource, demoCounts } from './context.ts'
import { generateDemoData } from './dataset.ts'

/** Options of seedDemoData. */
export interface SeedDemoDataOptions {
  /** Base date, epoch milliseconds (the caller's clock): records span the two years before it. */
  now: number
  /** Multiplies the counts of `DEMO_COUNTS` but currencies and payment terms (default 1). */
  scale?: number
  seed?: number
  /** Records per insert transaction (default 1000). */
  batchSize?: number
}

/** What seedDemoData did. */
export interface SeedDemoDataResult {
  /** False when the store already had suppliers and nothing was written. */
  seeded: boolean
  /** Records inserted by resource; empty when not seeded. */
  counts: Partial<Record<DemoResource, number>>
}

/** A record in the store's shape: the indexed columns and the JSON. */
export function toStoredRecord(record: DemoRecord): StoredRecord {
  return {
    id: record.id,
    status: typeof record.status === 'string' ? record.status : null,
    exported: typeof record.exported === 'boolean' ? record.exported : null,
    updatedAt: record.updated_at,
    data: JSON.stringify(record),
  }
}

/** Inserts `records` in transactions of `batchSize`. */
export async function insertInBatches(
  store: Store,
  resource: string,
  records: readonly StoredRecord[],
  batchSize = 1000,
): Promise<void> {
  for (let i = 0; i < records.length; i += batchSize) {
    await store.insertRecords(resource, records.slice(i, i + batchSize))
  }
}

/** True when the store already holds a supplier: seeded before, or real data. */
async function hasSuppliers(store: Store): Promise<boolean> {
  const page = await store.queryRecords('suppliers', {
    conditions: [],
    orderBy: 'id',
    dir: 'asc',
    offset: 0,
    limit: 1,
  })
  return page.length > 0
}

/**
 * Seeds the demo data set (`DEMO_COUNTS`: 3 000 invoices, 2 000 orders, 300 suppliers, …) unless the
 * store already has suppliers. Ids are reserved first, so the records can name each other, and
 * suppliers are inserted last: an interrupted seed is redone on the next call. Two processes
 * seeding one empty store at the same moment would both seed; call it from one place.
 *
 * @example await seedDemoData(store, { now: clock.now() })
 */
export async function seedDemoData(store: Store, options: SeedDemoDataOptions): Promise<SeedDemoDataResult> {
  if (await hasSuppliers(store)) return { seeded: false, counts: {} }
  const counts = demoCounts(options.scale)
  const firstIds = {} as Record<DemoResource, number>
  for (const resource of DEMO_RESOURCES) {
    firstIds[resource] = await store.reserveRecordIds(resource, counts[resource])
  }
  const data = generateDemoData({ now: options.now, scale: options.scale, seed: options.seed, firstIds })
  for (const resource of DEMO_RESOURCES) {
    await insertInBatches(store, resource, data[resource].map(toStoredRecord), options.batchSize)
  }
  return { seeded: true, counts }
}
