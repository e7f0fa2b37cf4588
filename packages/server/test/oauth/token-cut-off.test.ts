/**
 * Tokens that stay dead: a client's tokens are cut off when it is deactivated, when an admin
 * revokes them all, and when its secret is rotated with `revoke_tokens`. A token issued at or
 * before the cut-off never works again, even once the client is active again; a token issued
 * after it does. And a token for another audience is refused (RFC 9068 §4).
 */
import assert from 'node:assert/strict'
import { sign } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { AccessTokenClaims } from '../../src/oauth/access-tokens.ts'
import { type AuthInstance, assertCoupaError, startAuthInstance } from '../api/auth/support.ts'
import { ISSUER } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const INVOICE = '/api/invoices/1'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const claimsOf = (token: string): AccessTokenClaims =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))

for (const backend of storeBackends) {
  describe(`a client's tokens cut off for good on ${backend.name}`, { skip: backend.skip }, () => {
    let t: AuthInstance
    type Client = Awaited<ReturnType<AuthInstance['createClient']>>
    const status = async (token: string) => (await t.get(INVOICE, bearer(token))).statusCode
    const assertRevoked = async (token: string) =>
      assertCoupaError(await t.get(INVOICE, bearer(token)), 401, ['The access token is not valid: revoked'])
    const clientAt = async (client: Client) => (await t.admin('GET', `/oauth2/clients/${client.id}`)).json()
    const introspect = (client: Client, token: string) =>
      t.form('/oauth2/introspect', {
        token,
        client_id: client.client_id,
        client_secret: client.client_secret,
      })

    /** A token signed with the instance's own key, with these claims over those it would issue. */
    const signed = (like: string, claims: Record<string, unknown>) => {
      const key = t.instance.keys.current
      const input = `${part({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })}.${part({ ...claimsOf(like), ...claims })}`
      const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      return `${input}.${signature.toString('base64url')}`
    }

    before(async () => {
      t = await startAuthInstance(backend)
    })
    after(() => t.close())

    it('keeps the tokens of a deactivated client refused once it is active again; new tokens work', async () => {
      const client = await t.createClient()
      const old = await t.token(client)
      assert.equal(await status(old), 200)
      t.clock.advance(1000)
      assert.equal((await t.admin('POST', `/oauth2/clients/${client.id}/deactivate`)).statusCode, 200)
      t.clock.advance(60_000)
      const activated = await t.admin('POST', `/oauth2/clients/${client.id}/activate`)
      assert.equal(activated.statusCode, 200)
      assert.equal(activated.json().active, true)
      await assertRevoked(old)
      assert.deepEqual((await introspect(client, old)).json(), { active: false })
      const fresh = await t.token(client)
      assert.equal(await status(fresh), 200)
      assert.equal((await introspect(client, fresh)).json().active, true)
    })

    it('POST …/tokens/revoke refuses every token issued so far, keeps the client active, serves new tokens', async () => {
      const client = await t.createClient()
      const tokens = [await t.token(client), await t.token(client, 'core.invoice.read')]
      t.clock.advance(250)
      const response = await t.admin('POST', `/oauth2/clients/${client.id}/tokens/revoke`)
      assert.equal(response.statusCode, 200, response.body)
      assert.equal(response.json().active, true)
      assert.equal(response.json().tokens_revoked_at, new Date(t.clock.now()).toISOString())
      assert.equal((await clientAt(client)).tokens_revoked_at, new Date(t.clock.now()).toISOString())
      for (const token of tokens) await assertRevoked(token)
      // Asked for in the very millisecond of the cut-off, after it: it works.
      const fresh = await t.token(client)
      assert.equal(await status(fresh), 200)
      // Other clients' tokens are untouched.
      const other = await t.createClient()
      assert.equal(await status(await t.token(other)), 200)
      assert.equal((await t.admin('POST', '/oauth2/clients/nope/tokens/revoke')).statusCode, 404)
    })

    it('cuts off at the millisecond: a token of the same second but before is refused, one after is served', async () => {
      const client = await t.createClient()
      t.clock.time = Math.floor(t.clock.now() / 1000) * 1000 + 100
      const before = await t.token(client)
      t.clock.advance(500)
      assert.equal((await t.admin('POST', `/oauth2/clients/${client.id}/tokens/revoke`)).statusCode, 200)
      t.clock.advance(1)
      const after = await t.token(client)
      assert.equal(claimsOf(before).iat, claimsOf(after).iat, 'both tokens are of the same second')
      await assertRevoked(before)
      assert.equal(await status(after), 200)
    })

    it('refuses a token without the millisecond claim issued in the second of the cut-off (the second decides)', async () => {
      const client = await t.createClient()
      t.clock.time = Math.floor(t.clock.now() / 1000) * 1000 + 100
      const model = await t.token(client)
      const legacy = signed(model, { iat_ms: undefined })
      assert.equal(await status(legacy), 200)
      // Half a second into the token's second: the token may have been issued before it.
      t.clock.advance(400)
      assert.equal((await t.admin('POST', `/oauth2/clients/${client.id}/tokens/revoke`)).statusCode, 200)
      await assertRevoked(legacy)
    })

    it('rotating the secret with revoke_tokens refuses the old tokens; without, they keep working', async () => {
      const kept = await t.createClient()
      const keptToken = await t.token(kept)
      t.clock.advance(10)
      const plain = await t.admin('POST', `/oauth2/clients/${kept.id}/secret`, { grace_period_seconds: 0 })
      assert.equal(plain.statusCode, 200, plain.body)
      assert.equal(plain.json().tokens_revoked_at, null)
      assert.equal(await status(keptToken), 200)

      const cut = await t.createClient()
      const cutToken = await t.token(cut)
      t.clock.advance(10)
      const rotated = await t.admin('POST', `/oauth2/clients/${cut.id}/secret`, {
        grace_period_seconds: 0,
        revoke_tokens: true,
      })
      assert.equal(rotated.statusCode, 200, rotated.body)
      assert.equal(rotated.json().tokens_revoked_at, new Date(t.clock.now()).toISOString())
      await assertRevoked(cutToken)
      const fresh = await t.token({ client_id: cut.client_id, client_secret: rotated.json().client_secret })
      assert.equal(await status(fresh), 200)

      const wrong = await t.admin('POST', `/oauth2/clients/${cut.id}/secret`, { revoke_tokens: 'yes' })
      assert.equal(wrong.statusCode, 400)
    })

    it('never moves a cut-off back: a later one with a clock behind lands a millisecond after it', async () => {
      const client = await t.createClient()
      await t.admin('POST', `/oauth2/clients/${client.id}/tokens/revoke`)
      const first = t.clock.now()
      assert.equal((await clientAt(client)).tokens_revoked_at, new Date(first).toISOString())
      t.clock.advance(-5000)
      // Issued on a record with a cut-off: it counts as issued after it, and the next cut-off kills it.
      const token = await t.token(client)
      assert.equal(await status(token), 200)
      await t.admin('POST', `/oauth2/clients/${client.id}/deactivate`)
      t.clock.advance(5000)
      assert.equal((await clientAt(client)).tokens_revoked_at, new Date(first + 1).toISOString())
      await t.admin('POST', `/oauth2/clients/${client.id}/activate`)
      await assertRevoked(token)
    })

    it('refuses a token of this issuer for another audience (RFC 9068 §4), and accepts an aud list with its own', async () => {
      const client = await t.createClient()
      const token = await t.token(client)
      const { aud } = claimsOf(token)
      assert.equal(aud, `${ISSUER}/api`)
      for (const other of ['https://elsewhere.example/api', ISSUER, ['https://elsewhere.example/api']]) {
        const foreign = signed(token, { aud: other })
        assertCoupaError(await t.get(INVOICE, bearer(foreign)), 401, [
          'The access token is not valid: wrong audience',
        ])
        assert.deepEqual((await introspect(client, foreign)).json(), { active: false })
      }
      assert.equal(await status(signed(token, { aud: ['https://elsewhere.example/api', aud] })), 200)
      assert.equal(await status(token), 200)
    })
  })
}
