/**
 * Online guessing of legacy API keys (RFC 6819 §4.3.5): wrong `X-COUPA-API-KEY` values from one
 * address are slowed and then refused with 429, and the real key keeps working meanwhile.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { startInstance, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const sqlite = storeBackends.find((backend) => backend.name === 'sqlite')

describe('brute force on X-COUPA-API-KEY', () => {
  let t: TestInstance
  before(async () => {
    assert.ok(sqlite)
    // Lower limits than the defaults (30 failures, delays up to 2 s) keep the test short.
    t = await startInstance(sqlite, {
      apiRateLimit: false,
      throttle: { maxFailuresPerAddress: 10, freeFailures: 2 },
    })
  })
  after(() => t.close())

  const guess = (key: string, remoteAddress = '203.0.113.7') =>
    t.instance.app.inject({
      method: 'GET',
      url: '/api/invoices/1',
      remoteAddress,
      headers: { 'x-coupa-api-key': key, accept: 'application/json' },
    })

  it('refuses an address with 429 after repeated wrong keys, without locking out the real key', async () => {
    const { key } = await t.instance.apiKeys.create({
      name: 'real',
      contactLogin: 'real',
      contactEmail: 'real@example.com',
    })
    const statuses: number[] = []
    for (let i = 0; i < 15; i++) statuses.push((await guess(randomBytes(20).toString('hex'))).statusCode)
    assert.ok(statuses.includes(429), `statuses of 15 wrong keys: ${[...new Set(statuses)].join(', ')}`)
    const refused = await guess(randomBytes(20).toString('hex'))
    assert.equal(refused.statusCode, 429)
    assert.ok(refused.headers['retry-after'])
    // The legitimate integration, from its own address, is not locked out.
    const own = await guess(key, '198.51.100.20')
    // 404: the store has no invoice 1; what matters is that the key was accepted.
    assert.equal(own.statusCode, 404, own.body)
  })

  it('answers a wrong key 401 without saying whether it was close', async () => {
    const response = await guess('0'.repeat(40), '192.0.2.1')
    assert.equal(response.statusCode, 401)
    assert.deepEqual(response.json(), {
      errors: {
        'invoice-header': ['The API key is not valid; OAuth 2.0 replaces API keys: see /oauth2/token'],
      },
    })
  })
})
