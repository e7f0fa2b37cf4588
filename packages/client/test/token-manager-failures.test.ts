import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { TokenError } from '../src/index.ts'
import { CLIENT_SECRET, json, networkDown } from './helpers/fake-token-endpoint.ts'
import { createHarness, type Harness, REFRESH_AT_MS } from './helpers/manager.ts'

let harness: Harness | undefined
afterEach(async () => {
  await harness?.tokens.close()
  harness = undefined
})

function setup(...args: Parameters<typeof createHarness>): Harness {
  harness = createHarness(...args)
  return harness
}

const INVALID_CLIENT = { error: 'invalid_client', error_description: 'Client authentication failed' }

describe('token manager: RFC 6749 §5.2 errors are surfaced at once', () => {
  it('rejects invalid_client with KS_TOKEN_INVALID_CLIENT after one request, and no retry loop', async () => {
    const { tokens, endpoint, clock } = setup()
    endpoint.respond(() => json(401, INVALID_CLIENT, { 'www-authenticate': 'Basic realm="coupa"' }))
    await assert.rejects(tokens.getToken(), (error: unknown) => {
      assert.ok(error instanceof TokenError)
      assert.equal(error.code, 'KS_TOKEN_INVALID_CLIENT')
      assert.equal(error.error, 'invalid_client')
      assert.equal(error.error_description, 'Client authentication failed')
      assert.equal(error.status, 401)
      assert.equal(error.transient, false)
      return true
    })
    assert.equal(clock.pending(), 0, 'no background retry without a token to refresh')
    await assert.rejects(tokens.getToken(), { code: 'KS_TOKEN_INVALID_CLIENT' })
    await clock.advance(59_999)
    await assert.rejects(tokens.getToken(), { code: 'KS_TOKEN_INVALID_CLIENT' })
    assert.equal(endpoint.requests.length, 1, 'callers within 60 s get the same answer without a request')
    await clock.advance(1)
    await assert.rejects(tokens.getToken(), { code: 'KS_TOKEN_INVALID_CLIENT' })
    assert.equal(endpoint.requests.length, 2)
  })

  for (const [error, code] of [
    ['invalid_scope', 'KS_TOKEN_INVALID_SCOPE'],
    ['unauthorized_client', 'KS_TOKEN_UNAUTHORIZED_CLIENT'],
    ['invalid_request', 'KS_TOKEN_INVALID_REQUEST'],
    ['unsupported_grant_type', 'KS_TOKEN_UNSUPPORTED_GRANT_TYPE'],
    ['invalid_grant', 'KS_TOKEN_REJECTED'],
  ] as const) {
    it(`maps ${error} to ${code}`, async () => {
      const { tokens, endpoint } = setup()
      endpoint.respond(() => json(400, { error }))
      await assert.rejects(tokens.getToken(), { code, error, status: 400 })
    })
  }

  it('keeps serving the valid token when a background refresh is refused, retrying every 60 s', async () => {
    const { tokens, endpoint, clock, eventsNamed } = setup()
    const first = await tokens.getToken()
    endpoint.respond(() => json(401, INVALID_CLIENT))
    await clock.advance(REFRESH_AT_MS)
    assert.equal(await tokens.getToken(), first)
    assert.deepEqual(eventsNamed('refresh_failed')[0], {
      code: 'KS_TOKEN_INVALID_CLIENT',
      attempt: 1,
      nextRetryMs: 60_000,
      status: 401,
      error: 'invalid_client',
    })
    await clock.advance(60_000)
    assert.equal(endpoint.requests.length, 3)
  })
})

