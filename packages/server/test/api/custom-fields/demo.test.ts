import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { seedDemoCustomFields } from '../../../src/api/demo/custom-fields.ts'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, startApiInstance } from '../engine/support.ts'

for (const backend of storeBackends) {
  describe(`the demo's custom fields on ${backend.name}`, { skip: backend.skip }, () => {
    let t: ApiInstance
    let auth: Record<string, string>
    before(async () => {
      t = await startApiInstance(backend)
      auth = await t.bearer(['core.supplier.read', 'core.invoice.read', 'core.purchase_order.read'])
    })
    after(() => t.close())

    it('defines them once and fills them on the demo records', async () => {
      assert.equal(await seedDemoCustomFields(t.instance.customFields, t.testStore.store), true)
      assert.equal(await seedDemoCustomFields(t.instance.customFields, t.testStore.store), false)
      const names = (await t.admin('GET', '/custom-fields'))
        .json()
        .custom_fields.map((f: { name: string }) => f.name)
      assert.deepEqual(names.sort(), ['cost-center', 'erp-invoice-id', 'erp-vendor-id'])
      const supplier = (await t.call('GET', '/api/suppliers/3', auth)).json()
      assert.deepEqual(supplier['custom-fields'], { 'erp-vendor-id': 'V-10003' })
      const found = await t.call('GET', '/api/suppliers?custom_fields[erp_vendor_id]=V-10003', auth)
      assert.deepEqual(
        found.json().map((s: { id: number }) => s.id),
        [3],
      )
      const order = (await t.call('GET', '/api/purchase_orders/1', auth)).json()
      assert.equal(order['custom-fields']['cost-center'], 'Field Ops')
      const exported = (await t.call('GET', '/api/invoices?exported=true&limit=1', auth)).json()[0]
      assert.match(exported['custom-fields']['erp-invoice-id'], /^ERP-INV-2\d{5}$/)
      const notExported = (await t.call('GET', '/api/invoices?exported=false&limit=1', auth)).json()[0]
      assert.deepEqual(notExported['custom-fields'], { 'erp-invoice-id': null })
    })
  })
}
