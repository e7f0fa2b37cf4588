import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { resources } from '../../../src/catalogue/index.ts'
import { testDay } from '../../instance.ts'
import { storeBackends } from '../../stores.ts'
import { type AuthInstance, assertCoupaError, startAuthInstance } from './support.ts'

const INVOICE = '/api/invoices/1'
const USE_OAUTH = 'OAuth 2.0 replaces API keys: see /oauth2/token'

for (const backend of storeBackends) {
  describe(`X-COUPA-API-KEY on the core API on ${backend.name}`, { skip: backend.skip }, () => {
    let t: AuthInstance
    let made = 0
    /** POST /admin/v1/api-keys; returns the id and the header to send the key in. */
    const createKey = async (fields: Record<string, unknown> = {}) => {
      made++
      const response = await t.admin('POST', '/api-keys', {
        name: `ERP export ${made}`,
        contact_login: `erp-${made}`,
        contact_email: `erp-${made}@example.com`,
        ...fields,
      })
      assert.equal(response.statusCode, 201, response.body)
      const { id, key } = response.json()
      return { id: id as string, headers: { 'x-coupa-api-key': key as string } }
    }

    before(async () => {
      t = await startAuthInstance(backend)
    })
    after(() => t.close())

    it('serves a key created through POST /admin/v1/api-keys', async () => {
      const { headers } = await createKey()
      const response = await t.get(INVOICE, headers)
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(response.json().id, 1)
      const xml = await t.get(INVOICE, { ...headers, accept: 'application/xml' })
      assert.equal(xml.statusCode, 200)
      assert.match(xml.body, /<invoice-header>/)
    })

    it('answers 401 for an unknown key, telling the client to use OAuth', async () => {
      for (const key of ['0123456789abcdef0123456789abcdef01234567', 'short', 'x'.repeat(41)]) {
        const response = await t.get(INVOICE, { 'x-coupa-api-key': key })
        assertCoupaError(response, 401, [`The API key is not valid; ${USE_OAUTH}`])
      }
      const xml = await t.get(INVOICE, { 'x-coupa-api-key': 'short', accept: 'application/xml' })
      assert.equal(xml.statusCode, 401)
      assert.equal(
        xml.body,
        `<?xml version="1.0" encoding="UTF-8"?><errors><error>The API key is not valid; ${USE_OAUTH}</error></errors>`,
      )
    })

    it('answers 401 on the next request once the key is revoked through the admin API', async () => {
      const { id, headers } = await createKey()
      const other = await createKey()
      assert.equal((await t.get(INVOICE, headers)).statusCode, 200)
      // In use (called a moment ago): revoked only with force.
      const revoked = await t.admin('POST', `/api-keys/${id}/revoke`, { force: true })
      assert.equal(revoked.statusCode, 200, revoked.body)
      assertCoupaError(await t.get(INVOICE, headers), 401, [`The API key has been revoked; ${USE_OAUTH}`])
      assert.equal((await t.get(INVOICE, other.headers)).statusCode, 200)
    })

    it('restricts a key with permissions to exactly those resource#action pairs', async () => {
      const { headers } = await createKey({ permissions: ['invoices#index'] })
      const index = await t.get('/api/invoices?limit=1', headers)
      assert.equal(index.statusCode, 200, index.body)
      assert.equal(index.json().length, 1)

      const show = await t.get(INVOICE, headers)
      assertCoupaError(show, 403, ['Forbidden: this API key is not permitted to show invoices'])
      assert.equal(show.headers['www-authenticate'], undefined)
      assertCoupaError(
        await t.get('/api/suppliers', headers),
        403,
        ['Forbidden: this API key is not permitted to index suppliers'],
        'supplier',
      )
      const update = await t.instance.app.inject({
        method: 'PUT',
        url: '/api/invoices/2',
        headers: { ...headers, accept: 'application/json', 'content-type': 'application/json' },
        payload: '{}',
      })
      assertCoupaError(update, 403, ['Forbidden: this API key is not permitted to update invoices'])
    })

    it('lets a key without permissions (none, null or []) use every API', async () => {
      for (const fields of [{}, { permissions: null }, { permissions: [] }]) {
        const { headers } = await createKey(fields)
        for (const def of resources) {
          const response = await t.get(`/api/${def.name}?limit=1`, headers)
          assert.equal(response.statusCode, 200, `${def.name}: ${response.body}`)
        }
        const update = await t.instance.app.inject({
          method: 'PUT',
          url: '/api/suppliers/2',
          headers: { ...headers, accept: 'application/json', 'content-type': 'application/json' },
          payload: '{}',
        })
        assert.equal(update.statusCode, 200, update.body)
      }
    })

    it('sends a WWW-Authenticate challenge with every 401 (RFC 9110 §15.5.2 MUST)', async () => {
      const response = await t.get(INVOICE, { 'x-coupa-api-key': 'short' })
      assert.equal(response.statusCode, 401)
      assert.match(String(response.headers['www-authenticate']), /^Bearer realm="http:\/\/keyshift\.test"/)
    })

    // Last: it moves the clock to the next day.
    it('answers 401 from 00:00 UTC of the expires_on day', async () => {
      const { id, headers } = await createKey({ expires_on: testDay(1) })
      const lasting = await createKey({ expires_on: testDay(2) })
      assert.equal((await t.get(INVOICE, headers)).statusCode, 200)
      t.clock.time = Date.parse(`${testDay(1)}T00:00:00Z`) - 1
      assert.equal((await t.get(INVOICE, headers)).statusCode, 200)
      t.clock.advance(1)
      assertCoupaError(await t.get(INVOICE, headers), 401, [`The API key has expired; ${USE_OAUTH}`])
      assert.equal((await t.admin('GET', `/api-keys/${id}`)).json().state, 'expired')
      assert.equal((await t.get(INVOICE, lasting.headers)).statusCode, 200)
    })
  })
}