describe('token manager: retries of the token endpoint', () => {
  it('honours Retry-After in seconds on 429', async () => {
    const { tokens, endpoint, clock, eventsNamed } = setup()
    await tokens.getToken()
    endpoint.respond(() => json(429, { error: 'slow_down' }, { 'retry-after': '120' }))
    await clock.advance(REFRESH_AT_MS)
    const [failed] = eventsNamed('refresh_failed')
    assert.equal(failed?.code, 'KS_TOKEN_RATE_LIMITED')
    assert.equal(failed?.nextRetryMs, 120_000)
    await clock.advance(119_999)
    assert.equal(endpoint.requests.length, 2, 'no request before Retry-After')
    await clock.advance(1)
    assert.equal(endpoint.requests.length, 3)
  })

  it('honours Retry-After as an HTTP date', async () => {
    const { tokens, endpoint, clock, eventsNamed } = setup()
    await tokens.getToken()
    endpoint.respond(() => {
      const date = new Date(clock.wallNow() + 90_000).toUTCString()
      return json(503, {}, { 'retry-after': date })
    })
    await clock.advance(REFRESH_AT_MS)
    const [failed] = eventsNamed('refresh_failed')
    assert.equal(failed?.code, 'KS_TOKEN_ENDPOINT_UNAVAILABLE')
    assert.ok(failed !== undefined && failed.nextRetryMs > 89_000 && failed.nextRetryMs <= 90_000)
  })

  it('caps Retry-After at one hour', async () => {
    const { tokens, endpoint, clock, eventsNamed } = setup()
    await tokens.getToken()
    endpoint.respond(() => json(503, {}, { 'retry-after': '86400' }))
    await clock.advance(REFRESH_AT_MS)
    assert.equal(eventsNamed('refresh_failed')[0]?.nextRetryMs, 3_600_000)
  })

  it('fails fast, without a request, while the first token cannot be had and the backoff runs', async () => {
    const { tokens, endpoint, clock } = setup({ random: () => 0.5 })
    endpoint.respond(networkDown)
    await assert.rejects(tokens.getToken(), { code: 'KS_TOKEN_ENDPOINT_UNAVAILABLE' })
    await assert.rejects(tokens.getToken(), { code: 'KS_TOKEN_ENDPOINT_UNAVAILABLE' })
    assert.equal(endpoint.requests.length, 1)
    await clock.advance(500)
    endpoint.respond(() => json(200, { access_token: 'back', token_type: 'bearer', expires_in: 86399 }))
    assert.equal(await tokens.getToken(), 'back')
  })

  it('treats a 200 that is not a token answer as KS_TOKEN_RESPONSE_INVALID', async () => {
    const { tokens, endpoint } = setup()
    endpoint.respond(() => new Response('<html>login</html>', { headers: { 'content-type': 'text/html' } }))
    await assert.rejects(tokens.getToken(), { code: 'KS_TOKEN_RESPONSE_INVALID' })
  })
})

describe('token manager: secrets and tokens stay out of messages, logs and events', () => {
  it('never writes the secret or a token in an error, a log line or an event', async () => {
    const { tokens, endpoint, clock, logger, events } = setup()
    const token = await tokens.getToken()
    endpoint.respond(() => json(401, INVALID_CLIENT))
    await clock.advance(REFRESH_AT_MS)
    await tokens.getToken()
    tokens.invalidate(token)
    const error = await tokens.getToken().catch((caught: unknown) => caught as TokenError)
    const text = JSON.stringify({
      logs: logger.lines,
      events,
      message: String(error),
      stack: (error as Error).stack,
    })
    assert.ok(!text.includes(CLIENT_SECRET), 'no secret')
    for (const issued of endpoint.issued) assert.ok(!text.includes(issued), 'no token')
    assert.ok(text.includes('fingerprint'))
  })

  it('logs and survives a listener that throws', async () => {
    const { tokens, logger } = setup()
    tokens.on('token', () => {
      throw new Error('listener bug')
    })
    assert.equal(typeof (await tokens.getToken()), 'string')
    assert.ok(
      logger.lines.some((line) => line.level === 'error' && line.message === 'an event listener threw'),
    )
  })
})
