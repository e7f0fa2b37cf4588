/**
 * Custom fields on the core API (docs/CUSTOM-FIELDS.md): records carry them under `custom-fields`
 * in JSON and XML, typed; writes are checked by type; filters and `fields` reach them; a change of
 * a definition shows at once, cached renderings included. Both stores.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { findResource } from '../../../src/catalogue/index.ts'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, sampleBody, startApiInstance } from '../engine/support.ts'

const XML = { accept: 'application/xml', contentType: 'application/xml' }

for (const backend of storeBackends) {
  describe(`custom fields of core API records on ${backend.name}`, { skip: backend.skip }, () => {
    let t: ApiInstance
    let auth: Record<string, string>
    const ids: Record<string, string> = {}

    const define = async (body: Record<string, unknown>) => {
      t.clock.advance(1)
      const response = await t.admin('POST', '/custom-fields', body)
      assert.equal(response.statusCode, 201, response.body)
      ids[String(body.name)] = response.json().id
    }
    const supplier = (customFields: unknown) => {
      const body = JSON.parse(
        sampleBody(findResource('suppliers') as NonNullable<ReturnType<typeof findResource>>),
      )
      return JSON.stringify({ ...body, 'custom-fields': customFields })
    }
    const errorsOf = async (body: string, url = '/api/suppliers') => {
      const response = await t.call('POST', url, auth, { body })
      assert.equal(response.statusCode, 400, response.body)
      return response.json().errors
    }

    before(async () => {
      t = await startApiInstance(backend)
      auth = await t.bearer([
        'core.supplier.read',
        'core.supplier.write',
        'core.purchase_order.read',
        'core.purchase_order.write',
      ])
    })
    after(() => t.close())

    it('refuses custom-fields in a body and in fields while the resource defines none', async () => {
      assert.deepEqual(await errorsOf(supplier({ 'erp-vendor-id': 'V-1' })), {
        supplier: ['unknown field custom-fields'],
      })
      const projected = await t.call('GET', '/api/suppliers?fields=["id",{"custom_fields":{}}]', auth)
      assert.equal(projected.statusCode, 400, projected.body)
    })

    it('writes and reads every type in JSON, nested under custom-fields with dashed names', async () => {
      await define({ resource: 'suppliers', name: 'erp-vendor-id', label: 'ERP Vendor ID', type: 'string' })
      await define({ resource: 'suppliers', name: 'vendor_rank', label: 'Vendor Rank', type: 'integer' })
      await define({ resource: 'suppliers', name: 'preferred', label: 'Preferred', type: 'boolean' })
      await define({ resource: 'suppliers', name: 'onboarded-on', label: 'Onboarded On', type: 'date' })
      await define({ resource: 'suppliers', name: 'tier', label: 'Tier', type: 'lookup', values: ['A', 'B'] })
      const given = {
        'erp-vendor-id': 'V-1001',
        'vendor-rank': 3,
        preferred: true,
        'onboarded-on': '2026-11-01',
        tier: 'B',
      }
      const created = await t.call('POST', '/api/suppliers', auth, { body: supplier(given) })
      assert.equal(created.statusCode, 201, created.body)
      assert.deepEqual(created.json()['custom-fields'], given)
      const shown = await t.call('GET', `/api/suppliers/${created.json().id}`, auth)
      assert.deepEqual(shown.json()['custom-fields'], given)
    })

    it('renders them in XML typed like the other scalars', async () => {
      const created = await t.call('POST', '/api/suppliers', auth, {
        body: supplier({ 'erp-vendor-id': 'V-2002', 'vendor-rank': 7, preferred: false }),
      })
      const xml = await t.call('GET', `/api/suppliers/${created.json().id}`, auth, XML)
      assert.match(
        xml.body,
        new RegExp(
          '<custom-fields><erp-vendor-id>V-2002</erp-vendor-id><vendor-rank type="integer">7</vendor-rank>' +
            '<preferred type="boolean">false</preferred><onboarded-on nil="true"/><tier nil="true"/></custom-fields>',
        ),
      )
    })

    it('reads an XML body with custom fields and gives it back identical', async () => {
      const customFields =
        '<custom-fields><erp-vendor-id>V-3003</erp-vendor-id><vendor-rank type="integer">12</vendor-rank>' +
        '<preferred type="boolean">true</preferred><onboarded-on type="date">2026-10-31</onboarded-on>' +
        '<tier>A</tier></custom-fields>'
      const body = `<?xml version="1.0" encoding="UTF-8"?><supplier><name>XML supplier</name>${customFields}</supplier>`
      const created = await t.call('POST', '/api/suppliers', auth, { ...XML, body })
      assert.equal(created.statusCode, 201, created.body)
      const id = /<id type="integer">(\d+)<\/id>/.exec(created.body)?.[1]
      const shown = await t.call('GET', `/api/suppliers/${id}`, auth, XML)
      assert.match(shown.body, new RegExp(customFields))
      assert.equal(shown.body, created.body)
    })

    it('refuses a value of the wrong type, naming the field, and a field not defined', async () => {
      assert.deepEqual(await errorsOf(supplier({ 'vendor-rank': 'three', preferred: 'yes' })), {
        supplier: [
          'custom-fields.vendor-rank must be an integer',
          'custom-fields.preferred must be a boolean',
        ],
      })
      assert.deepEqual(await errorsOf(supplier({ 'onboarded-on': '31/10/2026', tier: 'C' })), {
        supplier: ['custom-fields.onboarded-on must be a date', 'custom-fields.tier must be one of A, B'],
      })
      assert.deepEqual(await errorsOf(supplier({ 'erp-customer-id': 'C-1' })), {
        supplier: ['unknown field custom-fields.erp-customer-id'],
      })
      assert.deepEqual(await errorsOf(supplier('V-1')), { supplier: ['custom-fields must be an object'] })
    })

    it('answers Coupa\'s "<Label> can\'t be blank" for a required field missing on create', async () => {
      await define({
        resource: 'purchase_orders',
        name: 'cost-center',
        label: 'Cost Center',
        type: 'lookup',
        values: ['CC-100', 'CC-200'],
        required: true,
      })
      const order = JSON.parse(
        sampleBody(findResource('purchase_orders') as NonNullable<ReturnType<typeof findResource>>),
      )
      assert.deepEqual(await errorsOf(JSON.stringify(order), '/api/purchase_orders'), {
        'order-header': ["Cost Center can't be blank"],
      })
      const created = await t.call('POST', '/api/purchase_orders', auth, {
        body: JSON.stringify({ ...order, 'custom-fields': { 'cost-center': 'CC-200' } }),
      })
      assert.equal(created.statusCode, 201, created.body)
      assert.deepEqual(created.json()['custom-fields'], { 'cost-center': 'CC-200' })
    })

    it('updates the custom fields a PUT names and keeps the others', async () => {
      const created = await t.call('POST', '/api/suppliers', auth, {
        body: supplier({ 'erp-vendor-id': 'V-4004', 'vendor-rank': 1 }),
      })
      t.clock.advance(1000)
      const updated = await t.call('PUT', `/api/suppliers/${created.json().id}`, auth, {
        body: '{"custom-fields":{"vendor-rank":2}}',
      })
      assert.equal(updated.statusCode, 200, updated.body)
      assert.equal(updated.json()['custom-fields']['erp-vendor-id'], 'V-4004')
      assert.equal(updated.json()['custom-fields']['vendor-rank'], 2)
    })

    it('filters on a custom field, with or without an operator, dashed or underscored', async () => {
      const exact = await t.call('GET', '/api/suppliers?custom_fields[erp_vendor_id]=V-1001', auth)
      assert.deepEqual(
        exact
          .json()
          .map((s: Record<string, Record<string, unknown>>) => s['custom-fields']?.['erp-vendor-id']),
        ['V-1001'],
      )
      const contains = await t.call('GET', '/api/suppliers?custom_fields[erp-vendor-id][contains]=00', auth)
      const found = contains
        .json()
        .map((s: Record<string, Record<string, unknown>>) => s['custom-fields']?.['erp-vendor-id'])
      assert.deepEqual(found, ['V-1001', 'V-2002', 'V-3003', 'V-4004'])
      const ranked = await t.call('GET', '/api/suppliers?custom_fields[vendor_rank][gt]=5', auth)
      assert.deepEqual(
        ranked
          .json()
          .map((s: Record<string, Record<string, unknown>>) => s['custom-fields']?.['vendor-rank']),
        [7, 12],
      )
      const unknown = await t.call('GET', '/api/suppliers?custom_fields[nope]=1', auth)
      assert.equal(unknown.statusCode, 400, unknown.body)
    })

    it('projects every custom field with {"custom_fields":{}} and some with a list of names', async () => {
      const all = await t.call(
        'GET',
        '/api/suppliers?custom_fields[erp_vendor_id]=V-1001&fields=["id",{"custom_fields":{}}]',
        auth,
      )
      assert.deepEqual(Object.keys(all.json()[0]), ['id', 'custom-fields'])
      assert.deepEqual(Object.keys(all.json()[0]['custom-fields']), [
        'erp-vendor-id',
        'vendor-rank',
        'preferred',
        'onboarded-on',
        'tier',
      ])
      const some = await t.call(
        'GET',
        '/api/suppliers?custom_fields[erp_vendor_id]=V-1001&fields=["id",{"custom_fields":["erp-vendor-id"]}]',
        auth,
      )
      assert.deepEqual(some.json()[0]['custom-fields'], { 'erp-vendor-id': 'V-1001' })
    })

    it('shows a definition change at once, records already rendered (cached) included', async () => {
      const created = await t.call('POST', '/api/suppliers', auth, {
        body: supplier({ 'erp-vendor-id': 'V-5005' }),
      })
      const url = `/api/suppliers/${created.json().id}`
      const page = `/api/suppliers?id=${created.json().id}`
      for (const accept of ['application/json', 'application/xml']) {
        await t.call('GET', url, auth, { accept })
        await t.call('GET', page, auth, { accept })
      }
      const deactivated = await t.admin('POST', `/custom-fields/${ids.tier}/deactivate`, {})
      assert.equal(deactivated.statusCode, 200, deactivated.body)
      assert.equal(deactivated.json().active, false)
      assert.deepEqual(Object.keys((await t.call('GET', url, auth)).json()['custom-fields']), [
        'erp-vendor-id',
        'vendor-rank',
        'preferred',
        'onboarded-on',
      ])
      assert.equal((await t.call('GET', page, auth)).json()[0]['custom-fields'].tier, undefined)
      assert.doesNotMatch((await t.call('GET', url, auth, XML)).body, /<tier/)
      await define({ resource: 'suppliers', name: 'region', label: 'Region', type: 'string' })
      assert.equal((await t.call('GET', url, auth)).json()['custom-fields'].region, null)
      assert.match((await t.call('GET', page, auth, XML)).body, /<region nil="true"\/><\/custom-fields>/)
      // An inactive field is no longer accepted; its stored values come back with it.
      assert.deepEqual(await errorsOf(supplier({ tier: 'A' })), {
        supplier: ['unknown field custom-fields.tier'],
      })
      await t.admin('PATCH', `/custom-fields/${ids.tier}`, { active: true })
      assert.equal(
        (await t.call('GET', '/api/suppliers?custom_fields[erp_vendor_id]=V-1001', auth)).json()[0][
          'custom-fields'
        ].tier,
        'B',
      )
    })
  })
}
