import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CLIENT, fakeAdminApi, LEAKY, NEW_SECRET, PASSWORD, SECRET } from './fake-admin.ts'
import { type FakeServer, fakeServer, type RecordedRequest, run } from './helpers.ts'

describe('keyshift admin clients', () => {
  let server: FakeServer
  before(async () => {
    server = await fakeServer(fakeAdminApi)
  })
  after(() => server.close())

  function admin(args: string[], env: NodeJS.ProcessEnv = {}) {
    return run(['admin', 'clients', ...args, '--url', server.url], {
      KEYSHIFT_ADMIN_PASSWORD: PASSWORD,
      ...env,
    })
  }
  function lastRequest(): RecordedRequest {
    const request = server.requests.at(-1)
    assert.ok(request)
    return request
  }

  it('create: POSTs the client with HTTP Basic of admin and the password (RFC 7617, UTF-8)', async () => {
    const result = await admin([
      'create',
      '--name',
      'Acme ERP',
      '--login',
      'acme-erp',
      '--scopes',
      'core.invoice.read core.supplier.read',
      '--contact-first-name',
      'Ada',
      '--contact-last-name',
      'Lovelace',
      '--contact-email',
      'ada@example.com',
    ])
    assert.equal(result.code, 0, result.stderr)
    const request = lastRequest()
    assert.equal(`${request.method} ${request.url}`, 'POST /admin/v1/oauth2/clients')
    assert.equal(
      request.headers.authorization,
      `Basic ${Buffer.from(`admin:${PASSWORD}`, 'utf8').toString('base64')}`,
    )
    assert.equal(request.headers['content-type'], 'application/json')
    assert.deepEqual(JSON.parse(request.body), {
      name: 'Acme ERP',
      grant_type: 'client_credentials',
      scopes: ['core.invoice.read', 'core.supplier.read'],
      login: 'acme-erp',
      contact_first_name: 'Ada',
      contact_last_name: 'Lovelace',
      contact_email: 'ada@example.com',
    })
  })

  it('create: prints Identifier, Secret once, Oidc Scopes and the curl of the Coupa guide', async () => {
    const result = await admin([
      'create',
      '--name',
      'Acme ERP',
      '--login',
      'acme-erp',
      '--scopes',
      'core.invoice.read,core.supplier.read',
    ])
    assert.match(
      result.stdout,
      new RegExp(
        `\\nIdentifier   ${CLIENT.client_id}\\nSecret       ${SECRET}\\nOidc Scopes  ${CLIENT.scope}\\n`,
      ),
    )
    const curl = `curl -X POST -H "Content-Type: application/x-www-form-urlencoded" -d "client_id=${CLIENT.client_id}&grant_type=client_credentials&scope=core.invoice.read core.supplier.read&client_secret=${SECRET}" ${server.url}/oauth2/token`
    assert.ok(result.stdout.includes(`\n${curl}\n`), result.stdout)
    assert.equal(
      result.stdout.split(SECRET).length,
      3,
      'the secret appears in the Secret line and the curl only',
    )
    assert.match(result.stderr, /^warning: the Secret is shown only this once/)
  })

  it('create --all-scopes sends "all"; --grant-type is passed through and the server 400 is shown', async () => {
    await admin(['create', '--name', 'Everything', '--login', 'all', '--all-scopes'])
    assert.equal((JSON.parse(lastRequest().body) as { scopes: unknown }).scopes, 'all')
    const result = await admin([
      'create',
      '--name',
      'X',
      '--login',
      'x',
      '--all-scopes',
      '--grant-type',
      'authorization_code',
    ])
    assert.equal((JSON.parse(lastRequest().body) as { grant_type: string }).grant_type, 'authorization_code')
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      'keyshift: KS_ADMIN_INVALID_REQUEST: The client is invalid.\n  grant_type: must be client_credentials\n',
    )
  })

  it('create --json prints the answer, secret included, as JSON', async () => {
    const result = await admin([
      'create',
      '--name',
      'Acme ERP',
      '--login',
      'acme-erp',
      '--all-scopes',
      '--json',
    ])
    assert.deepEqual(JSON.parse(result.stdout), LEAKY)
  })

  it('create needs --name, --login and exactly one of --scopes / --all-scopes', async () => {
    const before = server.requests.length
    const noName = await admin(['create', '--login', 'x', '--all-scopes'])
    assert.equal(noName.code, 2)
    assert.match(noName.stderr, /KS_USAGE: missing --name/)
    const noLogin = await admin(['create', '--name', 'X', '--all-scopes'])
    assert.equal(noLogin.code, 2)
    assert.match(noLogin.stderr, /KS_USAGE: missing --login/)
    const both = await admin(['create', '--name', 'X', '--login', 'x', '--all-scopes', '--scopes', 'a'])
    assert.match(both.stderr, /KS_USAGE: give either --scopes "a b c" or --all-scopes/)
    const none = await admin(['create', '--name', 'X', '--login', 'x'])
    assert.equal(none.code, 2)
    assert.equal(server.requests.length, before, 'nothing was sent')
  })

  it('list: GETs the clients and prints a table without any secret', async () => {
    const result = await admin(['list'])
    assert.equal(`${lastRequest().method} ${lastRequest().url}`, 'GET /admin/v1/oauth2/clients')
    assert.equal(
      result.stdout,
      `ID  IDENTIFIER                        NAME      STATUS  SCOPES\n7   ${CLIENT.client_id}  Acme ERP  active  2\n`,
    )
    const json = await admin(['list', '--json'])
    assert.deepEqual(JSON.parse(json.stdout), { clients: [CLIENT] })
  })

  it('show: GETs by id or Identifier (escaped) and prints the client without its secret', async () => {
    const result = await admin(['show', CLIENT.client_id])
    assert.equal(lastRequest().url, `/admin/v1/oauth2/clients/${CLIENT.client_id}`)
    assert.match(result.stdout, /^Name +Acme ERP\n/)
    assert.match(result.stdout, /\nIdentifier +0f3c9a2b7e514d6a8c1b2d3e4f5a6b7c\n/)
    assert.match(result.stdout, /\nStatus +active\n/)
    assert.match(result.stdout, /\nContact +Ada Lovelace <ada@example.com>\n/)
    assert.match(result.stdout, /\nOidc Scopes +core.invoice.read core.supplier.read\n/)
    assert.ok(!result.stdout.includes(SECRET))
    await admin(['show', 'a/b c'])
    assert.equal(lastRequest().url, '/admin/v1/oauth2/clients/a%2Fb%20c')
    const json = await admin(['show', '7', '--json'])
    assert.deepEqual(JSON.parse(json.stdout), CLIENT)
  })

  it('show: an unknown client is KS_ADMIN_NOT_FOUND with the server detail', async () => {
    const result = await admin(['show', 'missing'])
    assert.equal(result.code, 1)
    assert.equal(result.stderr, 'keyshift: KS_ADMIN_NOT_FOUND: No OAuth client missing.\n')
  })

  it('update: PATCHes only the given fields', async () => {
    const result = await admin(['update', '7', '--name', 'Acme ERP 2', '--scopes', 'core.invoice.read'])
    assert.equal(`${lastRequest().method} ${lastRequest().url}`, 'PATCH /admin/v1/oauth2/clients/7')
    assert.deepEqual(JSON.parse(lastRequest().body), { name: 'Acme ERP 2', scopes: ['core.invoice.read'] })
    assert.match(result.stdout, /^Name +Acme ERP 2\n/)
    assert.ok(!result.stdout.includes(SECRET))
    const nothing = await admin(['update', '7'])
    assert.equal(nothing.code, 2)
    assert.match(nothing.stderr, /KS_USAGE: nothing to update/)
  })

  it('activate and deactivate: POST to the action and print the status', async () => {
    const off = await admin(['deactivate', '7'])
    assert.equal(`${lastRequest().method} ${lastRequest().url}`, 'POST /admin/v1/oauth2/clients/7/deactivate')
    assert.match(off.stdout, /\nStatus +inactive\n/)
    const on = await admin(['activate', '7'])
    assert.equal(`${lastRequest().method} ${lastRequest().url}`, 'POST /admin/v1/oauth2/clients/7/activate')
    assert.match(on.stdout, /\nStatus +active\n/)
    assert.ok(!off.stdout.includes(SECRET) && !on.stdout.includes(SECRET))
  })

  it('rotate-secret: sends the grace period, prints the new secret once and when the old one stops', async () => {
    const result = await admin(['rotate-secret', '7', '--grace-period', '3600'])
    assert.equal(`${lastRequest().method} ${lastRequest().url}`, 'POST /admin/v1/oauth2/clients/7/secret')
    assert.deepEqual(JSON.parse(lastRequest().body), { grace_period_seconds: 3600 })
    assert.equal(
      result.stdout,
      `New secret of client 7:\n\nSecret  ${NEW_SECRET}\n\nThe previous secret keeps working until 2025-01-01T01:00:00.000Z.\n`,
    )
    assert.match(result.stderr, /^warning: the Secret is shown only this once/)
    const now = await admin(['rotate-secret', '7'])
    assert.deepEqual(JSON.parse(lastRequest().body), {})
    assert.match(now.stdout, /The previous secret stopped working now\./)
    const bad = await admin(['rotate-secret', '7', '--grace-period', '1h'])
    assert.equal(bad.code, 2)
  })
})
