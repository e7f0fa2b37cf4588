import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type CreatedClient, ISSUER, startInstance, TestClock, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

for (const backend of storeBackends) {
  describe(`introspection and revocation on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TestInstance
    let alice: CreatedClient
    let bob: CreatedClient
    const clock = new TestClock()
    const credentials = (c: CreatedClient) => ({ client_id: c.client_id, client_secret: c.client_secret })
    const tokenFor = async (c: CreatedClient, scope?: string) => {
      const response = await t.form('/oauth2/token', {
        grant_type: 'client_credentials',
        ...credentials(c),
        ...(scope && { scope }),
      })
      assert.equal(response.statusCode, 200, response.body)
      return response.json().access_token as string
    }
    const introspect = (c: CreatedClient, token: string) =>
      t.form('/oauth2/introspect', { token, ...credentials(c) })
    const revoke = (c: CreatedClient, token: string, extra: Record<string, string> = {}) =>
      t.form('/oauth2/revoke', { token, ...credentials(c), ...extra })

    before(async () => {
      t = await startInstance(backend, { clock })
      alice = await t.createClient({ scopes: ['core.invoice.read', 'core.common.read'] })
      bob = await t.createClient({ scopes: ['core.supplier.read'] })
    })
    after(() => t.close())

    describe('RFC 7662 §2 introspection', () => {
      it('describes an active token of the calling client', async () => {
        const token = await tokenFor(alice, 'core.invoice.read')
        const response = await introspect(alice, token)
        assert.equal(response.statusCode, 200)
        assert.equal(response.headers['cache-control'], 'no-store')
        const body = response.json()
        assert.equal(body.active, true)
        assert.equal(body.scope, 'core.invoice.read')
        assert.equal(body.client_id, alice.client_id)
        assert.equal(body.sub, alice.client_id)
        assert.equal(body.iss, ISSUER)
        assert.equal(body.token_type, 'Bearer')
        assert.equal(body.exp - body.iat, 86399)
      })

      it('answers {"active":false} for a token of another client', async () => {
        const token = await tokenFor(bob)
        assert.deepEqual((await introspect(alice, token)).json(), { active: false })
      })

      it('answers {"active":false} for a malformed token', async () => {
        for (const token of ['garbage', 'a.b.c', `${'x'.repeat(40)}.${'y'.repeat(40)}.${'z'.repeat(40)}`]) {
          assert.deepEqual((await introspect(alice, token)).json(), { active: false })
        }
      })

      it('answers {"active":false} for a token whose signature was altered', async () => {
        const token = await tokenFor(alice)
        const [header, payload] = token.split('.')
        const forged = Buffer.from(
          JSON.stringify({
            ...JSON.parse(Buffer.from(String(payload), 'base64url').toString()),
            scope: 'core.user.write',
          }),
        ).toString('base64url')
        assert.deepEqual((await introspect(alice, `${header}.${forged}.${token.split('.')[2]}`)).json(), {
          active: false,
        })
      })

      it('answers {"active":false} for an expired token', async () => {
        const token = await tokenFor(alice)
        clock.advance(86_400_000)
        try {
          assert.deepEqual((await introspect(alice, token)).json(), { active: false })
        } finally {
          clock.advance(-86_400_000)
        }
      })

      it('shows only the scopes the client still has after its scopes were narrowed', async () => {
        const carol = await t.createClient({ scopes: ['core.invoice.read', 'core.common.read'] })
        const token = await tokenFor(carol)
        await t.admin('PATCH', `/oauth2/clients/${carol.id}`, { scopes: ['core.common.read'] })
        const body = (await introspect(carol, token)).json()
        assert.equal(body.active, true)
        assert.equal(body.scope, 'core.common.read')
      })

      it('requires client authentication', async () => {
        const token = await tokenFor(alice)
        const response = await t.form('/oauth2/introspect', { token })
        assert.equal(response.statusCode, 401)
        assert.equal(response.json().error, 'invalid_client')
      })

      it('rejects a missing token parameter with invalid_request', async () => {
        const response = await t.form('/oauth2/introspect', credentials(alice))
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), { error: 'invalid_request', error_description: 'token is missing' })
      })
    })

    describe('RFC 7009 §2 revocation', () => {
      it('revokes a token of the calling client: 200, then introspection says inactive', async () => {
        const token = await tokenFor(alice)
        const response = await revoke(alice, token, { token_type_hint: 'access_token' })
        assert.equal(response.statusCode, 200)
        assert.equal(response.body, '')
        assert.deepEqual((await introspect(alice, token)).json(), { active: false })
      })

      it('answers 200 to revoking the same token twice', async () => {
        const token = await tokenFor(alice)
        assert.equal((await revoke(alice, token)).statusCode, 200)
        assert.equal((await revoke(alice, token)).statusCode, 200)
      })

      it('answers 200 for an unknown or malformed token (§2.2)', async () => {
        assert.equal((await revoke(alice, 'not-a-token')).statusCode, 200)
        assert.equal((await revoke(alice, 'a.b.c', { token_type_hint: 'refresh_token' })).statusCode, 200)
      })

      it('refuses to revoke a token of another client, which stays active', async () => {
        const token = await tokenFor(bob)
        const response = await revoke(alice, token)
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), {
          error: 'invalid_request',
          error_description: 'the token was not issued to this client',
        })
        assert.equal((await introspect(bob, token)).json().active, true)
      })

      it('keeps a revocation across a restart of the instance (it is in the store)', async () => {
        const token = await tokenFor(alice)
        await revoke(alice, token)
        const records = await t.testStore.store.listRevokedTokens(clock.now())
        const { jti } = JSON.parse(Buffer.from(String(token.split('.')[1]), 'base64url').toString())
        assert.ok(records.some((record) => record.jti === jti && record.clientId === alice.client_id))
      })

      it('requires client authentication', async () => {
        const token = await tokenFor(alice)
        const response = await t.form('/oauth2/revoke', {
          token,
          client_id: alice.client_id,
          client_secret: 'nope',
        })
        assert.equal(response.statusCode, 401)
        assert.deepEqual(response.json(), {
          error: 'invalid_client',
          error_description: 'client authentication failed',
        })
      })
    })
  })
}
