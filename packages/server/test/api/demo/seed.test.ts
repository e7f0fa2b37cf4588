import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEMO_RESOURCES, demoCounts } from '../../../src/api/demo/context.ts'
import { generateDemoData } from '../../../src/api/demo/dataset.ts'
import { generateInvoices } from '../../../src/api/demo/generate-invoices.ts'
import { seedDemoData, toStoredRecord } from '../../../src/api/demo/seed.ts'
import type { Store, StoredRecord } from '../../../src/store/store.ts'
import { storeBackends, useFreshStore } from '../../stores.ts'
import { BASE, checkApprovable, checkRecord, type IdIndex, type Row } from './checks.ts'

/** Every stored record of `resource`, by id. */
async function readAll(store: Store, resource: string): Promise<StoredRecord[]> {
  const all: StoredRecord[] = []
  for (;;) {
    const after = all.length === 0 ? 0 : (all[all.length - 1] as StoredRecord).id
    const page = await store.queryRecords(resource, {
      conditions: [{ column: 'id', op: '>', value: after }],
      orderBy: 'id',
      dir: 'asc',
      offset: 0,
      limit: 5000,
    })
    all.push(...page)
    if (page.length < 5000) return all
  }
}

async function readEverything(store: Store): Promise<{ rows: Map<string, Row[]>; ids: IdIndex }> {
  const rows = new Map<string, Row[]>()
  for (const resource of DEMO_RESOURCES) {
    rows.set(
      resource,
      (await readAll(store, resource)).map((stored) => JSON.parse(stored.data) as Row),
    )
  }
  const ids = new Map(
    [...rows].map(([resource, list]) => [resource, new Set(list.map((r) => r.id as number))]),
  )
  return { rows, ids }
}

for (const backend of storeBackends) {
  describe(`demo data in the ${backend.name} store`, { skip: backend.skip }, () => {
    const fresh = useFreshStore(backend)

    it('seeds once: the generated records, then nothing on the second call', async () => {
      const { store } = fresh()
      const first = await seedDemoData(store, { now: BASE })
      assert.equal(first.seeded, true)
      assert.deepEqual(first.counts, demoCounts())
      const second = await seedDemoData(store, { now: BASE })
      assert.deepEqual(second, { seeded: false, counts: {} })
      const expected = generateDemoData({ now: BASE })
      for (const resource of DEMO_RESOURCES) {
        const stored = await readAll(store, resource)
        assert.equal(stored.length, demoCounts()[resource], resource)
        assert.deepEqual(stored, expected[resource].map(toStoredRecord), resource)
      }
    })

    it('names the reserved ids when the store already has records, and every reference resolves', async () => {
      const { store } = fresh()
      const taken = await store.reserveRecordIds('invoices', 7)
      assert.equal(taken, 1)
      await seedDemoData(store, { now: BASE, scale: 0.1 })
      const { rows, ids } = await readEverything(store)
      assert.equal(rows.get('invoices')?.[0]?.id, 8)
      for (const [resource, list] of rows) for (const row of list) checkRecord(resource, row, ids)
      for (const row of rows.get('approvals') ?? []) checkApprovable(row, ids)
    })

    it('appends 10 000 invoices with contiguous ids after the existing ones', async () => {
      const { store } = fresh()
      await seedDemoData(store, { now: BASE, scale: 0.1 })
      const existing = demoCounts(0.1).invoices
      const result = await generateInvoices(store, { count: 10_000, now: BASE, seed: 3 })
      assert.deepEqual(result, { firstId: existing + 1, lastId: existing + 10_000, count: 10_000 })
      const invoices = await readAll(store, 'invoices')
      assert.deepEqual(
        invoices.map((stored) => stored.id),
        Array.from({ length: existing + 10_000 }, (_, i) => i + 1),
      )
      const { rows, ids } = await readEverything(store)
      for (const row of rows.get('invoices') ?? []) checkRecord('invoices', row, ids)
      const appended = invoices.slice(existing)
      assert.ok(appended.filter((s) => s.status === 'approved').length > 7000)
      assert.ok(appended.every((s) => s.exported === (JSON.parse(s.data) as Row).exported))
    })

    it('generates the same invoices for the same seed', async () => {
      const a = fresh().store
      await seedDemoData(a, { now: BASE, scale: 0.05 })
      await generateInvoices(a, { count: 500, now: BASE, seed: 11 })
      const first = await readAll(a, 'invoices')
      const other = await backend.create()
      try {
        await seedDemoData(other.store, { now: BASE, scale: 0.05 })
        await generateInvoices(other.store, { count: 500, now: BASE, seed: 11 })
        assert.deepEqual(await readAll(other.store, 'invoices'), first)
      } finally {
        await other.destroy()
      }
    })

    it('refuses to generate invoices in a store without suppliers', async () => {
      const { store } = fresh()
      await assert.rejects(generateInvoices(store, { count: 10, now: BASE }), /seed the demo data first/)
      await assert.rejects(generateInvoices(store, { count: 0, now: BASE }), RangeError)
    })
  })
}
