import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { COUPA_RATE_LIMIT, createApiClient, createRateLimiter } from '../src/index.ts'
import { BASE_URL, createFakeApi } from './helpers/fake-api.ts'
import { createFakeClock, type FakeClock } from './helpers/fake-clock.ts'

/** Fires `count` take() calls at once and records when each is let through. */
async function sendTimes(
  clock: FakeClock,
  take: () => Promise<void>,
  count: number,
  span: number,
): Promise<number[]> {
  const start = clock.now()
  const times: number[] = []
  for (let i = 0; i < count; i++) take().then(() => times.push(clock.now() - start))
  await clock.advance(span)
  return times
}

describe('rate limiter: token bucket, 25 per second with bursts of 20 (Coupa)', () => {
  it('lets a burst of 20 through at once, then one every 40 ms, in order', async () => {
    const clock = createFakeClock()
    const limiter = createRateLimiter(COUPA_RATE_LIMIT, clock)
    const times = await sendTimes(clock, limiter.take, 25, 1000)
    assert.deepEqual(times, [...Array(20).fill(0), 40, 80, 120, 160, 200])
  })

  it('holds 25 per second over a long run', async () => {
    const clock = createFakeClock()
    const limiter = createRateLimiter(COUPA_RATE_LIMIT, clock)
    const times = await sendTimes(clock, limiter.take, 520, 60_000)
    const lastSecond = times.filter((t) => t >= 19_000 && t < 20_000)
    assert.equal(lastSecond.length, 25)
    assert.equal(times.at(-1), 500 * 40)
  })

  it('refills while idle: after a quiet second the next burst goes out at once', async () => {
    const clock = createFakeClock()
    const limiter = createRateLimiter(COUPA_RATE_LIMIT, clock)
    await sendTimes(clock, limiter.take, 20, 0)
    await clock.advance(1000)
    assert.deepEqual(await sendTimes(clock, limiter.take, 20, 0), Array(20).fill(0))
  })

  it('after pause() holds everything, then sends at the sustained rate (no burst into a full bucket)', async () => {
    const clock = createFakeClock()
    const limiter = createRateLimiter(COUPA_RATE_LIMIT, clock)
    limiter.pause(500)
    assert.deepEqual(await sendTimes(clock, limiter.take, 3, 1000), [500, 540, 580])
  })

  it('without a limit only pauses', async () => {
    const clock = createFakeClock()
    const limiter = createRateLimiter(false, clock)
    assert.deepEqual(await sendTimes(clock, limiter.take, 30, 0), Array(30).fill(0))
  })

  it('refuses a rate or burst that cannot work', () => {
    assert.throws(() => createRateLimiter({ perSecond: 0, burst: 20 }, createFakeClock()), {
      code: 'KS_CLIENT_INVALID_ARGUMENT',
    })
    assert.throws(() => createRateLimiter({ perSecond: 25, burst: 0.5 }, createFakeClock()), {
      code: 'KS_CLIENT_INVALID_ARGUMENT',
    })
  })

  it('spaces the requests of an API client per instance', async () => {
    const clock = createFakeClock()
    const api = createFakeApi(() => Response.json({}))
    const tokens = { getToken: async () => 'token', invalidate: () => {} }
    const coupa = createApiClient({ baseUrl: BASE_URL, tokens, fetch: api.fetch, clock })
    const other = createApiClient({ baseUrl: 'https://other.coupahost.com', tokens, fetch: api.fetch, clock })
    for (let i = 0; i < 22; i++) void coupa.get('users')
    for (let i = 0; i < 20; i++) void other.get('users')
    await clock.settle()
    assert.equal(api.requests.length, 40, 'a burst of 20 per instance')
    await clock.advance(40)
    assert.equal(api.requests.length, 41)
    await clock.advance(40)
    assert.equal(api.requests.length, 42)
  })
})
