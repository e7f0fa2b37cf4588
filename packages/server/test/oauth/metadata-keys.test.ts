import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { type CreatedClient, ISSUER, startInstance, TestClock, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

for (const backend of storeBackends) {
  describe(`metadata and signing keys on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TestInstance
    let client: CreatedClient
    const clock = new TestClock()
    const newToken = async () =>
      (
        await t.form('/oauth2/token', {
          grant_type: 'client_credentials',
          client_id: client.client_id,
          client_secret: client.client_secret,
        })
      ).json().access_token as string
    const jwks = async () => (await t.instance.app.inject('/oauth2/jwks')).json()

    before(async () => {
      t = await startInstance(backend, { clock })
      client = await t.createClient()
    })
    after(() => t.close())

    describe('RFC 8414 §2 authorization server metadata', () => {
      for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
        it(`serves the metadata at ${path}`, async () => {
          const response = await t.instance.app.inject(path)
          assert.equal(response.statusCode, 200)
          const metadata = response.json()
          assert.equal(metadata.issuer, ISSUER)
          assert.equal(metadata.token_endpoint, `${ISSUER}/oauth2/token`)
          assert.equal(metadata.jwks_uri, `${ISSUER}/oauth2/jwks`)
          assert.equal(metadata.introspection_endpoint, `${ISSUER}/oauth2/introspect`)
          assert.equal(metadata.revocation_endpoint, `${ISSUER}/oauth2/revoke`)
          assert.deepEqual(metadata.grant_types_supported, ['client_credentials'])
          assert.deepEqual(metadata.token_endpoint_auth_methods_supported, [
            'client_secret_basic',
            'client_secret_post',
          ])
          assert.ok(metadata.scopes_supported.includes('core.invoice.approval.bypass'))
          assert.ok(metadata.scopes_supported.includes('openid'))
        })
      }
    })

    describe('JWKS and key rotation', () => {
      it('publishes public keys only, each with kid, alg and use', async () => {
        const { keys } = await jwks()
        assert.equal(keys.length, 1)
        assert.deepEqual(Object.keys(keys[0]).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
        assert.equal(keys[0].alg, 'ES256')
      })

      it('signs with the new key after rotation and keeps tokens of the old key valid until they expire', async () => {
        const oldToken = await newToken()
        const before = await jwks()
        const rotated = await t.admin('POST', '/signing-keys/rotate')
        assert.equal(rotated.statusCode, 200)
        const { kid } = rotated.json()
        assert.notEqual(kid, before.keys[0].kid)

        const after = await jwks()
        assert.deepEqual(
          after.keys.map((k: { kid: string }) => k.kid).sort(),
          [before.keys[0].kid, kid].sort(),
        )
        const newer = await newToken()
        const keySet = createLocalJWKSet(after)
        // The tokens were signed on the instance's clock, so they are checked on it, not on the day the test runs.
        const onInstanceClock = { currentDate: new Date(clock.now()) }
        assert.equal((await jwtVerify(newer, keySet, onInstanceClock)).protectedHeader.kid, kid)
        await jwtVerify(oldToken, keySet, onInstanceClock)
        const introspect = (token: string) =>
          t.form('/oauth2/introspect', {
            token,
            client_id: client.client_id,
            client_secret: client.client_secret,
          })
        assert.equal((await introspect(oldToken)).json().active, true)

        // Once the old key's last token has expired, the key is no longer published.
        clock.advance(86_400_000)
        assert.deepEqual(
          (await jwks()).keys.map((k: { kid: string }) => k.kid),
          [kid],
        )
        assert.deepEqual((await introspect(oldToken)).json(), { active: false })
        const keys = (await t.admin('GET', '/signing-keys')).json().keys
        assert.equal(keys.find((k: { kid: string }) => k.kid === kid).active, true)
        assert.equal(keys.filter((k: { active: boolean }) => k.active).length, 1)
      })

      it('loads the same keys when another instance opens the store (a restart or a second node)', async () => {
        const { build } = await import('../../src/app.ts')
        const second = await build({
          store: t.testStore.store,
          issuer: ISSUER,
          clock,
          syncIntervalMs: 60_000,
        })
        try {
          assert.deepEqual((await second.app.inject('/oauth2/jwks')).json(), await jwks())
        } finally {
          await second.close()
        }
      })
    })
  })
}
