import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type FakeResponse, type FakeServer, fakeServer, type RecordedRequest, run } from './helpers.ts'

const SCOPES = [
  {
    name: 'core.invoice.delete',
    description: 'Allows to abandon or void invoices',
    object: 'invoice',
    service: 'core',
    actions: ['invoices#abandon', 'invoices#void'],
  },
  {
    name: 'core.pay.payments.read',
    description: 'Allows to view payments',
    object: 'pay.payments',
    service: 'core',
    actions: [],
  },
  { name: 'openid', description: 'OpenID Connect', object: 'openid', service: 'oidc', actions: [] },
]
const KEYS = [
  { kid: 'k2', alg: 'ES256', created_at: '2025-02-01T00:00:00.000Z', retired_at: null, active: true },
  {
    kid: 'k1',
    alg: 'ES256',
    created_at: '2025-01-01T00:00:00.000Z',
    retired_at: '2025-02-01T00:00:00.000Z',
    active: false,
  },
]

function route(request: RecordedRequest): FakeResponse {
  const key = `${request.method} ${request.url}`
  if (key === 'GET /admin/v1/scopes') return { status: 200, body: { scopes: SCOPES } }
  if (key === 'GET /admin/v1/signing-keys') return { status: 200, body: { keys: KEYS } }
  if (key === 'POST /admin/v1/signing-keys/rotate') return { status: 200, body: { kid: 'k2', keys: KEYS } }
  return { status: 404, body: { title: 'Not Found', status: 404 } }
}

describe('keyshift admin scopes and keys', () => {
  let server: FakeServer
  before(async () => {
    server = await fakeServer(route)
  })
  after(() => server.close())

  function cli(args: string[]) {
    return run([...args, '--url', server.url], { KEYSHIFT_ADMIN_PASSWORD: 'pw' })
  }
  function lastCall(): string {
    const request = server.requests.at(-1)
    assert.ok(request)
    assert.equal(request.headers.authorization, `Basic ${Buffer.from('admin:pw').toString('base64')}`)
    return `${request.method} ${request.url}`
  }

  it('admin scopes: lists each scope, what it allows and the API actions it grants here', async () => {
    const result = await cli(['admin', 'scopes'])
    assert.equal(lastCall(), 'GET /admin/v1/scopes')
    assert.equal(
      result.stdout,
      'SCOPE                   DESCRIPTION                         GRANTS\n' +
        'core.invoice.delete     Allows to abandon or void invoices  invoices: abandon, void\n' +
        'core.pay.payments.read  Allows to view payments             (not served by this instance)\n' +
        'openid                  OpenID Connect                      (OpenID Connect)\n',
    )
    const json = await cli(['admin', 'scopes', '--json'])
    assert.deepEqual(JSON.parse(json.stdout), { scopes: SCOPES })
  })

  it('keys list: prints kid, algorithm and status', async () => {
    const result = await cli(['keys', 'list'])
    assert.equal(lastCall(), 'GET /admin/v1/signing-keys')
    assert.equal(
      result.stdout,
      'KID  ALG    STATUS   CREATED                   RETIRED\n' +
        'k2   ES256  active   2025-02-01T00:00:00.000Z\n' +
        'k1   ES256  retired  2025-01-01T00:00:00.000Z  2025-02-01T00:00:00.000Z\n',
    )
    const json = await cli(['keys', 'list', '--json'])
    assert.deepEqual(JSON.parse(json.stdout), { keys: KEYS })
  })

  it('keys rotate: POSTs and names the new key', async () => {
    const result = await cli(['keys', 'rotate'])
    assert.equal(lastCall(), 'POST /admin/v1/signing-keys/rotate')
    assert.match(result.stdout, /^New signing key k2 signs new tokens from now on\.\n/)
    const json = await cli(['keys', 'rotate', '--json'])
    assert.deepEqual(JSON.parse(json.stdout), { kid: 'k2', keys: KEYS })
  })

  it('keeps a path prefix of --url (an instance behind a proxy)', async () => {
    await run(['admin', 'scopes', '--url', `${server.url}/keyshift/`], { KEYSHIFT_ADMIN_PASSWORD: 'pw' })
    assert.equal(lastCall(), 'GET /keyshift/admin/v1/scopes')
  })

  it('an instance without the admin API is KS_ADMIN_NOT_FOUND', async () => {
    const result = await run(['keys', 'list', '--url', `${server.url}/elsewhere`], {
      KEYSHIFT_ADMIN_PASSWORD: 'pw',
    })
    assert.equal(result.code, 1)
    assert.equal(result.stderr, 'keyshift: KS_ADMIN_NOT_FOUND: Not Found\n')
  })
})
