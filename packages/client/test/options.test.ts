import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createApiClient, createTokenManager, type TokenManagerOptions } from '../src/index.ts'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  createFakeTokenEndpoint,
  TOKEN_URL,
} from './helpers/fake-token-endpoint.ts'

const valid: TokenManagerOptions = { tokenUrl: TOKEN_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }

describe('options are checked at creation, never on first use', () => {
  for (const [label, change, pattern] of [
    ['a tokenUrl that is not a URL', { tokenUrl: 'acme' }, /tokenUrl is not a valid URL/],
    ['a tokenUrl that is not http(s)', { tokenUrl: 'ftp://acme.example/token' }, /http:\/\/ or https:\/\//],
    ['a tokenUrl with credentials', { tokenUrl: 'https://user:pw@acme.example/' }, /user name or password/],
    ['an empty clientId', { clientId: '' }, /clientId must be a non-empty string/],
    ['no clientSecret', { clientSecret: undefined }, /clientSecret must be a non-empty string/],
    ['an unknown clientAuth', { clientAuth: 'private_key_jwt' }, /clientAuth must be/],
    ['a scope that is a number', { scope: 42 }, /scope must be/],
    ['a negative refreshAfter', { refreshAfter: -1 }, /refreshAfter must be a number from 1/],
    [
      'a firstUseDelay of an hour',
      { firstUseDelay: 3_600_000 },
      /firstUseDelay must be a number from 0 to 60000/,
    ],
  ] as const) {
    it(`createTokenManager refuses ${label} with KS_CLIENT_INVALID_ARGUMENT`, () => {
      const options = { ...valid, ...change } as unknown as TokenManagerOptions
      assert.throws(
        () => createTokenManager(options),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'KS_CLIENT_INVALID_ARGUMENT')
          assert.match(error.message, pattern)
          assert.ok(!error.message.includes('pw@'), 'never echoes credentials')
          return true
        },
      )
    })
  }

  it('appends /oauth2/token to a bare instance URL', async () => {
    const endpoint = createFakeTokenEndpoint()
    const tokens = createTokenManager({
      ...valid,
      tokenUrl: 'https://acme.coupahost.com',
      fetch: endpoint.fetch,
    })
    await tokens.getToken()
    assert.equal(endpoint.requests[0]?.url, 'https://acme.coupahost.com/oauth2/token')
    await tokens.close()
  })

  it('warns when the secret would travel over plain http to another host', () => {
    const lines: string[] = []
    const logger = {
      debug() {},
      info() {},
      error() {},
      warn: (_: object, message?: string) => lines.push(String(message)),
    }
    createTokenManager({ ...valid, tokenUrl: 'http://acme.example/oauth2/token', logger })
    createTokenManager({ ...valid, tokenUrl: 'http://127.0.0.1:8080/oauth2/token', logger })
    assert.equal(lines.length, 1)
  })

  const tokens = { getToken: async () => 't', invalidate() {} }
  for (const [label, options] of [
    ['a baseUrl that is not a URL', { baseUrl: 'acme', tokens }],
    ['no token source', { baseUrl: 'https://acme.coupahost.com' }],
    ['an unknown accept', { baseUrl: 'https://acme.coupahost.com', tokens, accept: 'yaml' }],
    [
      'a broken rate limit',
      { baseUrl: 'https://acme.coupahost.com', tokens, rateLimit: { perSecond: -1, burst: 1 } },
    ],
  ] as const) {
    it(`createApiClient refuses ${label}`, () => {
      assert.throws(() => createApiClient(options as never), { code: 'KS_CLIENT_INVALID_ARGUMENT' })
    })
  }
})
