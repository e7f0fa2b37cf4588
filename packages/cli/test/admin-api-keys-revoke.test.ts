import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import {
  ADMIN_PASSWORD,
  createFakeTransition,
  type FakeTransition,
  type FakeTransitionOptions,
  INVOICE_ID,
  SUPPLIER_ID,
} from './fake-transition.ts'
import { type FakeServer, fakeServer, type RecordedRequest, run } from './helpers.ts'

describe('keyshift admin api-keys revoke: the readiness rule of keyshift transition revoke', () => {
  let server: FakeServer
  let fake: FakeTransition
  afterEach(() => server.close())

  async function start(options: FakeTransitionOptions = {}, noTransition = false) {
    fake = createFakeTransition(options)
    server = await fakeServer(function respond(request: RecordedRequest) {
      if (noTransition && request.url.startsWith('/admin/v1/transition/')) {
        return {
          status: 404,
          body: { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Route not found' },
        }
      }
      return fake.respond(request)
    })
  }
  function revoke(args: string[]) {
    return run(['admin', 'api-keys', 'revoke', ...args, '--url', server.url], {
      KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    })
  }
  function routes(): string[] {
    return server.requests.map((request) => `${request.method} ${request.url}`)
  }

  it('revokes a key that is ready_to_revoke: a dry run first, then the key’s revoke without a body', async () => {
    await start()
    const result = await revoke([SUPPLIER_ID])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(routes(), [
      'POST /admin/v1/transition/revoke',
      `POST /admin/v1/api-keys/${SUPPLIER_ID}/revoke`,
    ])
    assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ''), {
      api_key_ids: [SUPPLIER_ID],
      dry_run: true,
    })
    assert.equal(server.requests[1]?.body, '')
    assert.deepEqual(fake.revoked, [SUPPLIER_ID])
    assert.match(result.stdout, /\nState +revoked\n/)
    assert.equal(result.stderr, '')
  })

  it('refuses a key that is not ready_to_revoke, with its state, reason and recent calls (exit 1)', async () => {
    await start()
    const result = await revoke([INVOICE_ID])
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      [
        `keyshift: KS_TRANSITION_REFUSED: API key Invoice export (${INVOICE_ID}) is not ready_to_revoke, so it was left as it is`,
        '  migrating: calls with the key after the client’s first call',
        "  calls since its client's first call at 2026-11-20T00:00:00.000Z: 20 (invoices#index 20)",
        'hint: see `keyshift transition status`; --force revokes anyway, and the calls still made with the key then fail',
        '',
      ].join('\n'),
    )
    assert.deepEqual(routes(), ['POST /admin/v1/transition/revoke'])
    assert.deepEqual(fake.revoked, [])
  })

  it('--force revokes it anyway, sends {"force": true} and warns of the calls that now fail', async () => {
    await start({ revokeChecksReadiness: true })
    const result = await revoke(['Invoice export', '--force'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(routes(), [
      'GET /admin/v1/api-keys',
      'POST /admin/v1/transition/revoke',
      `POST /admin/v1/api-keys/${INVOICE_ID}/revoke`,
    ])
    assert.deepEqual(JSON.parse(server.requests[2]?.body ?? ''), { force: true })
    assert.deepEqual(fake.revoked, [INVOICE_ID])
    assert.match(
      result.stderr,
      /^warning: revoked with --force although migrating: .*; calls since .*: 20 \(invoices#index 20\): such calls now fail\n$/,
    )
  })

  it('takes the start of the id as the tables show it', async () => {
    await start()
    const result = await revoke(['11111111', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal((JSON.parse(result.stdout) as { id: string }).id, SUPPLIER_ID)
  })

  it('a server that checks readiness itself (409) is refused the same way', async () => {
    await start({ revokeChecksReadiness: true }, true)
    const result = await revoke([INVOICE_ID])
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      /^keyshift: KS_TRANSITION_REFUSED: API key .* is not ready_to_revoke, so it was left as it is\n/,
    )
    assert.match(result.stderr, /\n {2}migrating: calls with the key after the client’s first call\n/)
    assert.match(
      result.stderr,
      /\n {2}calls since its client's first call at 2026-11-20T00:00:00.000Z: 20 \(invoices#index 20\)\n/,
    )
    assert.deepEqual(fake.revoked, [])
  })
})
