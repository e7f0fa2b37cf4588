import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { ApiKeyView } from '@keyshift/server/admin-api'
import { CliError } from '../src/errors.ts'
import { resolveKeyRef, shortIds } from '../src/transition/key-refs.ts'
import {
  ADMIN_PASSWORD,
  createFakeTransition,
  existingClientId,
  type FakeTransition,
  INVOICE_ID,
  OLD_ID,
  SUPPLIER_ID,
} from './fake-transition.ts'
import { type FakeServer, fakeServer, run } from './helpers.ts'

describe('keyshift transition link, settings, and keys named by short id or name', () => {
  let server: FakeServer
  let fake: FakeTransition
  before(async () => {
    fake = createFakeTransition({ takenLogins: ['erp-sync', 'erp'] })
    server = await fakeServer(fake.respond)
  })
  after(() => server.close())
  beforeEach(() => {
    server.requests.length = 0
  })

  function transition(args: string[]) {
    return run(['transition', ...args, '--url', server.url], { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD })
  }
  function routes(): string[] {
    return server.requests.map((request) => `${request.method} ${request.url}`)
  }

  describe('keyshift transition link KEY CLIENT', () => {
    it('links a key named by the start of its id to a client named by its login', async () => {
      const result = await transition(['link', '11111111', 'erp-sync'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(fake.links.get(SUPPLIER_ID), existingClientId('erp-sync'))
      assert.deepEqual(JSON.parse(server.requests.at(-1)?.body ?? ''), {
        client_id: existingClientId('erp-sync'),
      })
      assert.match(
        result.stdout,
        new RegExp(
          `^Linked API key Supplier sync \\(11111111\\) to OAuth client erp sync \\(login erp-sync, client_id ${existingClientId('erp-sync')}\\)\\.\\n`,
        ),
      )
    })

    it('takes the key by its name (any case) and the client by its client_id', async () => {
      const result = await transition(['link', 'invoice EXPORT', existingClientId('erp'), '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(fake.links.get(INVOICE_ID), existingClientId('erp'))
      assert.equal((JSON.parse(result.stdout) as { id: string }).id, INVOICE_ID)
    })

    it('refuses a key or a client it cannot name, without linking and without quoting the argument', async () => {
      const secretLooking = 'ab'.repeat(20)
      const key = await transition(['link', secretLooking, 'erp'])
      assert.equal(key.code, 1)
      assert.match(
        key.stderr,
        /^keyshift: KS_ADMIN_NOT_FOUND: KEY names no API key \(by id, start of the id or name\)\n/,
      )
      assert.ok(!key.stderr.includes(secretLooking))
      const client = await transition(['link', OLD_ID, 'nobody'])
      assert.equal(client.code, 1)
      assert.match(client.stderr, /^keyshift: KS_ADMIN_NOT_FOUND: CLIENT names no OAuth client/)
      assert.ok(!routes().some((route) => route.startsWith('PUT')))
    })

    it('needs both KEY and CLIENT', async () => {
      const result = await transition(['link', SUPPLIER_ID])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /KS_USAGE: missing <key> <client>/)
    })
  })

  describe('keyshift transition revoke with short ids and names', () => {
    it('resolves a short id and a name to the keys’ ids before revoking', async () => {
      const result = await transition(['revoke', '33333333', 'supplier sync'])
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(routes(), ['GET /admin/v1/api-keys', 'POST /admin/v1/transition/revoke'])
      assert.deepEqual(JSON.parse(server.requests[1]?.body ?? ''), { api_key_ids: [OLD_ID, SUPPLIER_ID] })
    })

    it('dry run: says which calls were counted (since the client’s first call, or the last 7 days)', async () => {
      const result = await transition(['revoke', '2222', '33333333', '--dry-run'])
      assert.equal(result.code, 1)
      assert.match(
        result.stdout,
        /would refuse {2}Invoice export \(2{8}-.*\n {2}calls since its client's first call at 2026-11-20T00:00:00\.000Z that would have failed: 20 \(invoices#index 20\)\n/,
      )
      assert.match(
        result.stdout,
        /would revoke {2}Old report \(3{8}-.*\n {2}calls in the last 7 days that would have failed: 0\n/,
      )
    })
  })

  describe('keyshift transition settings', () => {
    it('show: the quiet period, dates, documentation URL and brownouts', async () => {
      const result = await transition(['settings', 'show'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(
        result.stdout,
        [
          'Quiet period       1 week (604800 s)',
          'Deprecation        not set',
          'Sunset             not set',
          'Documentation URL  not set',
          'Brownouts          none',
          '',
        ].join('\n'),
      )
      assert.deepEqual(routes(), ['GET /admin/v1/transition/settings'])
    })

    it('set: sends only what is given; a date alone is 00:00 UTC; brownouts with a KEY by name', async () => {
      const result = await transition([
        'settings',
        'set',
        '--quiet-period',
        '10d',
        '--deprecation-date',
        '2027-01-01',
        '--sunset-date',
        '2027-06-30T00:00:00Z',
        '--brownout',
        '2027-03-01T09:00:00Z/2027-03-01T10:00:00Z',
        '--brownout',
        '2027-04-01T09:00:00Z/2027-04-01T10:00:00Z/Invoice export',
      ])
      assert.equal(result.code, 0, result.stderr)
      const put = server.requests.find((request) => request.method === 'PUT')
      assert.deepEqual(JSON.parse(put?.body ?? ''), {
        quiet_period_seconds: 864000,
        deprecation_at: '2027-01-01T00:00:00Z',
        sunset_at: '2027-06-30T00:00:00Z',
        brownouts: [
          { starts_at: '2027-03-01T09:00:00Z', ends_at: '2027-03-01T10:00:00Z', api_key_id: null },
          { starts_at: '2027-04-01T09:00:00Z', ends_at: '2027-04-01T10:00:00Z', api_key_id: INVOICE_ID },
        ],
      })
      assert.match(result.stdout, /^Settings changed\.\nQuiet period {7}10 days \(864000 s\)\n/)
      assert.match(
        result.stdout,
        /\nBrownouts {10}2027-03-01T09:00:00Z → 2027-03-01T10:00:00Z {2}every key\n {19}2027-04-01T09:00:00Z → 2027-04-01T10:00:00Z {2}key 22222222\n/,
      )
      const cleared = await transition(['settings', 'set', '--clear-brownouts', '--clear-deprecation-date'])
      assert.equal(cleared.code, 0, cleared.stderr)
      assert.deepEqual(JSON.parse(server.requests.at(-1)?.body ?? ''), {
        deprecation_at: null,
        brownouts: [],
      })
    })

    it('set: shows the server’s 400 as it comes, with the flag of each field', async () => {
      const result = await transition([
        'settings',
        'set',
        '--deprecation-date',
        '2027-06-30',
        '--sunset-date',
        '2027-01-01',
      ])
      assert.equal(result.code, 1)
      assert.match(
        result.stderr,
        /^keyshift: KS_ADMIN_INVALID_REQUEST: sunset_at: must not be before deprecation_at\n/,
      )
      assert.match(result.stderr, /\nhint: .*sunset_at --sunset-date/)
    })

    it('set: refuses nothing to change, a bad duration or brownout, and a value with its --clear-', async () => {
      for (const args of [
        [],
        ['--quiet-period', 'a week'],
        ['--brownout', '2027-03-01T09:00:00Z'],
        ['--sunset-date', '2027-01-01', '--clear-sunset-date'],
      ]) {
        const result = await transition(['settings', 'set', ...args])
        assert.equal(result.code, 2, args.join(' '))
        assert.match(result.stderr, /^keyshift: KS_USAGE: /)
      }
      assert.deepEqual(routes(), [])
    })
  })
})

describe('short ids and key names (transition/key-refs.ts)', () => {
  const key = (id: string, name: string) => ({ id, name, state: 'active' }) as ApiKeyView

  it('shows 8 characters, or more where ids shown together start alike', () => {
    const ids = ['5b2c7d1e-3f4a-4b5c', '5b2c7d1e-9999-4b5c', '0f3c9a2b-0000']
    assert.deepEqual([...shortIds(ids).values()], ['5b2c7d1e-3', '5b2c7d1e-9', '0f3c9a2b'])
  })

  it('resolves an id, a unique prefix of 4 or more, a name; refuses an ambiguous one listing the keys', () => {
    const keys = [key('5b2c7d1e-3f4a', 'ERP'), key('5b2c7d1e-9999', 'erp'), key('0f3c9a2b-0000', 'Export')]
    assert.equal(resolveKeyRef('0f3c', keys, { label: 'KEY' }).name, 'Export')
    assert.equal(resolveKeyRef('ERP', keys, { label: 'KEY' }).id, '5b2c7d1e-3f4a')
    assert.equal(resolveKeyRef('export', keys, { label: 'KEY' }).id, '0f3c9a2b-0000')
    assert.throws(
      () => resolveKeyRef('5b2c7d1e', keys, { label: 'the 2nd KEY' }),
      (error: unknown) =>
        error instanceof CliError &&
        error.code === 'KS_USAGE' &&
        error.message === 'the 2nd KEY names 2 API keys: give more of the id' &&
        error.details.join('|') === '5b2c7d1e-3  ERP (active)|5b2c7d1e-9  erp (active)',
    )
    assert.throws(() => resolveKeyRef('0f3', keys, { label: 'KEY' }), /KEY names no API key/)
  })
})
