import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type FakeResponse, type FakeServer, fakeServer, refusingFetch, run } from './helpers.ts'

describe('keyshift admin: credentials and failures', () => {
  let server: FakeServer
  let answer: FakeResponse
  before(async () => {
    server = await fakeServer(() => answer)
  })
  after(() => server.close())

  it('uses KEYSHIFT_URL, --user and --password', async () => {
    answer = { status: 200, body: { clients: [] } }
    const result = await run(['admin', 'clients', 'list', '--user', 'ops', '--password', 'pw'], {
      KEYSHIFT_URL: server.url,
    })
    assert.equal(result.stdout, 'No OAuth clients yet. Create one with `keyshift admin clients create`.\n')
    assert.equal(
      server.requests.at(-1)?.headers.authorization,
      `Basic ${Buffer.from('ops:pw').toString('base64')}`,
    )
  })

  it('refuses to run without a password (KS_USAGE)', async () => {
    const result = await run(['admin', 'clients', 'list', '--url', server.url])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /KS_USAGE: no admin password: set KEYSHIFT_ADMIN_PASSWORD/)
  })

  it('401 is KS_ADMIN_UNAUTHORIZED and never shows the password', async () => {
    answer = {
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="keyshift"' },
      body: { title: 'Unauthorized', status: 401 },
    }
    const result = await run([
      'admin',
      'clients',
      'list',
      '--url',
      server.url,
      '--password',
      'wrong-password-123',
    ])
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      "keyshift: KS_ADMIN_UNAUTHORIZED: the admin API rejected user 'admin' (HTTP 401); check --user and KEYSHIFT_ADMIN_PASSWORD\n",
    )
  })

  it('409 is KS_ADMIN_CONFLICT with the fields', async () => {
    answer = {
      status: 409,
      body: {
        title: 'Conflict',
        status: 409,
        detail: 'login is taken',
        errors: { login: ['has already been taken'] },
      },
    }
    const result = await run(
      ['admin', 'clients', 'create', '--url', server.url, '--name', 'X', '--all-scopes', '--login', 'x'],
      { KEYSHIFT_ADMIN_PASSWORD: 'pw' },
    )
    assert.equal(
      result.stderr,
      'keyshift: KS_ADMIN_CONFLICT: login is taken\n  login: has already been taken\n',
    )
  })

  it('prints a field error once when the detail already says it', async () => {
    const line = 'scopes: unknown scope core.nope'
    answer = {
      status: 400,
      body: {
        title: 'Bad Request',
        status: 400,
        detail: line,
        errors: { scopes: ['unknown scope core.nope'] },
      },
    }
    const argv = ['admin', 'clients', 'update', '7', '--scopes', 'core.nope', '--url', server.url]
    const result = await run(argv, { KEYSHIFT_ADMIN_PASSWORD: 'pw' })
    assert.equal(result.stderr, `keyshift: KS_ADMIN_INVALID_REQUEST: ${line}\n`)
  })

  it('a 200 that is not the admin JSON is KS_ADMIN_RESPONSE_INVALID', async () => {
    answer = { status: 200, body: '<html></html>' }
    const result = await run(['admin', 'clients', 'list', '--url', server.url], {
      KEYSHIFT_ADMIN_PASSWORD: 'pw',
    })
    assert.match(
      result.stderr,
      /^keyshift: KS_ADMIN_RESPONSE_INVALID: GET \/admin\/v1\/oauth2\/clients did not answer/,
    )
  })

  it('a 500 is KS_ADMIN_FAILED', async () => {
    answer = { status: 500, body: { title: 'Internal Server Error', status: 500 } }
    const result = await run(['admin', 'clients', 'show', '7', '--url', server.url], {
      KEYSHIFT_ADMIN_PASSWORD: 'pw',
    })
    assert.equal(
      result.stderr,
      'keyshift: KS_ADMIN_FAILED: GET /admin/v1/oauth2/clients/7 answered HTTP 500: Internal Server Error\n',
    )
  })

  it('no answer at all is KS_ADMIN_UNREACHABLE, naming the URL', async () => {
    const result = await run(
      ['admin', 'clients', 'list'],
      { KEYSHIFT_ADMIN_PASSWORD: 'pw' },
      { fetch: refusingFetch() },
    )
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      /^keyshift: KS_ADMIN_UNREACHABLE: cannot reach the admin API at http:\/\/127\.0\.0\.1:8080\/ \(ECONNREFUSED\)/,
    )
  })
})
