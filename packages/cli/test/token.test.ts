import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { basicAuthorization } from '@keyshift/client/internal'
import { type FakeResponse, type FakeServer, fakeServer, type RecordedRequest, run } from './helpers.ts'

const ID = '0f3c9a2b7e514d6a8c1b2d3e4f5a6b7c'
const SECRET = 'a'.repeat(64)
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'
const NOW = new Date('2025-01-01T00:00:00.000Z')
const OK: FakeResponse = {
  status: 200,
  body: {
    access_token: TOKEN,
    token_type: 'bearer',
    expires_in: 86399,
    scope: 'core.invoice.read core.common.read',
  },
}

describe('keyshift token: RFC 6749 §4.4 client credentials request', () => {
  let server: FakeServer
  let answer: (request: RecordedRequest) => FakeResponse = () => OK
  before(async () => {
    server = await fakeServer((request) => answer(request))
  })
  after(() => server.close())

  function token(args: string[], env: NodeJS.ProcessEnv = { KEYSHIFT_CLIENT_SECRET: SECRET }) {
    return run(['token', '--url', server.url, '--client-id', ID, ...args], env, { now: () => NOW })
  }
  function lastRequest(): RecordedRequest {
    const request = server.requests.at(-1)
    assert.ok(request)
    return request
  }

  it('POSTs the form of Coupa guide to /oauth2/token with client_secret_post', async () => {
    answer = () => OK
    const result = await token(['--scope', 'core.invoice.read  core.common.read'])
    assert.equal(result.code, 0, result.stderr)
    const request = lastRequest()
    assert.equal(request.method, 'POST')
    assert.equal(request.url, '/oauth2/token')
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded')
    assert.equal(request.headers.authorization, undefined)
    assert.equal(
      request.body,
      `client_id=${ID}&grant_type=client_credentials&scope=core.invoice.read+core.common.read&client_secret=${SECRET}`,
    )
  })

  it('prints the token response and when it expires', async () => {
    answer = () => OK
    const result = await token([])
    assert.equal(
      result.stdout,
      [
        `access_token  ${TOKEN}`,
        'token_type    bearer',
        'expires_in    86399',
        'expires_at    2025-01-01T23:59:59.000Z',
        'scope         core.invoice.read core.common.read',
        '',
      ].join('\n'),
    )
    assert.equal(result.stderr, '')
  })

  it('prints the response JSON as is with --json', async () => {
    answer = () => OK
    const result = await token(['--json'])
    assert.deepEqual(JSON.parse(result.stdout), OK.body)
  })

  it('leaves scope out when none is asked for, and keeps a --url path as given', async () => {
    answer = () => OK
    await run(['token', '--url', `${server.url}/custom/token`, '--client-id', ID], {
      KEYSHIFT_CLIENT_SECRET: SECRET,
    })
    assert.equal(lastRequest().url, '/custom/token')
    assert.equal(lastRequest().body, `client_id=${ID}&grant_type=client_credentials&client_secret=${SECRET}`)
  })

  it('sends client_secret_basic with the id and secret form-urlencoded first (RFC 6749 §2.3.1)', async () => {
    answer = () => OK
    const id = 'my client:1'
    const secret = 's3cr:t+/ é&='
    const result = await run(
      ['token', '--url', `${server.url}/`, '--client-id', id, '--basic', '--scope', 'a b'],
      {
        KEYSHIFT_CLIENT_SECRET: secret,
      },
    )
    assert.equal(result.code, 0, result.stderr)
    const request = lastRequest()
    assert.equal(request.url, '/oauth2/token')
    assert.equal(request.body, 'grant_type=client_credentials&scope=a+b')
    const expected = `Basic ${Buffer.from('my+client%3A1:s3cr%3At%2B%2F+%C3%A9%26%3D').toString('base64')}`
    assert.equal(request.headers.authorization, expected)
    const [encodedId = '', encodedSecret = ''] = Buffer.from(expected.slice(6), 'base64')
      .toString()
      .split(':')
    const decode = (value: string) => new URLSearchParams(`v=${value}`).get('v')
    assert.deepEqual([decode(encodedId), decode(encodedSecret)], [id, secret])
    // The header is the library's: one encoding for `keyshift token` and `@keyshift/client`.
    assert.equal(basicAuthorization(id, secret), expected)
  })

  it('prefers --client-secret over KEYSHIFT_CLIENT_SECRET', async () => {
    answer = () => OK
    await token(['--client-secret', 'from-flag'], { KEYSHIFT_CLIENT_SECRET: 'from-env' })
    assert.match(lastRequest().body, /&client_secret=from-flag$/)
  })

  it('refuses to run without a secret (KS_USAGE, exit 2)', async () => {
    const result = await token([], {})
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^keyshift: KS_USAGE: no client secret: set KEYSHIFT_CLIENT_SECRET/)
  })

  it('requires --url and --client-id', async () => {
    const noUrl = await run(['token', '--client-id', ID], { KEYSHIFT_CLIENT_SECRET: SECRET })
    assert.equal(noUrl.stderr, "keyshift: KS_USAGE: missing --url; run 'keyshift token --help'\n")
    const noId = await run(['token', '--url', server.url], { KEYSHIFT_CLIENT_SECRET: SECRET })
    assert.equal(noId.stderr, "keyshift: KS_USAGE: missing --client-id; run 'keyshift token --help'\n")
  })

  it('refuses a --url with credentials without echoing them', async () => {
    const result = await token(['--url', 'http://user:hunter2@127.0.0.1:1/oauth2/token'])
    assert.equal(result.code, 2)
    assert.equal(result.stderr, 'keyshift: KS_USAGE: --url must not contain a user name or password\n')
  })
})
