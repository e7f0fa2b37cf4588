import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { call, type FakeInstance, fakeInstance, ID, issueToken, SECRET } from './fake-instance.ts'
import { closedPort, run } from './helpers.ts'

const FORBIDDEN = { errors: { invoice: ['Forbidden: index on invoices needs the scope core.invoice.read'] } }
const CHALLENGE = 'Bearer realm="keyshift", error="insufficient_scope", scope="core.invoice.read"'

describe('keyshift call: RFC 6750 and Coupa errors of the core API', () => {
  let instance: FakeInstance
  before(async () => {
    instance = await fakeInstance()
  })
  after(() => instance.close())
  beforeEach(() => {
    instance.requests.length = 0
    instance.token = issueToken()
  })

  it('403 insufficient_scope: names the scope the client lacks and how to add it', async () => {
    instance.api = () => ({ status: 403, headers: { 'www-authenticate': CHALLENGE }, body: FORBIDDEN })
    const result = await call(instance, ['GET', 'invoices'])
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      'keyshift: KS_API_FORBIDDEN: GET /api/invoices answered HTTP 403 (insufficient_scope)\n' +
        '  invoice: Forbidden: index on invoices needs the scope core.invoice.read\n' +
        `hint: the client lacks scope core.invoice.read: add it with keyshift admin clients update ${ID} --scopes "<its scopes> core.invoice.read"\n`,
    )
    assert.equal(result.stdout, '')
  })

  it('403: says to add the scope to --scope when the request left it out', async () => {
    instance.api = () => ({ status: 403, headers: { 'www-authenticate': CHALLENGE }, body: FORBIDDEN })
    const result = await call(instance, ['GET', 'invoices', '--scope', 'core.common.read'])
    assert.match(result.stderr, /\nhint: the token lacks scope core\.invoice\.read: add it to --scope /)
  })

  it('prints the status and Coupa error body on stdout with --json', async () => {
    instance.api = () => ({ status: 403, headers: { 'www-authenticate': CHALLENGE }, body: FORBIDDEN })
    const result = await call(instance, ['GET', 'invoices', '--json'])
    assert.equal(result.code, 1)
    assert.deepEqual(JSON.parse(result.stdout), { status: 403, body: FORBIDDEN })
    assert.match(result.stderr, /^keyshift: KS_API_FORBIDDEN: /)
  })

  it('401: replays once with a new token, then points at the client and --url', async () => {
    instance.api = () => ({
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="keyshift", error="invalid_token"' },
      body: { errors: { request: ['The access token is not valid: the client is deactivated'] } },
    })
    const result = await call(instance, ['GET', 'invoices/1'])
    assert.equal(result.code, 1)
    assert.deepEqual(
      instance.apiRequests().map((request) => request.headers.authorization),
      ['Bearer token-1', 'Bearer token-2'],
    )
    assert.equal(
      result.stderr,
      'keyshift: KS_API_UNAUTHORIZED: GET /api/invoices/1 answered HTTP 401 (invalid_token)\n' +
        '  request: The access token is not valid: the client is deactivated\n' +
        `hint: the API refused the token, and a new one too: check that the client is active (keyshift admin clients show ${ID}) and that --url is the instance that issued it\n`,
    )
  })

  it('404: says to check PATH', async () => {
    instance.api = () => ({ status: 404, body: { errors: { invoice: ['Not found'] } } })
    const result = await call(instance, ['GET', 'invoices/999'])
    assert.match(result.stderr, /^keyshift: KS_API_NOT_FOUND: GET \/api\/invoices\/999 answered HTTP 404\n/)
    assert.match(result.stderr, /\nhint: no such record or resource: check PATH/)
  })

  it('429: retries once after Retry-After, then says to wait', async () => {
    instance.api = () => ({
      status: 429,
      headers: { 'retry-after': '0' },
      body: { errors: { request: ['x'] } },
    })
    const result = await call(instance, ['GET', 'invoices'])
    assert.equal(instance.apiRequests().length, 2)
    assert.match(result.stderr, /^keyshift: KS_API_RATE_LIMITED: GET \/api\/invoices answered HTTP 429\n/)
    assert.match(result.stderr, /\nhint: rate limited: wait a moment and retry\n$/)
  })

  it("422: lists Coupa's validation errors, one per line", async () => {
    instance.api = () => ({
      status: 422,
      body: {
        errors: { 'invoice-header': ['Invoice number has already been taken', 'Supplier is required'] },
      },
    })
    const result = await call(instance, ['POST', 'invoices', '--data', '{"invoice-number":"INV-1"}'])
    assert.equal(
      result.stderr,
      'keyshift: KS_API_INVALID_REQUEST: POST /api/invoices answered HTTP 422\n' +
        '  invoice-header: Invoice number has already been taken\n' +
        '  invoice-header: Supplier is required\n',
    )
  })

  it('shows an OAuth error of the token endpoint as keyshift token does, and calls no API', async () => {
    instance.token = () => ({
      status: 401,
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
    })
    const result = await call(instance, ['GET', 'invoices'])
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      'error: invalid_client: client authentication failed\n' +
        'hint: check the Identifier (--client-id) and the Secret (KEYSHIFT_CLIENT_SECRET), and that the client is active\n',
    )
    assert.equal(instance.apiRequests().length, 0)
    assert.ok(!result.stderr.includes(SECRET))
  })

  it('reports an instance that does not answer as KS_TOKEN_ENDPOINT_UNAVAILABLE', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`
    const result = await run([
      'call',
      'GET',
      'invoices',
      '--url',
      url,
      '--client-id',
      ID,
      '--client-secret',
      SECRET,
    ])
    assert.equal(
      result.stderr,
      `keyshift: KS_TOKEN_ENDPOINT_UNAVAILABLE: cannot reach the token endpoint ${url}/oauth2/token (ECONNREFUSED)\n`,
    )
  })
})

describe('keyshift call: usage errors exit 2 before anything is sent', () => {
  let instance: FakeInstance
  before(async () => {
    instance = await fakeInstance()
  })
  after(() => instance.close())

  async function usage(args: string[], expected: string | RegExp) {
    const before = instance.requests.length
    const result = await call(instance, args)
    assert.equal(result.code, 2, result.stderr)
    if (typeof expected === 'string') assert.equal(result.stderr, `keyshift: KS_USAGE: ${expected}\n`)
    else assert.match(result.stderr, expected)
    assert.equal(instance.requests.length, before, 'nothing may be sent')
  }

  it('refuses a METHOD other than GET, POST or PUT', async () => {
    await usage(['DELETE', 'invoices/1'], "METHOD must be GET, POST or PUT; run 'keyshift call --help'")
  })

  it('requires METHOD and PATH, --url and --client-id', async () => {
    await usage(['GET'], "missing <METHOD> <PATH>; run 'keyshift call --help'")
    const noUrl = await run(['call', 'GET', 'invoices', '--client-id', ID], {
      KEYSHIFT_CLIENT_SECRET: SECRET,
    })
    assert.equal(noUrl.code, 2)
    assert.equal(noUrl.stderr, "keyshift: KS_USAGE: missing --url; run 'keyshift call --help'\n")
    const noId = await run(['call', 'GET', 'invoices', '--url', instance.url], {
      KEYSHIFT_CLIENT_SECRET: SECRET,
    })
    assert.equal(noId.stderr, "keyshift: KS_USAGE: missing --client-id; run 'keyshift call --help'\n")
  })

  it('refuses --data with GET, data that is neither JSON nor XML, and an unreadable @file', async () => {
    await usage(['GET', 'invoices', '--data', '{}'], /--data goes with POST or PUT, not GET/)
    await usage(['POST', 'invoices', '--data', 'secret=hunter2'], /--data is neither JSON nor XML/)
    await usage(
      ['POST', 'invoices', '--data', '@/nonexistent/invoice.json'],
      /cannot read the --data file .* \(ENOENT\)/,
    )
  })

  it('refuses an --accept that is not json or xml, or that contradicts --data', async () => {
    await usage(['GET', 'invoices', '--accept', 'csv'], /--accept must be json or xml/)
    await usage(
      ['POST', 'invoices', '--accept', 'json', '--data', '<invoice/>'],
      /Accept and Content-Type to match/,
    )
  })

  it('refuses a --query without =, and a PATH that is a full URL (the token stays on the instance)', async () => {
    await usage(['GET', 'invoices', '--query', 'status'], /--query must be KEY=VALUE/)
    await usage(
      ['GET', 'https://elsewhere.example/api/invoices'],
      /the API path must be a path on the instance/,
    )
  })
})
