import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PASSWORD } from './fake-admin.ts'
import { API_KEY, EXPIRES_ON, fakeApiKeysApi, ID, KEY } from './fake-api-keys.ts'
import { type FakeServer, fakeServer, type RecordedRequest, run } from './helpers.ts'

const REQUIRED = ['--name', 'Acme ERP', '--contact-login', 'acme-erp', '--contact-email', 'ada@example.com']

describe('keyshift admin api-keys', () => {
  let server: FakeServer
  before(async () => {
    server = await fakeServer(fakeApiKeysApi)
  })
  after(() => server.close())

  function apiKeys(args: string[], env: NodeJS.ProcessEnv = {}) {
    return run(['admin', 'api-keys', ...args, '--url', server.url], {
      KEYSHIFT_ADMIN_PASSWORD: PASSWORD,
      ...env,
    })
  }
  function lastRequest(): RecordedRequest {
    const request = server.requests.at(-1)
    assert.ok(request)
    return request
  }
  function sent(): string {
    return `${lastRequest().method} ${lastRequest().url}`
  }

  it('create: POSTs every field with HTTP Basic of admin and the password (RFC 7617, UTF-8)', async () => {
    const result = await apiKeys([
      'create',
      ...REQUIRED,
      '--description',
      'Nightly invoice export',
      '--contact-first-name',
      'Ada',
      '--contact-last-name',
      'Lovelace',
      '--expires-on',
      EXPIRES_ON,
      '--permissions',
      'invoices#index invoices#show',
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(sent(), 'POST /admin/v1/api-keys')
    const auth = `Basic ${Buffer.from(`admin:${PASSWORD}`, 'utf8').toString('base64')}`
    assert.equal(lastRequest().headers.authorization, auth)
    assert.equal(lastRequest().headers['content-type'], 'application/json')
    assert.deepEqual(JSON.parse(lastRequest().body), {
      name: 'Acme ERP',
      description: 'Nightly invoice export',
      contact_first_name: 'Ada',
      contact_last_name: 'Lovelace',
      contact_login: 'acme-erp',
      contact_email: 'ada@example.com',
      expires_on: EXPIRES_ON,
      permissions: ['invoices#index', 'invoices#show'],
    })
    assert.match(
      result.stdout,
      new RegExp(`\nExpires +${EXPIRES_ON} at 00:00 UTC\nPermissions +invoices#index invoices#show\n`),
    )
  })

  it('create: sends only the given fields and prints the key once, the curl and both warnings', async () => {
    const result = await apiKeys(['create', ...REQUIRED])
    assert.deepEqual(JSON.parse(lastRequest().body), {
      name: 'Acme ERP',
      contact_login: 'acme-erp',
      contact_email: 'ada@example.com',
    })
    const curl = `curl -H "X-COUPA-API-KEY: ${KEY}" -H "Accept: application/json" "${server.url}/api/invoices?limit=1"`
    assert.equal(
      result.stdout,
      [
        `Created API key "Acme ERP" (id ${ID}).`,
        '',
        `Key            ${KEY}`,
        'Contact login  acme-erp',
        'Expires        never',
        'Permissions    every API',
        '',
        'Call the API with it:',
        curl,
        '',
      ].join('\n'),
    )
    assert.match(result.stderr, /^warning: the API key is shown only this once and cannot be shown again/)
    assert.match(result.stderr, /\nwarning: API keys are legacy: OAuth 2\.0 clients replace them/)
    assert.ok(!result.stderr.includes(KEY))
  })

  it('create --json prints the answer, key included, and still warns on stderr', async () => {
    const result = await apiKeys(['create', ...REQUIRED, '--json'])
    assert.equal((JSON.parse(result.stdout) as { key: string }).key, KEY)
    assert.match(result.stderr, /^warning: the API key is shown only this once/)
  })

  it('list: GETs the keys and prints a table without any key', async () => {
    const result = await apiKeys(['list'])
    assert.equal(sent(), 'GET /admin/v1/api-keys')
    assert.equal(lastRequest().body, '')
    assert.equal(
      result.stdout,
      [
        'ID                                    NAME      CONTACT LOGIN  STATE   EXPIRES     CREATED',
        `${ID}  Acme ERP  acme-erp       active  ${EXPIRES_ON}  2025-01-01T00:00:00.000Z`,
        '',
      ].join('\n'),
    )
    const json = await apiKeys(['list', '--json'])
    assert.deepEqual(JSON.parse(json.stdout), { api_keys: [API_KEY] })
    assert.equal(result.stderr + json.stderr, '')
  })

  it('list: says when there are none', async () => {
    const empty = await fakeServer(() => ({ status: 200, body: { api_keys: [] } }))
    const result = await run(['admin', 'api-keys', 'list', '--url', empty.url, '--password', 'pw'])
    await empty.close()
    assert.equal(
      result.stdout,
      'No API keys. OAuth 2.0 clients replace them: `keyshift admin clients create`.\n',
    )
  })

  it('show: GETs by id (escaped) and prints the key record without the key', async () => {
    const result = await apiKeys(['show', ID])
    assert.equal(sent(), `GET /admin/v1/api-keys/${ID}`)
    for (const line of [
      /^Name +Acme ERP\n/,
      new RegExp(`\\nId +${ID}\\n`),
      /\nDescription +Nightly invoice export\n/,
      /\nState +active\n/,
      /\nContact +Ada Lovelace <ada@example.com>\n/,
      /\nContact login +acme-erp\n/,
      /\nPermissions +invoices#index invoices#show\n/,
    ]) {
      assert.match(result.stdout, line)
    }
    assert.ok(!result.stdout.includes(KEY))
    await apiKeys(['show', 'a/b c'])
    assert.equal(lastRequest().url, '/admin/v1/api-keys/a%2Fb%20c')
    const json = await apiKeys(['show', ID, '--json'])
    assert.deepEqual(JSON.parse(json.stdout), API_KEY)
  })

  it('revoke: POSTs to /revoke without a body, as --user, and prints the revoked record', async () => {
    const result = await apiKeys(['revoke', ID, '--user', 'ops'])
    assert.equal(sent(), `POST /admin/v1/api-keys/${ID}/revoke`)
    assert.equal(lastRequest().body, '')
    assert.equal(lastRequest().headers['content-type'], undefined)
    const auth = `Basic ${Buffer.from(`ops:${PASSWORD}`, 'utf8').toString('base64')}`
    assert.equal(lastRequest().headers.authorization, auth)
    assert.match(result.stdout, /\nState +revoked\n/)
    assert.match(result.stdout, /\nRevoked +2025-03-01T00:00:00.000Z\n/)
    assert.ok(!result.stdout.includes(KEY))
    const json = await apiKeys(['revoke', ID, '--json'])
    assert.equal((JSON.parse(json.stdout) as { state: string; key?: string }).state, 'revoked')
    assert.ok(!json.stdout.includes(KEY))
    const missing = await apiKeys(['revoke'])
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /KS_USAGE: missing <id>/)
  })
})
