import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { clientCredentialsRequest, processClientCredentialsResponse, TokenError } from '../src/index.ts'
import { basicAuthorization } from '../src/internal.ts'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  createFakeTokenEndpoint,
  json,
  TOKEN_URL,
} from './helpers/fake-token-endpoint.ts'

const base = { tokenUrl: TOKEN_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }

describe('RFC 6749 §4.4.2 clientCredentialsRequest()', () => {
  it('posts client_id, grant_type, scope and client_secret as a form (client_secret_post, the default)', async () => {
    const endpoint = createFakeTokenEndpoint()
    await clientCredentialsRequest({
      ...base,
      scope: 'core.invoice.read core.common.read',
      fetch: endpoint.fetch,
    })
    const [request] = endpoint.requests
    assert.equal(request?.method, 'POST')
    assert.equal(request?.url, TOKEN_URL)
    assert.equal(request?.headers.get('content-type'), 'application/x-www-form-urlencoded')
    assert.equal(request?.headers.get('accept'), 'application/json')
    assert.equal(request?.headers.get('authorization'), null)
    assert.deepEqual(
      [...(request?.form ?? [])],
      [
        ['client_id', CLIENT_ID],
        ['grant_type', 'client_credentials'],
        ['scope', 'core.invoice.read core.common.read'],
        ['client_secret', CLIENT_SECRET],
      ],
    )
  })

  it('sends HTTP Basic with form-urlencoded id and secret for client_secret_basic (RFC 6749 §2.3.1)', async () => {
    const endpoint = createFakeTokenEndpoint()
    const clientId = 'my client:1'
    const clientSecret = 'p%ss w:rd+/'
    await clientCredentialsRequest({
      ...base,
      clientId,
      clientSecret,
      clientAuth: 'client_secret_basic',
      fetch: endpoint.fetch,
    })
    const [request] = endpoint.requests
    const encoded = request?.headers.get('authorization')?.replace(/^Basic /, '') ?? ''
    assert.equal(Buffer.from(encoded, 'base64').toString(), 'my+client%3A1:p%25ss+w%3Ard%2B%2F')
    assert.deepEqual([...(request?.form ?? [])], [['grant_type', 'client_credentials']])
    assert.equal(basicAuthorization('a', 'b'), `Basic ${Buffer.from('a:b').toString('base64')}`)
  })

  it('leaves scope out when there is none, and does not follow redirects', async () => {
    let init: RequestInit | undefined
    await clientCredentialsRequest({
      ...base,
      fetch: async (_url, given) => {
        init = given
        return json(200, {})
      },
    })
    assert.equal(new URLSearchParams(String(init?.body)).has('scope'), false)
    assert.equal(init?.redirect, 'manual')
  })

  it('throws KS_TOKEN_ENDPOINT_UNAVAILABLE with the network reason when nothing answers', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    const fetch = () => Promise.reject(new TypeError('fetch failed', { cause: refused }))
    await assert.rejects(clientCredentialsRequest({ ...base, fetch }), (error: unknown) => {
      assert.ok(error instanceof TokenError)
      assert.equal(error.code, 'KS_TOKEN_ENDPOINT_UNAVAILABLE')
      assert.equal(error.message, `cannot reach the token endpoint ${TOKEN_URL} (ECONNREFUSED)`)
      return true
    })
  })
})

describe('RFC 6749 §5.1 processClientCredentialsResponse()', () => {
  const ok = { access_token: 'eyJ.x.y', token_type: 'bearer', expires_in: 86399, scope: 'core.invoice.read' }

  it("returns Coupa's answer with wire names kept", async () => {
    assert.deepEqual(await processClientCredentialsResponse(json(200, ok)), ok)
  })

  it('accepts token_type in any case and expires_in as a numeric string; ignores an odd one', async () => {
    const upper = await processClientCredentialsResponse(
      json(200, { ...ok, token_type: 'Bearer', expires_in: '3600' }),
    )
    assert.equal(upper.expires_in, 3600)
    const odd = await processClientCredentialsResponse(json(200, { ...ok, expires_in: 'a day' }))
    assert.equal(odd.expires_in, undefined)
  })

  for (const [label, response] of [
    ['a body that is not JSON', new Response('<html/>', { headers: { 'content-type': 'text/html' } })],
    ['JSON that is not an object', json(200, ['eyJ'])],
    ['no access_token', json(200, { token_type: 'bearer' })],
    ['an empty access_token', json(200, { access_token: '', token_type: 'bearer' })],
    ['no token_type', json(200, { access_token: 'eyJ' })],
    ['token_type mac', json(200, { access_token: 'eyJ', token_type: 'mac' })],
    ['a 302 redirect', new Response(null, { status: 302, headers: { location: 'https://login.example/' } })],
    ['404 with HTML', new Response('not found', { status: 404 })],
  ] as const) {
    it(`rejects ${label} with KS_TOKEN_RESPONSE_INVALID`, async () => {
      await assert.rejects(processClientCredentialsResponse(response), { code: 'KS_TOKEN_RESPONSE_INVALID' })
    })
  }

  it('carries error, error_description and status of an RFC 6749 §5.2 error, and names the endpoint', async () => {
    const response = json(400, { error: 'invalid_scope', error_description: 'core.nope.read is not a scope' })
    await assert.rejects(
      processClientCredentialsResponse(response, { tokenUrl: TOKEN_URL }),
      (error: unknown) => {
        assert.ok(error instanceof TokenError)
        assert.equal(error.code, 'KS_TOKEN_INVALID_SCOPE')
        assert.equal(error.error, 'invalid_scope')
        assert.equal(error.error_description, 'core.nope.read is not a scope')
        assert.equal(error.status, 400)
        assert.match(
          error.message,
          /^the token endpoint https:\/\/acme\.coupahost\.com\/oauth2\/token answered 400/,
        )
        return true
      },
    )
  })

  for (const [label, response, code] of [
    ['401 without a body', new Response(null, { status: 401 }), 'KS_TOKEN_INVALID_CLIENT'],
    ['500 with server_error', json(500, { error: 'server_error' }), 'KS_TOKEN_ENDPOINT_UNAVAILABLE'],
    [
      '400 with temporarily_unavailable',
      json(400, { error: 'temporarily_unavailable' }),
      'KS_TOKEN_ENDPOINT_UNAVAILABLE',
    ],
    ['502 from a proxy', new Response('Bad Gateway', { status: 502 }), 'KS_TOKEN_ENDPOINT_UNAVAILABLE'],
    ['429 with an OAuth body', json(429, { error: 'invalid_request' }), 'KS_TOKEN_RATE_LIMITED'],
  ] as const) {
    it(`maps ${label} to ${code}`, async () => {
      await assert.rejects(processClientCredentialsResponse(response), { code })
    })
  }

  it('reads Retry-After', async () => {
    const response = new Response(null, { status: 429, headers: { 'retry-after': '30' } })
    await assert.rejects(processClientCredentialsResponse(response), {
      code: 'KS_TOKEN_RATE_LIMITED',
      retryAfterMs: 30_000,
    })
  })
})
