/**
 * Guessing client secrets (issue 13, finding 4): the client id is public, so failures counted
 * against it must never lock the real client out. The right secret always passes (RFC 6749 §2.3.1;
 * RFC 6819 §5.1.4.2.3 warns that lock-out lets anyone deny the real client), from any address,
 * also after a restart, when the addresses known to be good are forgotten.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { build, type Instance } from '../../src/app.ts'
import {
  basicHeader,
  type CreatedClient,
  ISSUER,
  startInstance,
  TestClock,
  type TestInstance,
} from '../instance.ts'
import { storeBackends } from '../stores.ts'

for (const backend of storeBackends) {
  describe(`the right client secret after wrong ones, across a restart, on ${backend.name}`, {
    skip: backend.skip,
  }, () => {
    const clock = new TestClock()
    // The default limits (10 per client id, 30 per address, a minute); 401s are not held back.
    const throttle = { freeFailures: 1e6 }
    let t: TestInstance
    let restarted: Instance
    let client: CreatedClient
    const token = (remoteAddress: string, secret: string) =>
      restarted.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        remoteAddress,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basicHeader(client.client_id, secret),
        },
        payload: 'grant_type=client_credentials',
      })
    const guesses = (count: number, address: (i: number) => string) =>
      Promise.all(Array.from({ length: count }, (_, i) => token(address(i), `guess-${i}`)))

    before(async () => {
      t = await startInstance(backend, { clock, throttle })
      client = await t.createClient()
      restarted = t.instance
      // The client's own address authenticates it before the restart…
      assert.equal((await token('192.0.2.40', client.client_secret)).statusCode, 200)
      // …which forgets it.
      await t.instance.close()
      restarted = await build({
        store: t.testStore.store,
        issuer: ISSUER,
        clock,
        throttle,
        syncIntervalMs: 60_000,
      })
    })
    after(async () => {
      await restarted.close()
      await t.testStore.destroy()
    })

    it('passes after 10 wrong secrets from another address', async () => {
      const wrong = await guesses(10, () => '203.0.113.40')
      assert.ok(wrong.every((answer) => answer.statusCode === 401))
      assert.equal((await token('192.0.2.40', client.client_secret)).statusCode, 200)
      assert.equal((await token('198.51.100.41', client.client_secret)).statusCode, 200)
    })

    it('passes after 100 more from many addresses, from its own, a new and the guessing address', async () => {
      const wrong = await guesses(100, (i) => `203.0.113.${50 + (i % 20)}`)
      assert.ok(
        wrong.some((answer) => answer.statusCode === 429),
        'the guesses were not throttled',
      )
      for (const address of ['192.0.2.40', '198.51.100.42', '203.0.113.50']) {
        const response = await token(address, client.client_secret)
        assert.equal(response.statusCode, 200, `${address}: ${response.body}`)
      }
    })

    it('still answers wrong secrets for the client id 429 with Retry-After', async () => {
      const refused = await token('198.51.100.43', 'guess')
      assert.equal(refused.statusCode, 429)
      assert.ok(Number(refused.headers['retry-after']) >= 1)
    })
  })
}
