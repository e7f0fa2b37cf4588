import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { TokenError } from '../src/index.ts'
import { json, networkDown } from './helpers/fake-token-endpoint.ts'
import { createHarness, HARD_EXPIRY_MS, type Harness, observe, REFRESH_AT_MS } from './helpers/manager.ts'

let harness: Harness | undefined
afterEach(async () => {
  await harness?.tokens.close()
  harness = undefined
})

function setup(...args: Parameters<typeof createHarness>): Harness {
  harness = createHarness(...args)
  return harness
}

describe('token manager: availability matrix (fresh, aging, expired × endpoint up, down)', () => {
  it('serves a fresh token from the cache with no I/O', async () => {
    const { tokens, endpoint, clock } = setup()
    const first = await tokens.getToken()
    await clock.advance(REFRESH_AT_MS - 1)
    endpoint.respond(() => assert.fail('no request may be made for a fresh token'))
    assert.equal(await tokens.getToken(), first)
    assert.equal(endpoint.requests.length, 1)
  })

  it('refreshes an aging token in the background when the endpoint is up', async () => {
    const { tokens, endpoint, clock, eventsNamed } = setup()
    const first = await tokens.getToken()
    await clock.advance(REFRESH_AT_MS)
    assert.equal(endpoint.requests.length, 2, 'the refresh timer fired at 5/6 of 86399 s')
    const second = await tokens.getToken()
    assert.notEqual(second, first)
    assert.equal(second, endpoint.issued[1])
    assert.equal(eventsNamed('token').length, 2)
  })

  it('keeps serving the aging token while its refresh is in flight', async () => {
    const { tokens, endpoint, clock } = setup()
    const first = await tokens.getToken()
    let release: (response: Response) => void = () => {}
    endpoint.respond(() => new Promise<Response>((resolve) => (release = resolve)))
    await clock.advance(REFRESH_AT_MS)
    assert.equal(endpoint.requests.length, 2)
    assert.equal(await tokens.getToken(), first, 'the refresh is pending; the old token still works')
    release(json(200, { access_token: 'new-token', token_type: 'Bearer', expires_in: 86399 }))
    await clock.settle()
    assert.equal(await tokens.getToken(), 'new-token')
  })

  it('serves the aging token when the endpoint is down, and emits stale once per failure', async () => {
    const { tokens, endpoint, clock, eventsNamed } = setup()
    const first = await tokens.getToken()
    endpoint.respond(networkDown)
    await clock.advance(REFRESH_AT_MS)
    assert.equal(await tokens.getToken(), first)
    assert.equal(await tokens.getToken(), first)
    const [failed] = eventsNamed('refresh_failed')
    assert.equal(failed?.code, 'KS_TOKEN_ENDPOINT_UNAVAILABLE')
    assert.equal(failed?.attempt, 1)
    const stale = eventsNamed('stale')
    assert.equal(stale.length, 1)
    assert.equal(stale[0]?.code, 'KS_TOKEN_ENDPOINT_UNAVAILABLE')
    assert.equal(stale[0]?.servableForMs, HARD_EXPIRY_MS - REFRESH_AT_MS)
  })

  it('rejects with KS_TOKEN_EXPIRED once the token is past its hard expiry and the endpoint is down', async () => {
    // random 0.5: half the jitter cap (5 min) on the refresh, backoff waits of half their ceiling.
    const { tokens, endpoint, clock } = setup({ random: () => 0.5 })
    await tokens.getToken()
    endpoint.respond(() => json(503, { error: 'temporarily_unavailable' }))
    await clock.advance(HARD_EXPIRY_MS)
    await assert.rejects(tokens.getToken(), (error: unknown) => {
      assert.ok(error instanceof TokenError)
      assert.equal(error.code, 'KS_TOKEN_EXPIRED')
      assert.equal(error.status, 503)
      assert.equal((error.cause as TokenError).code, 'KS_TOKEN_ENDPOINT_UNAVAILABLE')
      return true
    })
  })

  it('recovers after the outage: the background retries, with backoff, get a new token', async () => {
    const { tokens, endpoint, clock, eventsNamed } = setup({ random: () => 0.5 })
    await tokens.getToken()
    endpoint.respond(networkDown)
    await clock.advance(REFRESH_AT_MS + 300_000 + 3_600_000)
    const waits = eventsNamed('refresh_failed').map((event) => event.nextRetryMs)
    assert.deepEqual(
      waits.slice(0, 6),
      [500, 1000, 2000, 4000, 8000, 16000],
      'full jitter: random × 1 s × 2^n',
    )
    assert.ok(
      waits.every((wait) => wait <= 150_000),
      'capped at 5 min × random',
    )
    endpoint.respond(() =>
      json(200, { access_token: 'after-outage', token_type: 'bearer', expires_in: 86399 }),
    )
    await clock.advance(300_000)
    assert.equal(await tokens.getToken(), 'after-outage')
  })
})

describe('token manager: single-flight', () => {
  it('makes one request for 1 000 concurrent callers', async () => {
    const { tokens, endpoint } = setup()
    const results = await Promise.all(Array.from({ length: 1000 }, () => tokens.getToken()))
    assert.equal(endpoint.requests.length, 1)
    assert.equal(new Set(results).size, 1)
  })

  it('gives every waiting caller the same error, after one request', async () => {
    const { tokens, endpoint } = setup()
    endpoint.respond(() => json(503, {}))
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => tokens.getToken()))
    assert.equal(endpoint.requests.length, 1)
    assert.ok(results.every((result) => result.status === 'rejected'))
  })
})

describe('token manager: first use delay (Coupa advises 5 s between creating and using a token)', () => {
  it('hands out a new token only after firstUseDelay', async () => {
    const { tokens, clock } = setup({ firstUseDelay: 5000 })
    const pending = observe(tokens.getToken())
    await clock.advance(4999)
    assert.equal(pending.settled, false)
    await clock.advance(1)
    assert.equal(pending.settled, true)
    assert.equal(typeof pending.value, 'string')
  })

  it('keeps serving the old token while a refreshed one waits out the delay', async () => {
    const { tokens, endpoint, clock } = setup({ firstUseDelay: 5000 })
    const first = observe(tokens.getToken())
    await clock.advance(5000)
    await clock.advance(REFRESH_AT_MS - 5000)
    assert.equal(endpoint.requests.length, 2)
    assert.equal(await tokens.getToken(), first.value)
    await clock.advance(5000)
    assert.equal(await tokens.getToken(), endpoint.issued[1])
  })
})

describe('token manager: close()', () => {
  it('cancels timers, and getToken() rejects with KS_TOKEN_MANAGER_CLOSED', async () => {
    const { tokens, clock, endpoint } = setup()
    await tokens.getToken()
    assert.ok(clock.pending() > 0)
    await tokens.close()
    assert.equal(clock.pending(), 0)
    await assert.rejects(tokens.getToken(), { code: 'KS_TOKEN_MANAGER_CLOSED' })
    await clock.advance(REFRESH_AT_MS * 2)
    assert.equal(endpoint.requests.length, 1, 'no refresh after close')
  })

  it('cancels a pending retry and rejects callers waiting on a first-use delay', async () => {
    const { tokens, clock, endpoint } = setup({ firstUseDelay: 5000 })
    const waiting = observe(tokens.getToken())
    await clock.settle()
    await tokens.close()
    await clock.settle()
    assert.equal((waiting.error as TokenError | undefined)?.code, 'KS_TOKEN_MANAGER_CLOSED')
    assert.equal(clock.pending(), 0)
    assert.equal(endpoint.requests.length, 1)
  })
})
