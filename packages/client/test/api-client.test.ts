import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { ApiError, createApiClient } from '../src/index.ts'
import { queryString } from '../src/internal.ts'
import { BASE_URL, createFakeApi } from './helpers/fake-api.ts'
import { json } from './helpers/fake-token-endpoint.ts'
import { createHarness, type Harness } from './helpers/manager.ts'

let harness: Harness | undefined
afterEach(async () => {
  await harness?.tokens.close()
  harness = undefined
})

function setup(responder?: Parameters<typeof createFakeApi>[0], accept: 'json' | 'xml' = 'json') {
  harness = createHarness()
  const api = createFakeApi(responder)
  const { clock, tokens, endpoint } = harness
  const coupa = createApiClient({ baseUrl: BASE_URL, tokens, fetch: api.fetch, clock, accept })
  return { api, coupa, clock, tokens, endpoint }
}

describe('API client: requests', () => {
  it('sends the bearer token and Accept: application/json, and parses the answer', async () => {
    const { api, coupa, endpoint } = setup(() => Response.json({ id: 7 }))
    assert.deepEqual(await coupa.get('invoices/7'), { id: 7 })
    const [request] = api.requests
    assert.equal(request?.url.href, `${BASE_URL}/api/invoices/7`)
    assert.equal(request?.headers.get('authorization'), `Bearer ${endpoint.issued[0]}`)
    assert.equal(request?.headers.get('accept'), 'application/json')
  })

  it('passes query keys as written (updated-at[gt]) and encodes the values', async () => {
    const { api, coupa } = setup()
    await coupa.get('invoices', {
      query: { status: 'approved', 'updated-at[gt]': '2025-01-01T00:00:00+01:00', limit: 5 },
    })
    assert.equal(
      api.requests[0]?.url.search,
      '?status=approved&updated-at[gt]=2025-01-01T00%3A00%3A00%2B01%3A00&limit=5',
    )
    assert.equal(queryString({ a: true, b: undefined }), '?a=true')
  })

  it('posts and puts JSON with a matching Content-Type; a path with / is from the root', async () => {
    const { api, coupa } = setup(() => Response.json({ id: 1 }, { status: 201 }))
    await coupa.post('invoices', { 'invoice-number': 'INV-1' })
    await coupa.put('/api/invoices/1/void')
    assert.deepEqual(
      api.requests.map((r) => [r.method, r.url.pathname, r.headers.get('content-type'), r.body]),
      [
        ['POST', '/api/invoices', 'application/json', '{"invoice-number":"INV-1"}'],
        ['PUT', '/api/invoices/1/void', null, undefined],
      ],
    )
  })

  it('asks for XML and returns the text with accept: xml', async () => {
    const xml = '<?xml version="1.0"?><invoice-header><id type="integer">7</id></invoice-header>'
    const { api, coupa } = setup(
      () => new Response(xml, { headers: { 'content-type': 'application/xml' } }),
      'xml',
    )
    assert.equal(await coupa.get('invoices/7'), xml)
    assert.equal(api.requests[0]?.headers.get('accept'), 'application/xml')
    await coupa.put('invoices/7', '<invoice-header/>')
    assert.equal(api.requests[1]?.headers.get('content-type'), 'application/xml')
  })

  it('refuses a path that would send the token to another host', async () => {
    const { api, coupa } = setup()
    for (const path of ['https://evil.example/api/x', '//evil.example/x', '/\\evil.example']) {
      await assert.rejects(coupa.get(path), { code: 'KS_CLIENT_INVALID_ARGUMENT' })
    }
    assert.equal(api.requests.length, 0)
  })
})

