import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { MAX_EXPIRES_IN_S, MAX_TIMER_DELAY_MS, tokenLifetime } from '../src/internal.ts'
import { refreshDelay, tokenTimes } from '../src/lifetime.ts'
import { createFakeTokenEndpoint, json } from './helpers/fake-token-endpoint.ts'
import { createHarness, type Harness } from './helpers/manager.ts'

let harness: Harness | undefined
afterEach(async () => {
  await harness?.tokens.close()
  harness = undefined
})

describe('token lifetime from expires_in (RFC 6749 §5.1)', () => {
  it('takes expires_in as given when it is a sane number', () => {
    assert.deepEqual(tokenLifetime(86399, 3600), { seconds: 86399, source: 'expires_in' })
  })

  for (const [label, value, source] of [
    ['absent', undefined, 'absent'],
    ['zero', 0, 'invalid'],
    ['below one second', 0.5, 'invalid'],
    ['negative', -5, 'invalid'],
    ['NaN', Number.NaN, 'invalid'],
    ['infinite', Number.POSITIVE_INFINITY, 'invalid'],
  ] as const) {
    it(`falls back to the default lifetime when expires_in is ${label}`, () => {
      assert.deepEqual(tokenLifetime(value, 3600), { seconds: 3600, source })
    })
  }

  it('clamps a huge expires_in to 30 days', () => {
    assert.deepEqual(tokenLifetime(10 ** 12, 3600), { seconds: MAX_EXPIRES_IN_S, source: 'clamped' })
  })

  it('refreshes at 20 h for a 24 h token and at 5/6 of a shorter one', () => {
    const never = () => 0
    assert.equal(refreshDelay(86_400_000, 72_000, never), 72_000_000)
    assert.equal(refreshDelay(86_399_000, 72_000, never), (86_399_000 * 5) / 6)
    assert.equal(refreshDelay(3_600_000, 72_000, never), 3_000_000)
    assert.equal(refreshDelay(30 * 86_400_000, 72_000, never), 72_000_000)
  })

  it('adds a jitter of at most 1% of the lifetime, capped at 10 minutes', () => {
    const almostOne = () => 0.999_999
    assert.ok(refreshDelay(3_600_000, 72_000, almostOne) - 3_000_000 < 36_000)
    assert.ok(refreshDelay(86_400_000, 72_000, almostOne) - 72_000_000 < 600_000)
  })

  it('keeps refresh before hard expiry, and the hard expiry margin within a tenth of short lifetimes', () => {
    for (const lifetimeMs of [1000, 59_000, 600_000, 3_600_000, 86_399_000]) {
      const times = tokenTimes(0, lifetimeMs, 72_000, () => 0.999)
      assert.ok(times.refreshAt <= times.hardExpiry, `lifetime ${lifetimeMs}`)
      assert.ok(times.hardExpiry >= lifetimeMs * 0.9)
      assert.ok(times.hardExpiry <= lifetimeMs - Math.min(60_000, lifetimeMs / 10))
    }
  })
})

describe('token manager: odd expires_in values', () => {
  for (const [label, expiresIn, lifetimeS] of [
    ['absent', undefined, 3600],
    ['zero', 0, 3600],
    ['negative', -1, 3600],
    ['a word', 'soon', 3600],
    ['a numeric string', '86399', 86399],
  ] as const) {
    it(`handles expires_in ${label} (lifetime ${lifetimeS} s)`, async () => {
      harness = createHarness({}, { endpoint: createFakeTokenEndpoint({ expiresIn }) })
      const { tokens, eventsNamed, logger } = harness
      await tokens.getToken()
      assert.equal(eventsNamed('token')[0]?.expiresIn, lifetimeS)
      const warned = logger.lines.some(
        (line) => line.level === 'warn' && /expires_in/.test(line.message ?? ''),
      )
      assert.equal(warned, lifetimeS === 3600)
    })
  }

  it('arms timers beyond 2^31 − 1 ms in steps instead of overflowing', async () => {
    // expires_in 1e9 s is clamped to 30 days; refreshAfter 2.5e6 s is cut to 5/6 of that: 25 days.
    harness = createHarness(
      { refreshAfter: 2_500_000 },
      { endpoint: createFakeTokenEndpoint({ expiresIn: 10 ** 9 }) },
    )
    const { tokens, clock, endpoint, eventsNamed } = harness
    await tokens.getToken()
    const refreshInMs = eventsNamed('token')[0]?.refreshInMs ?? 0
    assert.equal(refreshInMs, (MAX_EXPIRES_IN_S * 1000 * 5) / 6)
    assert.ok(refreshInMs > MAX_TIMER_DELAY_MS)
    await clock.advance(MAX_TIMER_DELAY_MS)
    assert.equal(endpoint.requests.length, 1, 'the first step only re-arms')
    await clock.advance(refreshInMs - MAX_TIMER_DELAY_MS)
    assert.equal(endpoint.requests.length, 2)
    assert.equal(clock.overflows, 0)
    assert.ok(clock.delays.every((delay) => delay <= MAX_TIMER_DELAY_MS))
  })

  it('never refreshes in a loop when a token lives one second', async () => {
    harness = createHarness({}, { endpoint: createFakeTokenEndpoint({ expiresIn: 1 }) })
    const { tokens, clock, endpoint } = harness
    await tokens.getToken()
    await clock.advance(9_000)
    // Refreshed at its hard expiry (0.9 s), never sooner: one request per 0.9 s.
    assert.equal(endpoint.requests.length, 11)
  })

  it('does not use the JWT exp: a token whose exp is in the past still lives expires_in seconds', async () => {
    const expiredJwt = `e30.${Buffer.from(JSON.stringify({ exp: 1 })).toString('base64url')}.sig`
    harness = createHarness()
    harness.endpoint.respond(() =>
      json(200, { access_token: expiredJwt, token_type: 'bearer', expires_in: 86399 }),
    )
    assert.equal(await harness.tokens.getToken(), expiredJwt)
    await harness.clock.advance(3_600_000)
    assert.equal(await harness.tokens.getToken(), expiredJwt)
    assert.equal(harness.endpoint.requests.length, 1)
  })
})
