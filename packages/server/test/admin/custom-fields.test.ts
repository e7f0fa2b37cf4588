import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { CustomFieldView } from '../../src/contract/wire.ts'
import { customFieldView } from '../../src/contract/wire-schemas.ts'
import { startInstance, TEST_NOW, TestClock, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const NOW = new Date(TEST_NOW).toISOString()

for (const backend of storeBackends) {
  describe(`admin API /admin/v1/custom-fields on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TestInstance
    const clock = new TestClock()
    const problemOf = async (method: 'POST' | 'PATCH', url: string, body: unknown, status: number) => {
      const response = await t.admin(method, url, body)
      assert.equal(response.statusCode, status, response.body)
      return response.json()
    }

    before(async () => {
      t = await startInstance(backend, { clock })
    })
    after(() => t.close())

    it('creates a field (201) and lists it, name dashed, as the wire schema says', async () => {
      const response = await t.admin('POST', '/custom-fields', {
        resource: 'purchase_orders',
        name: 'cost_center',
        label: 'Cost Center',
        type: 'lookup',
        values: ['CC-100', 'CC-200', 'CC-100'],
        required: true,
      })
      assert.equal(response.statusCode, 201, response.body)
      const created = customFieldView.parse(response.json())
      assert.deepEqual(
        { ...created, id: 'x' },
        {
          id: 'x',
          resource: 'purchase_orders',
          name: 'cost-center',
          label: 'Cost Center',
          type: 'lookup',
          values: ['CC-100', 'CC-200'],
          required: true,
          active: true,
          created_at: NOW,
          updated_at: NOW,
        },
      )
      const list = await t.admin('GET', '/custom-fields')
      assert.deepEqual(list.json(), { custom_fields: [created] })
    })

    it('refuses a second field of that name on the resource with 409', async () => {
      const body = { resource: 'purchase_orders', name: 'cost-center', label: 'Again', type: 'string' }
      const problem = await problemOf('POST', '/custom-fields', body, 409)
      assert.equal(problem.detail, 'purchase_orders already has a custom field cost-center')
    })

    it('refuses an unknown resource, a bad name, lookup values that do not fit, an unknown type', async () => {
      const wrong = await problemOf(
        'POST',
        '/custom-fields',
        { resource: 'widgets', name: 'Bad Name', label: 'X', type: 'string', values: ['a'] },
        400,
      )
      assert.deepEqual(Object.keys(wrong.errors).sort(), ['name', 'resource', 'values'])
      const lookup = await problemOf(
        'POST',
        '/custom-fields',
        { resource: 'invoices', name: 'x', label: 'X', type: 'lookup' },
        400,
      )
      assert.deepEqual(lookup.errors, { values: ['a lookup needs at least one value'] })
      const type = await problemOf(
        'POST',
        '/custom-fields',
        { resource: 'invoices', name: 'x', label: 'X', type: 'text' },
        400,
      )
      assert.deepEqual(type.errors, { type: ['must be string, integer, boolean, date or lookup'] })
      assert.deepEqual((await t.admin('GET', '/custom-fields')).json().custom_fields.length, 1)
    })

    it('updates label, values and required; deactivates; 404 for an unknown id', async () => {
      const [field] = (await t.admin('GET', '/custom-fields')).json().custom_fields as CustomFieldView[]
      assert.ok(field, 'the field created above')
      clock.advance(60_000)
      const updated = await t.admin('PATCH', `/custom-fields/${field.id}`, {
        label: 'Cost centre',
        values: ['CC-300'],
        required: false,
      })
      assert.equal(updated.statusCode, 200, updated.body)
      assert.deepEqual(
        { ...(updated.json() as CustomFieldView), updated_at: undefined },
        { ...field, label: 'Cost centre', values: ['CC-300'], required: false, updated_at: undefined },
      )
      assert.equal(updated.json().updated_at, new Date(TEST_NOW + 60_000).toISOString())
      const deactivated = await t.admin('POST', `/custom-fields/${field.id}/deactivate`, {})
      assert.equal(deactivated.json().active, false)
      await problemOf('PATCH', '/custom-fields/nope', { label: 'X' }, 404)
      await problemOf('PATCH', `/custom-fields/${field.id}`, { name: 'renamed' }, 400)
    })

    it('refuses callers who are not admin users', async () => {
      const response = await t.instance.app.inject({ method: 'GET', url: '/admin/v1/custom-fields' })
      assert.equal(response.statusCode, 401)
    })
  })
}