describe('API client: 401 and 429', () => {
  it('on 401 invalidates that token, gets a new one and replays once', async () => {
    const { api, coupa, endpoint } = setup((_request, index) =>
      index === 0 ? new Response(null, { status: 401 }) : Response.json({ ok: true }),
    )
    assert.deepEqual(await coupa.get('invoices/1'), { ok: true })
    assert.equal(endpoint.requests.length, 2)
    assert.deepEqual(
      api.requests.map((r) => r.headers.get('authorization')),
      [`Bearer ${endpoint.issued[0]}`, `Bearer ${endpoint.issued[1]}`],
    )
  })

  it('throws KS_API_UNAUTHORIZED on a second 401, without a third attempt', async () => {
    const { api, coupa } = setup(() =>
      json(401, {}, { 'www-authenticate': 'Bearer error="invalid_token", error_description="revoked"' }),
    )
    await assert.rejects(coupa.get('invoices'), (error: unknown) => {
      assert.ok(error instanceof ApiError)
      assert.equal(error.code, 'KS_API_UNAUTHORIZED')
      assert.equal(error.status, 401)
      assert.equal(error.error, 'invalid_token')
      return true
    })
    assert.equal(api.requests.length, 2)
  })

  it('on 429 waits for Retry-After, then retries', async () => {
    const { api, coupa, clock } = setup((_request, index) =>
      index === 0 ? new Response(null, { status: 429, headers: { 'retry-after': '2' } }) : Response.json([]),
    )
    const done = coupa.get('invoices')
    await clock.advance(1999)
    assert.equal(api.requests.length, 1)
    await clock.advance(1)
    assert.deepEqual(await done, [])
    assert.equal(api.requests.length, 2)
  })

  it('waits 1 s after a 429 without Retry-After, and gives up after 3 retries with KS_API_RATE_LIMITED', async () => {
    const { api, coupa, clock } = setup(() => new Response(null, { status: 429 }))
    const failed = assert.rejects(coupa.get('invoices'), { code: 'KS_API_RATE_LIMITED', status: 429 })
    await clock.advance(999)
    assert.equal(api.requests.length, 1)
    await clock.advance(1)
    assert.equal(api.requests.length, 2)
    await clock.advance(2000)
    await failed
    assert.equal(api.requests.length, 4)
  })
})

describe('API client: errors', () => {
  it("parses Coupa's errors body on 422 (KS_API_INVALID_REQUEST)", async () => {
    const body = { errors: { 'invoice-header': ['Invoice number has already been taken'] } }
    const { coupa } = setup(() => json(422, body))
    await assert.rejects(coupa.post('invoices', {}), (error: unknown) => {
      assert.ok(error instanceof ApiError)
      assert.equal(error.code, 'KS_API_INVALID_REQUEST')
      assert.deepEqual(error.errors, body.errors)
      assert.equal(
        error.message,
        'POST /api/invoices answered 422 (invoice-header: Invoice number has already been taken)',
      )
      return true
    })
  })

  it('names the scope a 403 asks for (RFC 6750 insufficient_scope)', async () => {
    const challenge = 'Bearer realm="coupa", error="insufficient_scope", scope="core.invoice.write"'
    const { coupa } = setup(() => json(403, {}, { 'www-authenticate': challenge }))
    await assert.rejects(coupa.put('invoices/1', {}), (error: unknown) => {
      assert.ok(error instanceof ApiError)
      assert.equal(error.code, 'KS_API_FORBIDDEN')
      assert.equal(error.scope, 'core.invoice.write')
      assert.match(error.message, /needs scope core\.invoice\.write/)
      return true
    })
  })

  for (const [status, code] of [
    [404, 'KS_API_NOT_FOUND'],
    [400, 'KS_API_INVALID_REQUEST'],
    [500, 'KS_API_UNAVAILABLE'],
    [503, 'KS_API_UNAVAILABLE'],
  ] as const) {
    it(`maps ${status} to ${code}`, async () => {
      const { coupa } = setup(() => new Response('x', { status }))
      await assert.rejects(coupa.get('invoices/1'), { code, status })
    })
  }

  it('throws KS_API_UNAVAILABLE when nothing answers, and KS_API_RESPONSE_INVALID for bad JSON', async () => {
    const { coupa, api } = setup(() => Promise.reject(new TypeError('fetch failed')))
    await assert.rejects(coupa.get('invoices'), { code: 'KS_API_UNAVAILABLE' })
    api.respond(() => new Response('{oops', { headers: { 'content-type': 'application/json' } }))
    await assert.rejects(coupa.get('invoices'), { code: 'KS_API_RESPONSE_INVALID' })
  })

  it('passes token errors through unchanged', async () => {
    const { coupa, endpoint } = setup()
    endpoint.respond(() => json(401, { error: 'invalid_client' }))
    await assert.rejects(coupa.get('invoices'), { name: 'TokenError', code: 'KS_TOKEN_INVALID_CLIENT' })
  })
})
