import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { T0 } from '../../test/records.ts'
import { type StoreBackend, useFreshStore } from '../../test/stores.ts'
import type { RecordCondition, RecordQuery, Store, StoredRecord } from './store.ts'

/** A status with the characters a PostgreSQL array literal or a JSON text must escape. */
const AWKWARD = 'a,b "quoted" {braced} back\\slash'
/** More ids than either database takes as parameters of one statement (SQLite 32 766, PostgreSQL 65 535). */
const MANY = 70_000

/** Core API records: conditions on the indexed columns, lists of ids and values of any length. */
export function recordsSuite(backend: StoreBackend): void {
  describe('core API records', () => {
    const t = useFreshStore(backend)
    const seeded = async () => {
      const { store } = t()
      await store.insertRecords('invoices', [
        stored(1, 'approved', true),
        stored(2, 'pending', false),
        stored(3, null, null),
        stored(4, AWKWARD, true),
        stored(5, 'NULL', false),
        stored(6, 'approved', null),
      ])
      await store.insertRecords('suppliers', [stored(1, 'approved', true)])
      return store
    }

    it('answers in and not in on id, status, exported and updated_at as SQL IN and NOT IN do', async () => {
      const store = await seeded()
      const ids = (...conditions: RecordCondition[]) => idsOf(store, conditions)
      assert.deepEqual(await ids({ column: 'id', op: 'in', value: [2, 4, 99] }), [2, 4])
      assert.deepEqual(await ids({ column: 'id', op: 'in', value: 3 }), [3])
      assert.deepEqual(await ids({ column: 'id', op: 'not in', value: [2, 4] }), [1, 3, 5, 6])
      assert.deepEqual(await ids({ column: 'status', op: 'in', value: ['approved', 'NULL'] }), [1, 5, 6])
      assert.deepEqual(await ids({ column: 'status', op: 'in', value: [AWKWARD] }), [4])
      // NOT IN is unknown, so false, for a NULL status.
      assert.deepEqual(await ids({ column: 'status', op: 'not in', value: ['approved'] }), [2, 4, 5])
      assert.deepEqual(await ids({ column: 'exported', op: 'in', value: true }), [1, 4])
      assert.deepEqual(await ids({ column: 'exported', op: 'not in', value: true }), [2, 5])
      assert.deepEqual(await ids({ column: 'updated_at', op: 'in', value: [at(2), at(5)] }), [2, 5])
    })

    it('an empty list: in matches nothing, not in every record (those with NULL too)', async () => {
      const store = await seeded()
      assert.deepEqual(await idsOf(store, [{ column: 'status', op: 'in', value: [] }]), [])
      assert.deepEqual(
        await idsOf(store, [{ column: 'status', op: 'not in', value: [] }]),
        [1, 2, 3, 4, 5, 6],
      )
    })

    it('combines a list with other conditions, the order and the page', async () => {
      const store = await seeded()
      const conditions: RecordCondition[] = [
        { column: 'id', op: 'in', value: [1, 2, 3, 4, 5, 6] },
        { column: 'status', op: '=', value: 'approved' },
      ]
      assert.deepEqual(await idsOf(store, conditions, { dir: 'desc', limit: 1 }), [6])
      const versions = await store.queryRecordVersions('invoices', query(conditions))
      assert.deepEqual(versions, [
        { id: 1, updatedAt: at(1) },
        { id: 6, updatedAt: at(6) },
      ])
    })

    it('answers a page of versions as the page of records, in every order, with an offset, and none', async () => {
      const store = await seeded()
      // Update times out of id order, so that the two orders differ.
      await store.updateRecord('invoices', { ...stored(2, 'pending', false), updatedAt: at(9) })
      const pages: Partial<RecordQuery>[] = [
        {},
        { dir: 'desc' },
        { orderBy: 'updated_at' },
        { orderBy: 'updated_at', dir: 'desc', offset: 1, limit: 3 },
        { offset: 6 },
      ]
      for (const page of pages) {
        const records = await store.queryRecords('invoices', query([], page))
        const versions = await store.queryRecordVersions('invoices', query([], page))
        assert.deepEqual(
          versions,
          records.map((r) => ({ id: r.id, updatedAt: r.updatedAt })),
          JSON.stringify(page),
        )
      }
      assert.deepEqual(await store.queryRecordVersions('invoices', query([], { offset: 6 })), [])
    })

    it(`takes lists longer than a statement's parameters (${MANY} ids), and reads only its resource`, async () => {
      const store = await seeded()
      const many = Array.from({ length: MANY }, (_, i) => i + 1)
      const found = await store.getRecords('invoices', many)
      assert.deepEqual(
        found.map((r) => r.id).sort((a, b) => a - b),
        [1, 2, 3, 4, 5, 6],
      )
      assert.deepEqual(await idsOf(store, [{ column: 'id', op: 'in', value: many }]), [1, 2, 3, 4, 5, 6])
      assert.deepEqual(await idsOf(store, [{ column: 'id', op: 'not in', value: many }]), [])
      assert.deepEqual(await store.getRecords('suppliers', many), [stored(1, 'approved', true)])
    })

    it('getRecords() reads back each record of a list of ids, whole; unknown ids are left out', async () => {
      const store = await seeded()
      const found = await store.getRecords('invoices', [5, 4, 99])
      assert.deepEqual(
        found.sort((a, b) => a.id - b.id),
        [stored(4, AWKWARD, true), stored(5, 'NULL', false)],
      )
      assert.deepEqual(await store.getRecords('invoices', []), [])
    })
  })
}

function at(n: number): string {
  return new Date(T0 + n * 1000).toISOString()
}

function stored(id: number, status: string | null, exported: boolean | null): StoredRecord {
  return { id, status, exported, updatedAt: at(id), data: JSON.stringify({ id, status }) }
}

function query(conditions: RecordCondition[], page: Partial<RecordQuery> = {}): RecordQuery {
  return { conditions, orderBy: 'id', dir: 'asc', offset: 0, limit: 100, ...page }
}

async function idsOf(
  store: Store,
  conditions: RecordCondition[],
  page: Partial<RecordQuery> = {},
): Promise<number[]> {
  return (await store.queryRecords('invoices', query(conditions, page))).map((r) => r.id)
}
