import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { T0 } from '../../test/records.ts'
import { type StoreBackend, useFreshStore } from '../../test/stores.ts'
import type { CustomFieldRecord } from '../contract/records.ts'
import { StoreConflictError } from './store.ts'

export function customField(id: string, changes: Partial<CustomFieldRecord> = {}): CustomFieldRecord {
  return {
    id,
    resource: 'suppliers',
    name: 'erp_vendor_id',
    label: 'ERP Vendor ID',
    type: 'string',
    values: null,
    required: false,
    active: true,
    createdAt: T0,
    updatedAt: T0,
    ...changes,
  }
}

/** Custom field definitions (migration 8): insert, list, unique name per resource, update. */
export function customFieldsSuite(backend: StoreBackend): void {
  describe('custom fields', () => {
    const t = useFreshStore(backend)

    it('reads back every field, a lookup with its values and booleans as booleans, oldest first', async () => {
      const { store } = t()
      const vendor = customField('cf-1')
      const center = customField('cf-2', {
        resource: 'purchase_orders',
        name: 'cost_center',
        label: 'Cost Center',
        type: 'lookup',
        values: ['CC-100', 'CC-200'],
        required: true,
        active: false,
        createdAt: T0 + 1,
        updatedAt: T0 + 2,
      })
      await store.insertCustomField(center)
      await store.insertCustomField(vendor)
      assert.deepEqual(await store.listCustomFields(), [vendor, center])
    })

    it('refuses a second field of the same name on one resource, not on another', async () => {
      const { store } = t()
      await store.insertCustomField(customField('cf-1'))
      await assert.rejects(store.insertCustomField(customField('cf-2')), StoreConflictError)
      await store.insertCustomField(customField('cf-3', { resource: 'invoices' }))
      assert.equal((await store.listCustomFields()).length, 2)
    })

    it('updates only the fields given, and answers undefined for an unknown id', async () => {
      const { store } = t()
      await store.insertCustomField(customField('cf-1', { type: 'lookup', values: ['A'] }))
      const updated = await store.updateCustomField('cf-1', {
        label: 'Vendor',
        values: ['A', 'B'],
        active: false,
        updatedAt: T0 + 5,
      })
      assert.deepEqual(
        updated,
        customField('cf-1', {
          type: 'lookup',
          label: 'Vendor',
          values: ['A', 'B'],
          active: false,
          updatedAt: T0 + 5,
        }),
      )
      assert.equal(await store.updateCustomField('nope', { active: true, updatedAt: T0 }), undefined)
    })
  })
}
