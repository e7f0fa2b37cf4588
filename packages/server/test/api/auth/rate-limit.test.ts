import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { storeBackends } from '../../stores.ts'
import { type AuthInstance, assertCoupaError, startAuthInstance } from './support.ts'

const INVOICE = '/api/invoices/1'
const TOO_MANY = 'Too many requests: at most 25 per second with a burst of 20'

for (const backend of storeBackends) {
  describe(`rate limit of the core API (25/s, burst 20) on ${backend.name}`, { skip: backend.skip }, () => {
    let t: AuthInstance
    let made = 0
    const key = async () => {
      const { key } = await t.instance.apiKeys.create({
        name: `key ${++made}`,
        contactLogin: `rate-${made}`,
        contactEmail: `rate-${made}@example.com`,
      })
      return { 'x-coupa-api-key': key }
    }
    /** Sends `count` requests at the same instant; their status codes. */
    const burst = async (count: number, headers: Record<string, string>) => {
      const statuses: number[] = []
      for (let i = 0; i < count; i++) statuses.push((await t.get(INVOICE, headers)).statusCode)
      return statuses
    }
    const assertLimited = (response: LightMyRequestResponse, retryAfter = '1') => {
      assertCoupaError(response, 429, [TOO_MANY])
      assert.equal(response.headers['retry-after'], retryAfter)
      assert.ok(Number(response.headers['retry-after']) >= 1)
    }

    before(async () => {
      t = await startAuthInstance(backend, {})
    })
    after(() => t.close())

    it('passes a burst of 20 and answers the 21st at the same instant 429 with Retry-After', async () => {
      const headers = await key()
      assert.deepEqual(await burst(20, headers), Array(20).fill(200))
      assertLimited(await t.get(INVOICE, headers))
      assertLimited(await t.get(INVOICE, { ...headers, accept: 'application/json' }))
      const xml = await t.get(INVOICE, { ...headers, accept: 'application/xml' })
      assert.equal(xml.statusCode, 429)
      assert.equal(xml.headers['retry-after'], '1')
      assert.equal(
        xml.body,
        `<?xml version="1.0" encoding="UTF-8"?><errors><error>${TOO_MANY}</error></errors>`,
      )
    })

    it('passes a full burst again after a second, and one request per 40 ms in between', async () => {
      const headers = await key()
      assert.deepEqual(await burst(20, headers), Array(20).fill(200))
      // Refused requests take nothing from the bucket: hammering does not push the wait further.
      for (let i = 0; i < 30; i++) assertLimited(await t.get(INVOICE, headers))
      t.clock.advance(40)
      assert.deepEqual(await burst(2, headers), [200, 429])
      t.clock.advance(1000)
      assert.deepEqual(await burst(21, headers), [...Array(20).fill(200), 429])
    })

    it('keeps a bucket per principal: keys and clients apart, tokens of one client together', async () => {
      const first = await key()
      const second = await key()
      const client = await t.createClient()
      const [tokenA, tokenB] = [await t.token(client), await t.token(client)]
      assert.deepEqual(await burst(21, first), [...Array(20).fill(200), 429])
      assert.deepEqual(await burst(21, second), [...Array(20).fill(200), 429])

      assert.deepEqual(await burst(12, { authorization: `Bearer ${tokenA}` }), Array(12).fill(200))
      const shared = await burst(9, { authorization: `Bearer ${tokenB}` })
      assert.deepEqual(shared, [...Array(8).fill(200), 429])
      assertLimited(await t.get(INVOICE, { authorization: `Bearer ${tokenA}` }))

      const other = await t.createClient()
      assert.equal(
        (await t.get(INVOICE, { authorization: `Bearer ${await t.token(other)}` })).statusCode,
        200,
      )
    })

    it("answers bad credentials 401, not the rate limit's 429: there is no principal to count them against", async () => {
      // Three: past that, guessing keys is slowed and refused by its own throttle (api-key-guessing.test.ts).
      for (let i = 0; i < 3; i++) {
        const response = await t.get(INVOICE, { 'x-coupa-api-key': 'not-a-key' })
        assert.equal(response.statusCode, 401)
      }
    })
  })

  describe(`a configured rate limit on ${backend.name}`, { skip: backend.skip }, () => {
    let t: AuthInstance
    let headers: Record<string, string>
    before(async () => {
      t = await startAuthInstance(backend, { apiRateLimit: { perSecond: 0.5, burst: 1 } })
      const { key } = await t.instance.apiKeys.create({
        name: 'slow',
        contactLogin: 'slow',
        contactEmail: 'slow@example.com',
      })
      headers = { 'x-coupa-api-key': key }
    })
    after(() => t.close())

    it('answers Retry-After with the whole seconds left until a request may pass', async () => {
      assert.equal((await t.get(INVOICE, headers)).statusCode, 200)
      const first = await t.get(INVOICE, headers)
      assert.equal(first.statusCode, 429)
      assert.equal(first.headers['retry-after'], '2')
      t.clock.advance(1000)
      const second = await t.get(INVOICE, headers)
      assert.equal(second.statusCode, 429)
      assert.equal(second.headers['retry-after'], '1')
      t.clock.advance(1000)
      assert.equal((await t.get(INVOICE, headers)).statusCode, 200)
    })

    it('states the configured limit in the 429 body, not Coupa default', async () => {
      t.clock.advance(2000)
      assert.equal((await t.get(INVOICE, headers)).statusCode, 200)
      assertCoupaError(await t.get(INVOICE, headers), 429, [
        'Too many requests: at most 0.5 per second with a burst of 1',
      ])
    })
  })
}
