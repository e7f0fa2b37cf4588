import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, startApiInstance } from '../engine/support.ts'

const [sqlite] = storeBackends

describe('guessing API keys (RFC 6819 §4.3.5)', () => {
  let t: ApiInstance
  before(async () => {
    // Eight failures per address per minute, the first three answered at once: 0.1 + 0.2 + … + 1.6 s.
    t = await startApiInstance(sqlite as NonNullable<typeof sqlite>, {
      throttle: { maxFailuresPerAddress: 8, freeFailures: 3 },
    })
  })
  after(() => t.close())

  const from = (address: string, key: string) =>
    t.instance.app.inject({
      url: '/api/suppliers/1',
      remoteAddress: address,
      headers: { 'x-coupa-api-key': key, accept: 'application/json' },
    })

  it('slows wrong keys from one address, then refuses them with 429 and Retry-After', async () => {
    const started = performance.now()
    const statuses: number[] = []
    for (let i = 0; i < 9; i++)
      statuses.push((await from('198.51.100.9', `${i}`.padStart(40, 'f'))).statusCode)
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401])
    assert.equal(statuses.at(-1), 429)
    const refused = await from('198.51.100.9', 'f'.repeat(40))
    assert.equal(refused.statusCode, 429)
    assert.ok(Number(refused.headers['retry-after']) >= 1)
    assert.match(
      refused.json().errors.supplier[0],
      /^Too many wrong API keys from this address; retry after \d+ seconds$/,
    )
    // The failures before the refusals were held back: guessing is slow.
    const ms = performance.now() - started
    assert.ok(ms >= 1000, `took only ${Math.round(ms)} ms`)
  })

  it('never locks out the real key, even from the guessing address', async () => {
    const real = await t.apiKey(null)
    const response = await t.instance.app.inject({
      url: '/api/suppliers/1',
      remoteAddress: '198.51.100.9',
      headers: { ...real, accept: 'application/json' },
    })
    assert.equal(response.statusCode, 200)
  })

  it('does not refuse other addresses', async () => {
    assert.equal((await from('203.0.113.77', 'e'.repeat(40))).statusCode, 401)
  })
})
