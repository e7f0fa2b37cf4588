import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type StoreBackend, useFreshStore } from '../../test/stores.ts'
import type { NestedRecord } from './nested-store.ts'

/** Attachments, comments and image scans under a record, with their files (nested-store.ts). */
export function nestedSuite(backend: StoreBackend): void {
  describe('records under a record', () => {
    const t = useFreshStore(backend)
    const invoice = { resource: 'invoices', id: 12 }
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const record = (id: number, content: Buffer | null, over: Partial<NestedRecord> = {}): NestedRecord => ({
      kind: 'attachments',
      id,
      parentResource: 'invoices',
      parentId: 12,
      data: JSON.stringify({ id, type: 'AttachmentFile' }),
      content,
      ...over,
    })

    it('keeps a file byte for byte, and an empty file apart from none', async () => {
      const { store } = t()
      await store.insertNestedRecord(record(1, everyByte))
      await store.insertNestedRecord(record(2, Buffer.alloc(0)))
      await store.insertNestedRecord(record(3, null))
      const one = await store.getNestedRecord('attachments', invoice, 1)
      assert.ok(one?.content)
      assert.ok(one.content.equals(everyByte))
      assert.deepEqual({ ...one, content: null }, record(1, null))
      assert.equal((await store.getNestedRecord('attachments', invoice, 2))?.content?.length, 0)
      assert.equal((await store.getNestedRecord('attachments', invoice, 3))?.content, null)
    })

    it('lists the records of one parent and kind, without their files, in pages, either way round', async () => {
      const { store } = t()
      for (const id of [1, 2, 3]) await store.insertNestedRecord(record(id, everyByte))
      await store.insertNestedRecord(record(4, null, { parentId: 13 }))
      await store.insertNestedRecord(record(5, null, { kind: 'comments' }))
      await store.insertNestedRecord(record(6, null, { parentResource: 'requisitions' }))
      const query = { kind: 'attachments', parentResource: 'invoices', parentId: 12, offset: 0, limit: 50 }
      const all = await store.listNestedRecords(query)
      assert.deepEqual(all, [record(1, null), record(2, null), record(3, null)])
      assert.deepEqual(
        (await store.listNestedRecords({ ...query, offset: 1, limit: 1 })).map((r) => r.id),
        [2],
      )
      assert.deepEqual(
        (await store.listNestedRecords({ ...query, newestFirst: true, limit: 1 })).map((r) => r.id),
        [3],
      )
      assert.deepEqual(await store.listNestedRecords({ ...query, parentId: 99 }), [])
    })

    it('finds a record only under its own parent and kind', async () => {
      const { store } = t()
      await store.insertNestedRecord(record(1, everyByte))
      assert.equal(await store.getNestedRecord('attachments', { resource: 'invoices', id: 13 }, 1), undefined)
      assert.equal(
        await store.getNestedRecord('attachments', { resource: 'requisitions', id: 12 }, 1),
        undefined,
      )
      assert.equal(await store.getNestedRecord('comments', invoice, 1), undefined)
      assert.equal(await store.getNestedRecord('attachments', invoice, 2), undefined)
    })

    it('refuses a second record of the same kind and id', async () => {
      const { store } = t()
      await store.insertNestedRecord(record(1, null))
      await assert.rejects(store.insertNestedRecord(record(1, null)))
    })
  })
}
