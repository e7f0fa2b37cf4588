import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { closedPort, type FakeResponse, type FakeServer, fakeServer, refusingFetch, run } from './helpers.ts'

const ID = '0f3c9a2b7e514d6a8c1b2d3e4f5a6b7c'
const SECRET = 'a'.repeat(64)
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'
const OK: FakeResponse = {
  status: 200,
  body: { access_token: TOKEN, token_type: 'bearer', expires_in: 86399 },
}

describe('keyshift token: RFC 6749 §5.2 error responses', () => {
  let server: FakeServer
  let answer: FakeResponse = OK
  before(async () => {
    server = await fakeServer(() => answer)
  })
  after(() => server.close())

  async function failWith(response: FakeResponse, extra: string[] = []) {
    answer = response
    const argv = ['token', '--url', server.url, '--client-id', ID, '--client-secret', SECRET, ...extra]
    const result = await run(argv)
    assert.equal(result.code, 1)
    assert.ok(!result.stderr.includes(SECRET), 'the secret must not be printed')
    return result
  }

  it('invalid_client: prints the error and says to check the Identifier, Secret and active', async () => {
    const result = await failWith({
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="keyshift"' },
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
    })
    assert.equal(
      result.stderr,
      'error: invalid_client: client authentication failed\n' +
        'hint: check the Identifier (--client-id) and the Secret (KEYSHIFT_CLIENT_SECRET), and that the client is active\n',
    )
    assert.equal(result.stdout, '')
  })

  it('invalid_scope: points at the client and its Oidc Scopes', async () => {
    const result = await failWith({
      status: 400,
      body: { error: 'invalid_scope', error_description: 'not granted' },
    })
    assert.match(result.stderr, /^error: invalid_scope: not granted\n/)
    assert.match(
      result.stderr,
      new RegExp(`hint: the client lacks a requested scope.*keyshift admin clients show ${ID}\\n$`),
    )
  })

  it('unsupported_grant_type and invalid_request have their own hints', async () => {
    const grant = await failWith({ status: 400, body: { error: 'unsupported_grant_type' } })
    assert.match(grant.stderr, /^error: unsupported_grant_type\nhint: .*grant_type=client_credentials/)
    const request = await failWith({
      status: 400,
      body: { error: 'invalid_request', error_description: 'x' },
    })
    assert.match(request.stderr, /^error: invalid_request: x\nhint: the request is malformed/)
  })

  it('prints the error body on stdout with --json', async () => {
    const body = { error: 'invalid_client', error_description: 'client authentication failed' }
    const result = await failWith({ status: 401, body }, ['--json'])
    assert.deepEqual(JSON.parse(result.stdout), body)
  })

  it('429: tells to wait for Retry-After', async () => {
    const oauth = await failWith({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: 'slow_down' },
    })
    assert.equal(oauth.stderr, 'error: slow_down\nhint: rate limited: wait 7 s (Retry-After) and retry\n')
    const plain = await failWith({ status: 429, headers: { 'retry-after': '3' }, body: 'Too Many Requests' })
    assert.equal(
      plain.stderr,
      'keyshift: KS_TOKEN_RATE_LIMITED: the token endpoint answered HTTP 429; rate limited: wait 3 s (Retry-After) and retry\n',
    )
  })

  it('a 200 without access_token is KS_TOKEN_RESPONSE_INVALID, without the body', async () => {
    const result = await failWith({ status: 200, body: { token: TOKEN } })
    assert.match(result.stderr, /^keyshift: KS_TOKEN_RESPONSE_INVALID: /)
    assert.ok(!result.stderr.includes(TOKEN))
  })

  it('a 503 page is KS_TOKEN_ENDPOINT_UNAVAILABLE', async () => {
    const result = await failWith({ status: 503, body: '<html>down</html>' })
    assert.equal(
      result.stderr,
      'keyshift: KS_TOKEN_ENDPOINT_UNAVAILABLE: the token endpoint answered HTTP 503\n',
    )
  })

  it('a 401 without an OAuth error body is KS_TOKEN_RESPONSE_INVALID, with the credentials hint', async () => {
    const result = await failWith({ status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } })
    assert.match(
      result.stderr,
      /^keyshift: KS_TOKEN_RESPONSE_INVALID: .* answered HTTP 401 without an OAuth 2\.0 token or error/,
    )
    assert.match(result.stderr, /\nhint: check the Identifier \(--client-id\) and the Secret/)
  })

  it('a redirect names where it points', async () => {
    const result = await failWith({
      status: 301,
      headers: { location: 'https://keyshift.example/oauth2/token' },
    })
    assert.equal(
      result.stderr,
      'keyshift: KS_TOKEN_RESPONSE_INVALID: the token endpoint redirects (HTTP 301) to https://keyshift.example/oauth2/token; use that URL\n',
    )
  })

  it('a 404 page says --url may not be the token endpoint', async () => {
    const result = await failWith({ status: 404, body: 'Not Found' })
    assert.match(
      result.stderr,
      /KS_TOKEN_RESPONSE_INVALID: .* answered HTTP 404 .*is --url the token endpoint\?/,
    )
  })
})

describe('keyshift token: network failures', () => {
  it('reports a refused connection as KS_TOKEN_ENDPOINT_UNAVAILABLE', async () => {
    const port = await closedPort()
    const url = `http://127.0.0.1:${port}`
    const result = await run(['token', '--url', url, '--client-id', ID, '--client-secret', SECRET])
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      `keyshift: KS_TOKEN_ENDPOINT_UNAVAILABLE: cannot reach the token endpoint ${url}/oauth2/token (ECONNREFUSED)\n`,
    )
  })

  it('warns before sending a secret over plain http to another host', async () => {
    const argv = ['token', '--url', 'http://keyshift.example', '--client-id', ID, '--client-secret', SECRET]
    const result = await run(argv, {}, { fetch: refusingFetch() })
    assert.match(result.stderr, /^warning: sending the client secret over plain http; use https\n/)
    assert.match(
      result.stderr,
      /KS_TOKEN_ENDPOINT_UNAVAILABLE: cannot reach the token endpoint http:\/\/keyshift\.example\/oauth2\/token \(ECONNREFUSED\)/,
    )
  })
})
