import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { scopeCatalogue } from '../../src/catalogue/index.ts'
import { adminAuth, basicHeader, startInstance, TestClock, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const problem = (status: number, title: string, detail: string, errors?: Record<string, string[]>) => ({
  type: 'about:blank',
  title,
  status,
  detail,
  ...(errors && { errors }),
})

for (const backend of storeBackends) {
  describe(`admin API /admin/v1 on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TestInstance
    const clock = new TestClock()
    const getToken = (clientId: string, secret: string) =>
      t.form('/oauth2/token', {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secret,
      })

    before(async () => {
      t = await startInstance(backend, { clock })
    })
    after(() => t.close())

    describe('authentication', () => {
      it('answers 401 problem+json with a Basic challenge without credentials', async () => {
        const response = await t.instance.app.inject('/admin/v1/oauth2/clients')
        assert.equal(response.statusCode, 401)
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/)
        assert.equal(response.headers['www-authenticate'], 'Basic realm="Keyshift admin", charset="UTF-8"')
        assert.equal(response.json().status, 401)
      })

      it('answers 401 for a wrong password and for an unknown user', async () => {
        for (const authorization of [basicHeader('admin', 'wrong password'), basicHeader('mallory', 'x')]) {
          const response = await t.instance.app.inject({
            url: '/admin/v1/scopes',
            headers: { authorization },
          })
          assert.equal(response.statusCode, 401)
        }
      })
    })

    describe('scopes', () => {
      it('lists the whole catalogue with descriptions and the API actions each scope grants', async () => {
        const { scopes } = (await t.admin('GET', '/scopes')).json()
        assert.equal(scopes.length, scopeCatalogue.length)
        const byName = (name: string) => scopes.find((s: { name: string }) => s.name === name)
        assert.deepEqual(byName('core.invoice.read'), {
          name: 'core.invoice.read',
          description: 'Allows to view invoices',
          object: 'invoice',
          service: 'core',
          actions: [
            'invoices#attachments',
            'invoices#index',
            'invoices#retrieve_image_scan',
            'invoices#show',
          ],
        })
        assert.deepEqual(byName('core.invoice.delete').actions, ['invoices#abandon', 'invoices#void'])
        assert.deepEqual(byName('openid').actions, [])
      })
    })

    describe('OAuth clients', () => {
      it('creates a client and returns Identifier, Secret and Oidc Scopes once (201)', async () => {
        const response = await t.admin('POST', '/oauth2/clients', {
          name: 'Master data sync',
          grant_type: 'client_credentials',
          scopes: ['core.supplier.read', 'core.common.read'],
          login: 'master-data-sync',
          contact_first_name: 'Ada',
          contact_last_name: 'Lovelace',
          contact_email: 'ada@example.com',
        })
        assert.equal(response.statusCode, 201)
        assert.equal(response.headers['cache-control'], 'no-store')
        const body = response.json()
        assert.match(body.client_id, /^[0-9a-f]{32}$/)
        assert.match(body.client_secret, /^[0-9a-f]{64}$/)
        assert.equal(body.scope, 'core.supplier.read core.common.read')
        assert.deepEqual(body.scopes, ['core.supplier.read', 'core.common.read'])
        assert.equal(body.active, true)
        assert.equal(body.grant_type, 'client_credentials')
        assert.equal(body.created_at, new Date(clock.now()).toISOString())
        assert.equal(body.contact_email, 'ada@example.com')

        const shown = (await t.admin('GET', `/oauth2/clients/${body.id}`)).json()
        assert.equal(shown.client_secret, undefined)
        assert.equal(JSON.stringify(shown).includes(body.client_secret), false)
        const { client_secret: _secret, ...withoutSecret } = body
        assert.deepEqual(shown, withoutSecret)
        const byClientId = (await t.admin('GET', `/oauth2/clients/${body.client_id}`)).json()
        assert.equal(byClientId.id, body.id)
        const list = (await t.admin('GET', '/oauth2/clients')).json().clients
        assert.ok(list.some((c: { id: string }) => c.id === body.id))
        assert.equal(JSON.stringify(list).includes(body.client_secret), false)
        assert.equal((await getToken(body.client_id, body.client_secret)).statusCode, 200)
      })

      it('gives a client every scope of the catalogue with scopes "all"', async () => {
        const client = await t.createClient({ scopes: 'all' })
        assert.equal(client.scopes.length, scopeCatalogue.length)
      })

      it('refuses another grant type with a 400 that says only client credentials is supported', async () => {
        const response = await t.admin('POST', '/oauth2/clients', {
          name: 'x',
          grant_type: 'authorization_code',
          scopes: ['core.invoice.read'],
          login: 'auth-code',
        })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(
          response.json(),
          problem(
            400,
            'Bad Request',
            'grant_type: only client_credentials is supported (got "authorization_code")',
            {
              grant_type: ['only client_credentials is supported (got "authorization_code")'],
            },
          ),
        )
      })

      it('refuses no scope, an unknown scope and missing fields, naming each field', async () => {
        const none = await t.admin('POST', '/oauth2/clients', { name: 'x', scopes: [], login: 'no-scope' })
        assert.equal(none.statusCode, 400)
        assert.deepEqual(none.json().errors, { scopes: ['choose at least one scope'] })

        const unknown = await t.admin('POST', '/oauth2/clients', {
          name: 'x',
          scopes: ['core.nope.read'],
          login: 'u',
        })
        assert.equal(unknown.statusCode, 400)
        assert.deepEqual(unknown.json().errors, {
          scopes: ['unknown scope core.nope.read; GET /admin/v1/scopes lists them'],
        })

        const missing = await t.admin('POST', '/oauth2/clients', { scopes: ['core.invoice.read'], extra: 1 })
        assert.equal(missing.statusCode, 400)
        assert.deepEqual(missing.json().errors, {
          name: ['is required'],
          login: ['is required'],
          extra: ['unknown field'],
        })
      })

      it('refuses a login that is taken with 409 "Login has already been taken"', async () => {
        await t.createClient({ login: 'taken-login' })
        const response = await t.admin('POST', '/oauth2/clients', {
          name: 'again',
          scopes: ['core.invoice.read'],
          login: 'taken-login',
        })
        assert.equal(response.statusCode, 409)
        assert.deepEqual(response.json().errors, { login: ['Login has already been taken'] })
      })

      it('updates name, contacts and scopes; the token endpoint sees the new scopes at once', async () => {
        const client = await t.createClient({ scopes: ['core.invoice.read', 'core.common.read'] })
        const response = await t.admin('PATCH', `/oauth2/clients/${client.id}`, {
          name: 'Renamed',
          scopes: ['core.invoice.read'],
          contact_email: 'ops@example.com',
        })
        assert.equal(response.statusCode, 200)
        const body = response.json()
        assert.equal(body.name, 'Renamed')
        assert.equal(body.scope, 'core.invoice.read')
        assert.equal(body.contact_email, 'ops@example.com')
        const refused = await t.form('/oauth2/token', {
          grant_type: 'client_credentials',
          client_id: client.client_id,
          client_secret: client.client_secret,
          scope: 'core.common.read',
        })
        assert.equal(refused.statusCode, 400)
        assert.equal(refused.json().error, 'invalid_scope')
      })

      it('answers 404 problem+json for an unknown client', async () => {
        const response = await t.admin('GET', '/oauth2/clients/nope')
        assert.equal(response.statusCode, 404)
        assert.deepEqual(
          response.json(),
          problem(404, 'Not Found', 'no OAuth client with id or client_id "nope"'),
        )
      })

      it('answers a body that is not JSON with 400 and does not echo it', async () => {
        const response = await t.instance.app.inject({
          method: 'POST',
          url: '/admin/v1/oauth2/clients',
          headers: { authorization: adminAuth, 'content-type': 'application/json' },
          payload: '{"name": "secret-ish value',
        })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), problem(400, 'Bad Request', 'the body is not valid JSON'))
      })
    })

    describe('secret rotation', () => {
      it('keeps the previous secret valid for the grace period (24 h by default), then refuses it', async () => {
        const client = await t.createClient()
        const response = await t.admin('POST', `/oauth2/clients/${client.id}/secret`)
        assert.equal(response.statusCode, 200)
        const { client_secret, previous_secret_expires_at } = response.json()
        assert.match(client_secret, /^[0-9a-f]{64}$/)
        assert.equal(previous_secret_expires_at, new Date(clock.now() + 86_400_000).toISOString())
        assert.equal((await getToken(client.client_id, client_secret)).statusCode, 200)
        assert.equal((await getToken(client.client_id, client.client_secret)).statusCode, 200)
        clock.advance(86_400_000 + 1000)
        assert.equal((await getToken(client.client_id, client.client_secret)).statusCode, 401)
        assert.equal((await getToken(client.client_id, client_secret)).statusCode, 200)
      })

      it('takes the grace period per request; 0 ends the old secret now', async () => {
        const client = await t.createClient()
        const short = await t.admin('POST', `/oauth2/clients/${client.id}/secret`, {
          grace_period_seconds: 60,
        })
        assert.equal(short.json().previous_secret_expires_at, new Date(clock.now() + 60_000).toISOString())
        const now = await t.admin('POST', `/oauth2/clients/${client.id}/secret`, { grace_period_seconds: 0 })
        assert.equal(now.json().previous_secret_expires_at, null)
        assert.equal((await getToken(client.client_id, short.json().client_secret)).statusCode, 401)
        assert.equal((await getToken(client.client_id, now.json().client_secret)).statusCode, 200)
      })

      it('refuses a negative or too long grace period', async () => {
        const client = await t.createClient()
        for (const grace of [-1, 31 * 86_400, 1.5]) {
          const response = await t.admin('POST', `/oauth2/clients/${client.id}/secret`, {
            grace_period_seconds: grace,
          })
          assert.equal(response.statusCode, 400, String(grace))
        }
      })
    })
  })
}
