/**
 * Guessing the admin password (issue 13, findings 3 and 4; OWASP Authentication Cheat Sheet,
 * "Protect against automated attacks"): concurrent guesses count one by one, a burst from one
 * address does not hold up a sign-in from another, and the right password is never refused to an
 * address that did not itself make the guesses.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { scryptPool } from '../../src/crypto/passwords.ts'
import type { AuthThrottleOptions } from '../../src/oauth/throttle.ts'
import { ADMIN_PASSWORD, startInstance, TestClock, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const sqlite = storeBackends.find((backend) => backend.name === 'sqlite')
// The default limits (30 per address, 10 per user, a minute); no delay on 401s, so that the order
// in which answers arrive is the order of the checks; pacing of 100 ms keeps the test short.
const THROTTLE: Omit<AuthThrottleOptions, 'clock'> = { freeFailures: 1e6, pacedIntervalMs: 100 }

async function instance(): Promise<TestInstance> {
  assert.ok(sqlite)
  return startInstance(sqlite, { clock: new TestClock(), throttle: THROTTLE })
}

function signIn(t: TestInstance, remoteAddress: string, password: string, username = 'admin') {
  return t.instance.app.inject({
    method: 'POST',
    url: '/admin/v1/session',
    remoteAddress,
    payload: { username, password },
  })
}

function statuses(responses: LightMyRequestResponse[]): Record<number, number> {
  const counts: Record<number, number> = {}
  for (const { statusCode } of responses) counts[statusCode] = (counts[statusCode] ?? 0) + 1
  return counts
}

describe('a burst of wrong admin passwords from one address', () => {
  let t: TestInstance
  before(async () => {
    t = await instance()
  })
  after(() => t.close())

  it('checks at most the per-user limit (10) of 60 concurrent guesses; the rest get 429 + Retry-After', async () => {
    const guesses = Array.from({ length: 60 }, (_, i) => signIn(t, '203.0.113.5', `guess ${i}`))
    const answers = await Promise.all(guesses)
    const counts = statuses(answers)
    assert.deepEqual(Object.keys(counts).sort(), ['401', '429'], JSON.stringify(counts))
    // Every 401 is one scrypt check.
    assert.ok((counts[401] ?? 0) <= 10, `checked ${counts[401]} of 60: ${JSON.stringify(counts)}`)
    for (const answer of answers.filter((a) => a.statusCode === 429)) {
      assert.match(String(answer.headers['retry-after']), /^[1-9]\d*$/)
    }
  })
})

describe('a sign-in from another address during a burst', () => {
  let t: TestInstance
  before(async () => {
    t = await instance()
  })
  after(() => t.close())

  it('waits for at most the checks already running, not for the queued burst', async () => {
    const order: string[] = []
    const burst = Array.from({ length: 60 }, (_, i) =>
      signIn(t, '203.0.113.6', `guess ${i}`).then((answer) => {
        if (answer.statusCode === 401) order.push('burst check')
        return answer
      }),
    )
    const owner = await signIn(t, '198.51.100.60', ADMIN_PASSWORD)
    order.push('owner')
    await Promise.all(burst)
    assert.equal(owner.statusCode, 201, owner.body)
    const ahead = order.indexOf('owner')
    // The checks that were running when the owner's was queued: one per scrypt thread.
    assert.ok(ahead <= scryptPool.threads, `${ahead} checks of the burst went first: ${order.join(', ')}`)
  })
})

describe('the right admin password once the per-user limit is used up', () => {
  let t: TestInstance
  before(async () => {
    t = await instance()
    // Ten wrong passwords for `admin` from one address, one at a time: every one is checked.
    for (let i = 0; i < 10; i++) {
      assert.equal((await signIn(t, '203.0.113.7', `guess ${i}`)).statusCode, 401)
    }
  })
  after(() => t.close())

  it('still checks a wrong password from a new address: 401, not 429', async () => {
    assert.equal((await signIn(t, '203.0.113.8', 'guess 10')).statusCode, 401)
  })

  it('lets the admin in from an address never seen before', async () => {
    const response = await signIn(t, '198.51.100.70', ADMIN_PASSWORD)
    assert.equal(response.statusCode, 201, response.body)
  })

  it('holds a second attempt from a new address back, then checks it: a typo does not lock the admin out', async () => {
    assert.equal((await signIn(t, '198.51.100.71', 'typo')).statusCode, 401)
    const response = await signIn(t, '198.51.100.71', ADMIN_PASSWORD)
    assert.equal(response.statusCode, 201, response.body)
  })

  it('refuses a third concurrent attempt while one of its address is held back', async () => {
    await signIn(t, '198.51.100.72', 'typo')
    const [held, refused] = await Promise.all([
      signIn(t, '198.51.100.72', 'typo 2'),
      signIn(t, '198.51.100.72', 'typo 3'),
    ])
    assert.equal(held.statusCode, 401)
    assert.equal(refused.statusCode, 429)
    assert.match(String(refused.headers['retry-after']), /^[1-9]\d*$/)
  })

  it('lets the admin in from the guessing address too, which has 10 failures of its 30', async () => {
    const response = await signIn(t, '203.0.113.7', ADMIN_PASSWORD)
    assert.equal(response.statusCode, 201, response.body)
  })

  it('refuses everything from an address that made 30 failures itself, the right password too', async () => {
    const address = '203.0.113.9'
    const users = ['nobody-1', 'nobody-2', 'nobody-3']
    for (let i = 0; i < 30; i++) {
      assert.equal((await signIn(t, address, `guess ${i}`, users[i % 3])).statusCode, 401)
    }
    const refused = await signIn(t, address, ADMIN_PASSWORD)
    assert.equal(refused.statusCode, 429)
    assert.match(String(refused.headers['retry-after']), /^[1-9]\d*$/)
  })
})
