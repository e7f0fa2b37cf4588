/**
 * `keyshift admin clients revoke-tokens <id>` and `rotate-secret --revoke-tokens`: against the fake
 * admin API (what is sent, what is printed), then against a real instance on 127.0.0.1 (the old
 * token is refused, a new one works).
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { build, type Instance, openStore, type Store } from '@keyshift/server'
import { CUT_OFF, fakeAdminApi, NEW_SECRET, PASSWORD, SECRET } from './fake-admin.ts'
import { type FakeServer, fakeServer, type RecordedRequest, run } from './helpers.ts'

describe('keyshift admin clients revoke-tokens (fake admin API)', () => {
  let server: FakeServer
  before(async () => {
    server = await fakeServer(fakeAdminApi)
  })
  after(() => server.close())

  const admin = (args: string[]) =>
    run(['admin', 'clients', ...args, '--url', server.url], { KEYSHIFT_ADMIN_PASSWORD: PASSWORD })
  const lastRequest = (): RecordedRequest => server.requests.at(-1) ?? assert.fail('no request')

  it('revoke-tokens: POSTs to …/tokens/revoke and prints the client with the cut-off', async () => {
    const result = await admin(['revoke-tokens', '7'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(
      `${lastRequest().method} ${lastRequest().url}`,
      'POST /admin/v1/oauth2/clients/7/tokens/revoke',
    )
    assert.match(result.stdout, /^Name +Acme ERP\n/)
    assert.match(result.stdout, new RegExp(`\\nTokens revoked +issued until ${CUT_OFF} are refused\\n`))
    assert.ok(!result.stdout.includes(SECRET))
    const json = await admin(['revoke-tokens', '7', '--json'])
    assert.equal(JSON.parse(json.stdout).tokens_revoked_at, CUT_OFF)
  })

  it('revoke-tokens needs the client id', async () => {
    const result = await admin(['revoke-tokens'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /KS_USAGE: missing <id>/)
  })

  it('rotate-secret --revoke-tokens sends revoke_tokens and says the old tokens are refused', async () => {
    const result = await admin(['rotate-secret', '7', '--grace-period', '0', '--revoke-tokens'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(JSON.parse(lastRequest().body), { grace_period_seconds: 0, revoke_tokens: true })
    assert.ok(result.stdout.includes(`Secret  ${NEW_SECRET}`))
    assert.match(result.stdout, new RegExp(`\\nEvery access token issued until ${CUT_OFF} is refused\\.\\n`))
    const plain = await admin(['rotate-secret', '7'])
    assert.deepEqual(JSON.parse(lastRequest().body), {})
    assert.ok(!plain.stdout.includes('is refused'))
  })

  it('lists revoke-tokens and --revoke-tokens in the help', async () => {
    const group = await run(['admin', 'clients', '--help'])
    assert.match(group.stdout, /revoke-tokens/)
    const rotate = await run(['admin', 'clients', 'rotate-secret', '--help'])
    assert.match(rotate.stdout, /--revoke-tokens/)
  })
})

describe('keyshift admin clients revoke-tokens (a real instance)', () => {
  const password = 'cli revoke-tokens admin password'
  let dataDir: string
  let store: Store
  let instance: Instance
  let url: string
  let client: { id: string; client_id: string; client_secret: string }

  const admin = async (args: string[]) => {
    const result = await run(['admin', 'clients', ...args, '--url', url], {
      KEYSHIFT_ADMIN_PASSWORD: password,
    })
    assert.equal(result.code, 0, result.stderr)
    return result
  }
  const token = async (secret = client.client_secret) => {
    const response = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: secret,
      }),
    })
    assert.equal(response.status, 200)
    return ((await response.json()) as { access_token: string }).access_token
  }
  const call = async (accessToken: string) => {
    const response = await fetch(`${url}/api/invoices`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    })
    await response.arrayBuffer()
    return response.status
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'keyshift-cli-test-'))
    store = await openStore({ dataDir })
    instance = await build({ store, issuer: 'http://127.0.0.1', apiRateLimit: false })
    await instance.adminUsers.create('admin', password)
    await instance.app.listen({ host: '127.0.0.1', port: 0 })
    url = `http://127.0.0.1:${(instance.app.server.address() as AddressInfo).port}`
    const created = await admin([
      'create',
      '--name',
      'CLI',
      '--login',
      'cli',
      '--scopes',
      'core.invoice.read',
      '--json',
    ])
    client = JSON.parse(created.stdout)
  })
  after(async () => {
    await instance?.close()
    await store?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('refuses the tokens issued before revoke-tokens, and serves a new one', async () => {
    const old = await token()
    assert.equal(await call(old), 200)
    await admin(['revoke-tokens', client.client_id])
    assert.equal(await call(old), 401)
    assert.equal(await call(await token()), 200)
  })

  it('refuses the old tokens after rotate-secret --revoke-tokens, not after a plain rotate-secret', async () => {
    const kept = await token()
    const plain = JSON.parse(
      (await admin(['rotate-secret', client.id, '--grace-period', '0', '--json'])).stdout,
    )
    client.client_secret = plain.client_secret
    assert.equal(await call(kept), 200)
    const rotated = await admin([
      'rotate-secret',
      client.id,
      '--grace-period',
      '0',
      '--revoke-tokens',
      '--json',
    ])
    client.client_secret = JSON.parse(rotated.stdout).client_secret
    assert.equal(await call(kept), 401)
    assert.equal(await call(await token()), 200)
  })
})
