import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PASSWORD } from './fake-admin.ts'
import { fakeApiKeysApi } from './fake-api-keys.ts'
import { type FakeServer, fakeServer, run } from './helpers.ts'

const REQUIRED = ['--name', 'Acme ERP', '--contact-login', 'acme-erp', '--contact-email', 'ada@example.com']

describe('keyshift admin api-keys: usage errors and refusals', () => {
  let server: FakeServer
  before(async () => {
    server = await fakeServer(fakeApiKeysApi)
  })
  after(() => server.close())

  function apiKeys(args: string[]) {
    return run(['admin', 'api-keys', ...args, '--url', server.url], { KEYSHIFT_ADMIN_PASSWORD: PASSWORD })
  }

  it('create checks its flags before sending anything', async () => {
    const before = server.requests.length
    const cases: [string[], RegExp][] = [
      [['--contact-login', 'x', '--contact-email', 'x@example.com'], /missing --name/],
      [['--name', 'X', '--contact-email', 'x@example.com'], /missing --contact-login/],
      [['--name', 'X', '--contact-login', 'x'], /missing --contact-email/],
      [[...REQUIRED, '--expires-on', '31/01/2030'], /--expires-on must be a date YYYY-MM-DD/],
      [[...REQUIRED, '--expires-on', '2030-02-30'], /--expires-on must be a date YYYY-MM-DD/],
      [[...REQUIRED, '--permissions', ' '], /--permissions is empty: .* leave it out to allow every API/],
      [
        [...REQUIRED, '--permissions', 'invoices#index invoices'],
        /--permissions: 'invoices' is not resource#action/,
      ],
    ]
    for (const [args, message] of cases) {
      const result = await apiKeys(['create', ...args])
      assert.equal(result.code, 2, args.join(' '))
      assert.match(result.stderr, new RegExp(`^keyshift: KS_USAGE: ${message.source}`))
    }
    assert.equal(server.requests.length, before, 'nothing was sent')
  })

  it('create: 409 and 400 problems are KS_ADMIN_CONFLICT and KS_ADMIN_INVALID_REQUEST', async () => {
    const taken = await apiKeys(['create', ...REQUIRED, '--contact-login', 'taken'])
    assert.equal(taken.code, 1)
    assert.equal(
      taken.stderr,
      'keyshift: KS_ADMIN_CONFLICT: Contact Login has already been taken\n  contact_login: Contact Login has already been taken\n',
    )
    assert.equal(taken.stdout, '')
    const unknown = await apiKeys(['create', ...REQUIRED, '--permissions', 'invoices#fly'])
    assert.equal(unknown.code, 1)
    assert.equal(
      unknown.stderr,
      'keyshift: KS_ADMIN_INVALID_REQUEST: permissions: unknown permission invoices#fly; use resource#action, such as invoices#index\n',
    )
  })

  it('create: a 201 without the key is KS_ADMIN_RESPONSE_INVALID', async () => {
    const result = await apiKeys(['create', ...REQUIRED.slice(2), '--name', 'keyless'])
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      /^keyshift: KS_ADMIN_RESPONSE_INVALID: POST \/admin\/v1\/api-keys did not answer/,
    )
    assert.equal(result.stdout, '')
  })

  it('show: an unknown id is KS_ADMIN_NOT_FOUND with the server detail', async () => {
    const result = await apiKeys(['show', 'missing'])
    assert.equal(result.code, 1)
    assert.equal(result.stderr, 'keyshift: KS_ADMIN_NOT_FOUND: no API key with id "missing"\n')
  })
})
