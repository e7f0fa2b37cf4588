import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { startInstance, TEST_NOW, TestClock, type TestInstance, testDay } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const NOW = new Date(TEST_NOW).toISOString()
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function assertProblem(
  response: LightMyRequestResponse,
  status: number,
  title: string,
  detail: string,
  errors?: Record<string, string[]>,
) {
  assert.equal(response.statusCode, status, response.body)
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/)
  assert.deepEqual(response.json(), { type: 'about:blank', title, status, detail, ...(errors && { errors }) })
}

for (const backend of storeBackends) {
  describe(`admin API /admin/v1/api-keys on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TestInstance
    const clock = new TestClock()
    let made = 0
    const body = (fields: Record<string, unknown> = {}) => {
      made++
      return {
        name: `Key ${made}`,
        contact_login: `key-${made}`,
        contact_email: `key-${made}@example.com`,
        ...fields,
      }
    }
    const create = async (fields: Record<string, unknown> = {}) => {
      const response = await t.admin('POST', '/api-keys', body(fields))
      assert.equal(response.statusCode, 201, response.body)
      return response.json()
    }
    const invalid = async (fields: Record<string, unknown>, errors: Record<string, string[]>) => {
      const detail = Object.entries(errors)
        .map(([field, messages]) => `${field}: ${messages.join('; ')}`)
        .join('. ')
      assertProblem(await t.admin('POST', '/api-keys', fields), 400, 'Bad Request', detail, errors)
    }

    before(async () => {
      t = await startInstance(backend, { clock })
    })
    after(() => t.close())

    it('creates a key (201, no-store) and shows the 40-hex key in that response only', async () => {
      const response = await t.admin('POST', '/api-keys', {
        name: 'ERP export',
        description: 'Nightly invoice export',
        contact_first_name: 'Grace',
        contact_last_name: 'Hopper',
        contact_login: 'erp-export',
        contact_email: 'grace@example.com',
        expires_on: testDay(34),
        permissions: ['invoices#index', 'invoices#show', 'invoices#index'],
      })
      assert.equal(response.statusCode, 201, response.body)
      assert.equal(response.headers['cache-control'], 'no-store')
      const { key, ...view } = response.json()
      assert.match(key, /^[0-9a-f]{40}$/)
      assert.match(view.id, UUID)
      assert.deepEqual(view, {
        id: view.id,
        name: 'ERP export',
        description: 'Nightly invoice export',
        contact_first_name: 'Grace',
        contact_last_name: 'Hopper',
        contact_login: 'erp-export',
        contact_email: 'grace@example.com',
        expires_on: testDay(34),
        permissions: ['invoices#index', 'invoices#show'],
        state: 'active',
        revoked_at: null,
        replacement_client_id: null,
        deprecation_at: null,
        sunset_at: null,
        created_at: NOW,
        updated_at: NOW,
      })

      const show = await t.admin('GET', `/api-keys/${view.id}`)
      assert.equal(show.statusCode, 200)
      assert.deepEqual(show.json(), view)
      const list = await t.admin('GET', '/api-keys')
      assert.equal(list.statusCode, 200)
      assert.deepEqual(
        list.json().api_keys.find((k: { id: string }) => k.id === view.id),
        view,
      )
      for (const answer of [show, list]) {
        assert.ok(!answer.body.includes(key), 'the key must not appear again')
        assert.ok(!/"key"|key_hash/.test(answer.body))
      }
    })

    it('creates a key with only the required fields: every API, no expiry', async () => {
      const key = await create({
        name: 'Minimal',
        contact_login: 'minimal',
        contact_email: 'minimal@example.com',
      })
      assert.equal(key.description, null)
      assert.equal(key.contact_first_name, null)
      assert.equal(key.contact_last_name, null)
      assert.equal(key.expires_on, null)
      assert.equal(key.permissions, null)
      assert.equal(key.state, 'active')
      assert.equal((await create({ permissions: [] })).permissions, null)
      assert.equal((await create({ expires_on: testDay(1) })).expires_on, testDay(1))
    })

    it('answers 409 naming contact_login or contact_email when one is taken', async () => {
      const first = await create()
      const before = (await t.admin('GET', '/api-keys')).json().api_keys.length
      assertProblem(
        await t.admin('POST', '/api-keys', body({ contact_login: first.contact_login })),
        409,
        'Conflict',
        'Contact Login has already been taken',
        { contact_login: ['Contact Login has already been taken'] },
      )
      assertProblem(
        await t.admin('POST', '/api-keys', body({ contact_email: first.contact_email })),
        409,
        'Conflict',
        'Contact Email has already been taken',
        { contact_email: ['Contact Email has already been taken'] },
      )
      assert.equal((await t.admin('GET', '/api-keys')).json().api_keys.length, before)
    })

    it('answers 400 naming each missing or invalid field', async () => {
      const { contact_email: _, ...noEmail } = body()
      await invalid(noEmail, { contact_email: ['is required'] })
      await invalid(body({ contact_email: 'not an address' }), {
        contact_email: ['must be an email address'],
      })
      await invalid({ contact_login: 'x', contact_email: 'x@example.com' }, { name: ['is required'] })
      await invalid(body({ name: '  ' }), { name: ['must not be blank'] })
      await invalid(body({ key: 'a'.repeat(40) }), { key: ['unknown field'] })
      await invalid(body({ permissions: 'invoices#index' }), {
        permissions: ['Invalid input: expected array, received string'],
      })
    })

    it('answers 400 for an expires_on that is not a date or not after today', async () => {
      for (const expiresOn of [
        'tomorrow',
        '2026-13-01',
        '2027-02-29',
        '28/11/2026',
        '2026-11-28T00:00:00Z',
      ]) {
        await invalid(body({ expires_on: expiresOn }), { expires_on: ['must be a date, YYYY-MM-DD'] })
      }
      for (const expiresOn of [testDay(0), testDay(-1), '1999-01-01']) {
        await invalid(body({ expires_on: expiresOn }), {
          expires_on: ['must be a date after today (YYYY-MM-DD)'],
        })
      }
    })

    it('answers 400 naming an unknown permission', async () => {
      await invalid(body({ permissions: ['invoices#index', 'invoices#delete_everything'] }), {
        permissions: [
          'unknown permission invoices#delete_everything; use resource#action, such as invoices#index or invoices#void',
        ],
      })
    })

    it('revokes a key (200, state revoked); revoking again changes nothing', async () => {
      const { id } = await create()
      clock.advance(60_000)
      const revoked = await t.admin('POST', `/api-keys/${id}/revoke`)
      assert.equal(revoked.statusCode, 200, revoked.body)
      const view = revoked.json()
      assert.equal(view.state, 'revoked')
      assert.equal(view.revoked_at, new Date(clock.now()).toISOString())
      assert.equal(view.updated_at, view.revoked_at)
      assert.equal(view.created_at < view.revoked_at, true)
      assert.equal('key' in view, false)

      clock.advance(60_000)
      const again = await t.admin('POST', `/api-keys/${id}/revoke`)
      assert.equal(again.statusCode, 200)
      assert.deepEqual(again.json(), view)
      assert.deepEqual((await t.admin('GET', `/api-keys/${id}`)).json(), view)
      const listed = (await t.admin('GET', '/api-keys')).json().api_keys
      assert.deepEqual(
        listed.find((k: { id: string }) => k.id === id),
        view,
      )
    })

    it('answers 401 with a Basic challenge without admin credentials, and creates nothing', async () => {
      const { id } = await create()
      const count = (await t.admin('GET', '/api-keys')).json().api_keys.length
      const requests = [
        { method: 'GET', url: '/admin/v1/api-keys' },
        { method: 'POST', url: '/admin/v1/api-keys', payload: body() },
        { method: 'GET', url: `/admin/v1/api-keys/${id}` },
        { method: 'POST', url: `/admin/v1/api-keys/${id}/revoke` },
      ] as const
      for (const request of requests) {
        const response = await t.instance.app.inject(request)
        assert.equal(response.statusCode, 401, `${request.method} ${request.url}`)
        assert.equal(response.headers['www-authenticate'], 'Basic realm="Keyshift admin", charset="UTF-8"')
        assert.equal(response.json().status, 401)
      }
      assert.equal((await t.admin('GET', '/api-keys')).json().api_keys.length, count)
      assert.equal((await t.admin('GET', `/api-keys/${id}`)).json().state, 'active')
    })

    it('answers 404 for unknown ids', async () => {
      for (const id of [randomUUID(), 'nope', '1']) {
        const detail = `no API key with id ${JSON.stringify(id)}`
        assertProblem(await t.admin('GET', `/api-keys/${id}`), 404, 'Not Found', detail)
        assertProblem(await t.admin('POST', `/api-keys/${id}/revoke`), 404, 'Not Found', detail)
      }
    })
  })
}
