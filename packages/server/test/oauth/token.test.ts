import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { type CreatedClient, ISSUER, startInstance, TestClock, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const GENERIC_INVALID_CLIENT = { error: 'invalid_client', error_description: 'client authentication failed' }

for (const backend of storeBackends) {
  describe(`token endpoint on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TestInstance
    let client: CreatedClient
    const clock = new TestClock()
    const token = (params: Record<string, string>, options?: { basic?: [string, string] }) =>
      t.form('/oauth2/token', params, options)
    const post = (extra: Record<string, string> = {}) =>
      token({
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: client.client_secret,
        ...extra,
      })

    before(async () => {
      t = await startInstance(backend, { clock })
      client = await t.createClient({
        scopes: ['core.invoice.read', 'core.common.read', 'core.supplier.read'],
      })
    })
    after(() => t.close())

    describe('RFC 6749 §4.4 client_credentials', () => {
      it('issues a bearer token for 86399 seconds with the requested scopes and no-store', async () => {
        const response = await post({ scope: 'core.invoice.read core.common.read' })
        assert.equal(response.statusCode, 200)
        assert.equal(response.headers['cache-control'], 'no-store')
        assert.equal(response.headers.pragma, 'no-cache')
        const body = response.json()
        assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'scope', 'token_type'])
        assert.equal(body.token_type, 'bearer')
        assert.equal(body.expires_in, 86399)
        assert.equal(body.scope, 'core.invoice.read core.common.read')
      })

      it("accepts the exact body of Coupa's curl command (spaces in scope, secret last)", async () => {
        const payload = `client_id=${client.client_id}&grant_type=client_credentials&scope=core.invoice.read core.common.read&client_secret=${client.client_secret}`
        const response = await t.instance.app.inject({
          method: 'POST',
          url: '/oauth2/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload,
        })
        assert.equal(response.statusCode, 200)
        assert.equal(response.json().scope, 'core.invoice.read core.common.read')
      })

      it('accepts a charset parameter on the content type', async () => {
        const response = await t.instance.app.inject({
          method: 'POST',
          url: '/oauth2/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
          payload: `grant_type=client_credentials&client_id=${client.client_id}&client_secret=${client.client_secret}`,
        })
        assert.equal(response.statusCode, 200)
      })

      it('issues an RFC 9068 JWT (typ at+jwt, kid) that verifies against the JWKS', async () => {
        const { access_token } = (await post({ scope: 'core.invoice.read' })).json()
        const header = decodeProtectedHeader(access_token)
        assert.equal(header.typ, 'at+jwt')
        assert.equal(header.alg, 'ES256')
        assert.ok(header.kid)
        const jwks = createLocalJWKSet((await t.instance.app.inject('/oauth2/jwks')).json())
        // Signed on the instance's clock, so checked on it, not on the day the test runs.
        const { payload } = await jwtVerify(access_token, jwks, {
          issuer: ISSUER,
          typ: 'at+jwt',
          currentDate: new Date(clock.now()),
        })
        assert.equal(payload.sub, client.client_id)
        assert.equal(payload.client_id, client.client_id)
        assert.equal(payload.aud, `${ISSUER}/api`)
        assert.equal(payload.scope, 'core.invoice.read')
        assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 86399)
        assert.match(String(payload.jti), /^[A-Za-z0-9_-]{22}$/)
      })
    })

    describe('RFC 6749 §3.3 scope', () => {
      it("grants all of the client's scopes when scope is omitted", async () => {
        assert.equal((await post()).json().scope, 'core.invoice.read core.common.read core.supplier.read')
      })

      it('treats an empty scope like an omitted one (§3.2: parameters without a value are omitted)', async () => {
        assert.equal((await post({ scope: '' })).json().scope, client.scope)
      })

      it('grants a subset and drops repeated scopes', async () => {
        assert.equal(
          (await post({ scope: 'core.supplier.read core.supplier.read' })).json().scope,
          'core.supplier.read',
        )
      })

      it('rejects a scope the client was not granted with invalid_scope', async () => {
        const response = await post({ scope: 'core.invoice.read core.invoice.write' })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), {
          error: 'invalid_scope',
          error_description: 'the client is not allowed scope core.invoice.write',
        })
      })

      it('rejects a scope that is not in the catalogue with invalid_scope', async () => {
        const response = await post({ scope: 'core.everything.read' })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), {
          error: 'invalid_scope',
          error_description:
            'core.everything.read is not a scope of this instance (scopes_supported of /.well-known/oauth-authorization-server lists them)',
        })
      })

      it('rejects a scope with characters outside the grammar (injection)', async () => {
        const response = await post({ scope: 'core.invoice.read\ncore.invoice.write' })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), {
          error: 'invalid_scope',
          error_description: 'scope must be scope names separated by spaces (RFC 6749 §3.3)',
        })
      })
    })

    describe('RFC 6749 §2.3.1 client authentication', () => {
      it('accepts client_secret_basic', async () => {
        const response = await token(
          { grant_type: 'client_credentials' },
          { basic: [client.client_id, client.client_secret] },
        )
        assert.equal(response.statusCode, 200)
      })

      it('accepts Basic with a matching client_id in the body', async () => {
        const response = await token(
          { grant_type: 'client_credentials', client_id: client.client_id },
          { basic: [client.client_id, client.client_secret] },
        )
        assert.equal(response.statusCode, 200)
      })

      it('rejects Basic and client_secret in the body together with invalid_request', async () => {
        const response = await token(
          { grant_type: 'client_credentials', client_secret: client.client_secret },
          { basic: [client.client_id, client.client_secret] },
        )
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), {
          error: 'invalid_request',
          error_description:
            'use one client authentication method: HTTP Basic or client_secret in the body, not both',
        })
      })

      it('rejects a body client_id that differs from the Basic one', async () => {
        const response = await token(
          { grant_type: 'client_credentials', client_id: 'f'.repeat(32) },
          { basic: [client.client_id, client.client_secret] },
        )
        assert.equal(response.statusCode, 400)
        assert.equal(response.json().error, 'invalid_request')
      })

      it('answers a wrong secret with the generic invalid_client and no challenge when post was used', async () => {
        const response = await post({ client_secret: '0'.repeat(64) })
        assert.equal(response.statusCode, 401)
        assert.deepEqual(response.json(), GENERIC_INVALID_CLIENT)
        assert.equal(response.headers['www-authenticate'], undefined)
      })

      it('answers an unknown client exactly like a wrong secret', async () => {
        const response = await post({ client_id: 'a'.repeat(32) })
        assert.equal(response.statusCode, 401)
        assert.deepEqual(response.json(), GENERIC_INVALID_CLIENT)
      })

      it('answers 401 with WWW-Authenticate: Basic when Basic was used (§5.2)', async () => {
        const response = await token(
          { grant_type: 'client_credentials' },
          { basic: [client.client_id, 'wrong'] },
        )
        assert.equal(response.statusCode, 401)
        assert.deepEqual(response.json(), GENERIC_INVALID_CLIENT)
        assert.equal(response.headers['www-authenticate'], `Basic realm="${ISSUER}", charset="UTF-8"`)
      })

      it('decodes form-urlencoded Basic credentials', async () => {
        // A secret never has these characters, so the right id with an encoded wrong secret must fail
        // as a wrong secret (401), not as a malformed header (400).
        const response = await token(
          { grant_type: 'client_credentials' },
          { basic: [client.client_id, 'a b:c%d'] },
        )
        assert.equal(response.statusCode, 401)
      })

      it('rejects a malformed Authorization header with invalid_request', async () => {
        for (const authorization of [
          'Bearer abc',
          'Basic',
          'Basic !!!',
          `Basic ${Buffer.from('nocolon').toString('base64')}`,
        ]) {
          const response = await t.instance.app.inject({
            method: 'POST',
            url: '/oauth2/token',
            headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
            payload: 'grant_type=client_credentials',
          })
          assert.equal(response.statusCode, 400, authorization)
          assert.equal(response.json().error, 'invalid_request', authorization)
        }
      })

      it('answers missing credentials with invalid_client that says what to send', async () => {
        const response = await token({ grant_type: 'client_credentials', client_id: client.client_id })
        assert.equal(response.statusCode, 401)
        assert.deepEqual(response.json(), {
          error: 'invalid_client',
          error_description:
            'client authentication is missing: send client_id and client_secret in the body, or use HTTP Basic',
        })
      })

      it('refuses a deactivated client with the generic invalid_client, and accepts it again once activated', async () => {
        const other = await t.createClient()
        const request = () =>
          token({
            grant_type: 'client_credentials',
            client_id: other.client_id,
            client_secret: other.client_secret,
          })
        assert.equal((await t.admin('POST', `/oauth2/clients/${other.id}/deactivate`)).statusCode, 200)
        const refused = await request()
        assert.equal(refused.statusCode, 401)
        assert.deepEqual(refused.json(), GENERIC_INVALID_CLIENT)
        assert.equal((await t.admin('POST', `/oauth2/clients/${other.id}/activate`)).statusCode, 200)
        assert.equal((await request()).statusCode, 200)
      })

      it('refuses client_secret in the URL', async () => {
        const response = await t.instance.app.inject({
          method: 'POST',
          url: `/oauth2/token?client_secret=${client.client_secret}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: `grant_type=client_credentials&client_id=${client.client_id}`,
        })
        assert.equal(response.statusCode, 400)
        assert.equal(response.json().error, 'invalid_request')
      })
    })

    describe('RFC 6749 §5.2 request errors', () => {
      it('rejects a missing grant_type with invalid_request', async () => {
        const response = await token({ client_id: client.client_id, client_secret: client.client_secret })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), {
          error: 'invalid_request',
          error_description: 'grant_type is missing; use grant_type=client_credentials',
        })
      })

      it('rejects another grant type with unsupported_grant_type', async () => {
        const response = await token({
          grant_type: 'password',
          client_id: client.client_id,
          client_secret: client.client_secret,
        })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), {
          error: 'unsupported_grant_type',
          error_description:
            'grant_type "password" is not supported; this instance issues tokens only with grant_type=client_credentials',
        })
      })

      it('rejects a repeated parameter with invalid_request (§3.2)', async () => {
        const response = await t.instance.app.inject({
          method: 'POST',
          url: '/oauth2/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: `grant_type=client_credentials&scope=core.invoice.read&scope=core.user.write&client_id=${client.client_id}&client_secret=${client.client_secret}`,
        })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), {
          error: 'invalid_request',
          error_description: 'parameter "scope" is repeated',
        })
      })

      it('rejects a JSON body with invalid_request', async () => {
        const response = await t.instance.app.inject({
          method: 'POST',
          url: '/oauth2/token',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ grant_type: 'client_credentials' }),
        })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), {
          error: 'invalid_request',
          error_description: 'the body must be application/x-www-form-urlencoded, not "application/json"',
        })
      })

      it('rejects a body without content type with invalid_request', async () => {
        const response = await t.instance.app.inject({
          method: 'POST',
          url: '/oauth2/token',
          payload: 'grant_type=x',
        })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(response.json(), {
          error: 'invalid_request',
          error_description:
            'the body must be application/x-www-form-urlencoded, the request has no Content-Type',
        })
      })

      it('answers an oversized body with 413 and an OAuth error body', async () => {
        const response = await token({ grant_type: 'client_credentials', padding: 'x'.repeat(20_000) })
        assert.equal(response.statusCode, 413)
        assert.deepEqual(response.json(), {
          error: 'invalid_request',
          error_description: 'the request body is too large',
        })
      })
    })
  })

  describe(`failed authentications on ${backend.name}`, { skip: backend.skip }, () => {
    let t: TestInstance
    before(async () => {
      t = await startInstance(backend, {
        throttle: { maxFailuresPerAddress: 5, maxFailuresPerClient: 3, freeFailures: 100 },
      })
    })
    after(() => t.close())

    it('answers 429 and Retry-After to failures from an address after repeated ones, whatever client they name', async () => {
      const client = await t.createClient()
      const attempt = (clientId: string, secret: string) =>
        t.instance.app.inject({
          method: 'POST',
          url: '/oauth2/token',
          remoteAddress: '198.51.100.7',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=${secret}`,
        })
      for (let i = 0; i < 5; i++) assert.equal((await attempt(`${i}`.repeat(32), 'wrong')).statusCode, 401)
      const refused = await attempt(client.client_id, 'wrong')
      assert.equal(refused.statusCode, 429)
      assert.equal(refused.json().error, 'invalid_request')
      assert.match(
        refused.json().error_description,
        /^too many failed authentications; retry after \d+ seconds$/,
      )
      assert.ok(Number(refused.headers['retry-after']) >= 1)
      // The secret is checked first: the right one passes, even from this address (256 random bits
      // cannot be guessed; refusing them would only lock out whoever shares the address).
      assert.equal((await attempt(client.client_id, client.client_secret)).statusCode, 200)
    })

    it('does not lock out the real client, from its own address or any other', async () => {
      const client = await t.createClient()
      const from = (remoteAddress: string, secret: string) =>
        t.instance.app.inject({
          method: 'POST',
          url: '/oauth2/token',
          remoteAddress,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: `grant_type=client_credentials&client_id=${client.client_id}&client_secret=${secret}`,
        })
      assert.equal((await from('192.0.2.10', client.client_secret)).statusCode, 200)
      // An attacker spreads guesses over many addresses: the client id gets throttled…
      for (let i = 0; i < 3; i++) assert.equal((await from(`203.0.113.${i}`, 'guess')).statusCode, 401)
      assert.equal((await from('203.0.113.50', 'guess')).statusCode, 429)
      // …but not for the real client, from the address it uses or from a new one.
      assert.equal((await from('192.0.2.10', client.client_secret)).statusCode, 200)
      assert.equal((await from('198.51.100.11', client.client_secret)).statusCode, 200)
    })
  })
}
