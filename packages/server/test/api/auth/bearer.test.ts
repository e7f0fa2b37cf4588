import assert from 'node:assert/strict'
import { generateKeyPairSync, sign } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { CreatedClient } from '../../instance.ts'
import { storeBackends } from '../../stores.ts'
import { type AuthInstance, assertCoupaError, challengeParams, REALM, startAuthInstance } from './support.ts'

const INVOICE = '/api/invoices/1'
const invalid = (description: string) => `${REALM}, error="invalid_token", error_description="${description}"`
const notValid = (description: string) => [`The access token is not valid: ${description}`]
const MALFORMED = 'the Authorization header must be Bearer followed by the token'

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))

/** A compact ES256 JWS over `header.payload`, signed with a key this instance never saw. */
function forge(header: unknown, payload: unknown): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const input = `${part(header)}.${part(payload)}`
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
  return `${input}.${signature.toString('base64url')}`
}

for (const backend of storeBackends) {
  describe(`bearer tokens on the core API (RFC 6750) on ${backend.name}`, { skip: backend.skip }, () => {
    let t: AuthInstance
    let client: CreatedClient
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

    before(async () => {
      t = await startAuthInstance(backend)
      client = await t.createClient({
        scopes: ['core.invoice.read', 'core.common.read', 'core.supplier.read'],
      })
    })
    after(() => t.close())

    it('answers 401 with a bare challenge (no error attribute) and a Coupa error without credentials', async () => {
      const response = await t.get(INVOICE)
      assertCoupaError(response, 401, [
        'Authentication required: send Authorization: Bearer <access token from /oauth2/token>',
      ])
      assert.equal(response.headers['www-authenticate'], REALM)

      const xml = await t.get(INVOICE, { accept: 'application/xml' })
      assert.equal(xml.statusCode, 401)
      assert.equal(xml.headers['www-authenticate'], REALM)
      assert.equal(xml.headers['content-type'], 'application/xml; charset=utf-8')
      assert.equal(
        xml.body,
        '<?xml version="1.0" encoding="UTF-8"?><errors><error>Authentication required: send Authorization: Bearer &lt;access token from /oauth2/token&gt;</error></errors>',
      )
    })

    it('serves a token from /oauth2/token end to end, within its scopes only', async () => {
      const token = await t.token(client, 'core.invoice.read')
      const response = await t.get(INVOICE, bearer(token))
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(response.json().id, 1)

      const refused = await t.get('/api/suppliers/1', bearer(token))
      assertCoupaError(
        refused,
        403,
        ['Forbidden: show on suppliers needs the scope core.supplier.read, which this token does not have'],
        'supplier',
      )
      assert.equal(
        refused.headers['www-authenticate'],
        `${REALM}, error="insufficient_scope", scope="core.supplier.read"`,
      )
    })

    it('guards HEAD as it guards GET (the HEAD route Fastify adds carries the same check)', async () => {
      const head = (headers: Record<string, string> = {}) =>
        t.instance.app.inject({
          method: 'HEAD',
          url: INVOICE,
          headers: { accept: 'application/json', ...headers },
        })
      const anonymous = await head()
      assert.equal(anonymous.statusCode, 401)
      assert.equal(anonymous.headers['www-authenticate'], REALM)
      const allowed = await head(bearer(await t.token(client, 'core.invoice.read')))
      assert.equal(allowed.statusCode, 200)
      assert.equal(allowed.body, '')
      const supplier = await t.instance.app.inject({
        method: 'HEAD',
        url: '/api/suppliers/1',
        headers: bearer(await t.token(client, 'core.invoice.read')),
      })
      assert.equal(supplier.statusCode, 403)
    })

    it("accepts the scheme in any case: Coupa's docs send `bearer`", async () => {
      const token = await t.token(client)
      for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
        const response = await t.get(INVOICE, { authorization: `${scheme} ${token}` })
        assert.equal(response.statusCode, 200, `${scheme}: ${response.body}`)
      }
    })

    it('answers 401 invalid_token for a malformed Authorization header', async () => {
      const token = await t.token(client)
      for (const authorization of [
        'Bearer',
        'Basic x',
        'Bearer a b',
        `Token ${token}`,
        `Bearer ${token} x`,
      ]) {
        const response = await t.get(INVOICE, { authorization })
        assertCoupaError(response, 401, notValid(MALFORMED))
        assert.equal(response.headers['www-authenticate'], invalid(MALFORMED), authorization)
      }
    })

    it('answers 401 invalid_token for garbage, a token signed by another key and a tampered token', async () => {
      const real = await t.token(client, 'core.invoice.read')
      const [header = '', payload = '', signature = ''] = real.split('.')
      const claims = decode(payload)
      // Verified first: the cache of verified tokens finds entries by signature, so the tampered
      // token below that keeps the real signature reaches that entry and must still be refused.
      assert.equal((await t.get(INVOICE, bearer(real))).statusCode, 200)
      const cases: [string, string][] = [
        ['garbage', 'not a JWS compact serialization'],
        ['a.b.c', 'not an ES256 at+jwt token'],
        [
          `${part({ alg: 'none', typ: 'at+jwt', kid: decode(header).kid })}.${payload}.`,
          'not a JWS compact serialization',
        ],
        [forge(decode(header), claims), 'bad signature'],
        [forge({ ...decode(header), kid: 'attacker' }, claims), 'unknown or expired signing key'],
        [
          `${header}.${part({ ...claims, scope: 'core.invoice.read core.invoice.write' })}.${signature}`,
          'bad signature',
        ],
        [`${header}.${payload}.${Buffer.alloc(64).toString('base64url')}`, 'bad signature'],
      ]
      for (const [token, reason] of cases) {
        const response = await t.get(INVOICE, bearer(token))
        assertCoupaError(response, 401, notValid(reason))
        assert.equal(response.headers['www-authenticate'], invalid(reason), token)
      }
      assert.equal((await t.get(INVOICE, bearer(real))).statusCode, 200)
    })

    it('answers 400 when both Authorization and X-COUPA-API-KEY are sent', async () => {
      const token = await t.token(client)
      const response = await t.get(INVOICE, { ...bearer(token), 'x-coupa-api-key': 'a'.repeat(40) })
      assertCoupaError(response, 400, ['send either Authorization: Bearer or X-COUPA-API-KEY, not both'])
      assert.equal(response.headers['www-authenticate'], undefined)
    })

    it('refuses a token revoked at /oauth2/revoke on the next request; other tokens go on', async () => {
      const revoked = await t.token(client)
      const other = await t.token(client)
      assert.equal((await t.get(INVOICE, bearer(revoked))).statusCode, 200)
      const revocation = await t.form('/oauth2/revoke', {
        token: revoked,
        client_id: client.client_id,
        client_secret: client.client_secret,
      })
      assert.equal(revocation.statusCode, 200, revocation.body)
      const response = await t.get(INVOICE, bearer(revoked))
      assertCoupaError(response, 401, notValid('revoked'))
      assert.equal(response.headers['www-authenticate'], invalid('revoked'))
      assert.equal((await t.get(INVOICE, bearer(other))).statusCode, 200)
    })

    it('refuses the tokens of a client deactivated through the admin API, still once it is active again', async () => {
      const own = await t.createClient()
      const token = await t.token(own)
      assert.equal((await t.get(INVOICE, bearer(token))).statusCode, 200)

      assert.equal((await t.admin('POST', `/oauth2/clients/${own.id}/deactivate`)).statusCode, 200)
      const response = await t.get(INVOICE, bearer(token))
      assertCoupaError(response, 401, notValid('the client is deactivated'))
      assert.equal(response.headers['www-authenticate'], invalid('the client is deactivated'))

      // Deactivation cut its tokens off for good (test/oauth/token-cut-off.test.ts); new ones work.
      assert.equal((await t.admin('POST', `/oauth2/clients/${own.id}/activate`)).statusCode, 200)
      const reactivated = await t.get(INVOICE, bearer(token))
      assertCoupaError(reactivated, 401, notValid('revoked'))
      assert.equal(reactivated.headers['www-authenticate'], invalid('revoked'))
      assert.equal((await t.get(INVOICE, bearer(await t.token(own)))).statusCode, 200)
    })

    it('takes a scope removed from the client by PATCH away from its tokens at once, and never adds one', async () => {
      const own = await t.createClient({
        scopes: ['core.invoice.read', 'core.supplier.read', 'core.common.read'],
      })
      const token = await t.token(own)
      assert.equal((await t.get('/api/suppliers/1', bearer(token))).statusCode, 200)

      const narrowed = await t.admin('PATCH', `/oauth2/clients/${own.id}`, {
        scopes: ['core.invoice.read', 'core.common.read', 'core.user.read'],
      })
      assert.equal(narrowed.statusCode, 200, narrowed.body)
      const refused = await t.get('/api/suppliers/1', bearer(token))
      assertCoupaError(
        refused,
        403,
        ['Forbidden: show on suppliers needs the scope core.supplier.read, which this token does not have'],
        'supplier',
      )
      assert.equal(
        refused.headers['www-authenticate'],
        `${REALM}, error="insufficient_scope", scope="core.supplier.read"`,
      )
      assert.equal((await t.get(INVOICE, bearer(token))).statusCode, 200)
      // core.user.read was granted to the client after the token was issued: not to the token.
      const users = await t.get('/api/users/1', bearer(token))
      assert.equal(users.statusCode, 403, users.body)
      assert.match(String(users.headers['www-authenticate']), /scope="core\.user\.read"$/)
    })

    it('sends an error_description RFC 6750 §3 allows (no `"` or `\\`) in every invalid_token challenge', async () => {
      for (const authorization of ['Bearer', 'Basic x', 'Bearer garbage']) {
        const challenge = (await t.get(INVOICE, { authorization })).headers['www-authenticate']
        const params = challengeParams(challenge)
        assert.equal(params.error, 'invalid_token')
        assert.match(params.error_description ?? '', /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/)
      }
    })

    // Last: it moves the clock a day on.
    it('answers 401 invalid_token "expired" once 86 399 s have passed, cached or not', async () => {
      const used = await t.token(client)
      const unused = await t.token(client)
      assert.equal((await t.get(INVOICE, bearer(used))).statusCode, 200)
      t.clock.advance(86_399_000 - 1)
      assert.equal((await t.get(INVOICE, bearer(used))).statusCode, 200)
      t.clock.advance(1)
      for (const token of [used, unused]) {
        const response = await t.get(INVOICE, bearer(token))
        assertCoupaError(response, 401, notValid('expired'))
        assert.equal(response.headers['www-authenticate'], invalid('expired'))
      }
      assert.equal((await t.get(INVOICE, bearer(await t.token(client)))).statusCode, 200)
    })
  })
}
