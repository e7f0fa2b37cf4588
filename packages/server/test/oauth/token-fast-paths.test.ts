// The token endpoint's shortcuts answer as the long ways do: a secret already verified on the cached
// client record (ClientService), the form split by hand (parseFormBody), the response body written
// by hand (responseBody).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ClientService } from '../../src/clients/service.ts'
import { parseFormBody } from '../../src/oauth/form.ts'
import { responseBody } from '../../src/oauth/grants/client_credentials.ts'
import { storeBackends, type TestStore } from '../stores.ts'

const sqlite = storeBackends.find((backend) => backend.name === 'sqlite')
if (!sqlite) throw new Error('no sqlite backend')

describe('a secret already verified on the cached client', () => {
  let testStore: TestStore
  let clients: ClientService
  before(async () => {
    testStore = await sqlite.create()
    clients = new ClientService({
      store: testStore.store,
      clock: { now: () => Date.now() },
      pepper: 'p'.repeat(32),
    })
  })
  after(() => testStore.destroy())

  const create = (login: string) =>
    clients.create({ name: login, login, grantType: 'client_credentials', scopes: ['core.invoice.read'] })

  it('passes again; another secret of the same length does not', async () => {
    const { client, secret } = await create('again')
    for (let i = 0; i < 3; i++) assert.equal((await clients.authenticate(client.clientId, secret)).ok, true)
    const other = secret.slice(0, -1) + (secret.endsWith('0') ? '1' : '0')
    assert.deepEqual(await clients.authenticate(client.clientId, other), {
      ok: false,
      reason: 'wrong secret',
    })
    assert.deepEqual(await clients.authenticate(client.clientId, `${secret}0`), {
      ok: false,
      reason: 'wrong secret',
    })
    assert.deepEqual(await clients.authenticate(client.clientId, ''), { ok: false, reason: 'wrong secret' })
    assert.equal((await clients.authenticate(client.clientId, secret)).ok, true)
  })

  it('is not a secret of another client', async () => {
    const a = await create('a')
    const b = await create('b')
    assert.equal((await clients.authenticate(a.client.clientId, a.secret)).ok, true)
    assert.deepEqual(await clients.authenticate(b.client.clientId, a.secret), {
      ok: false,
      reason: 'wrong secret',
    })
  })

  it('is refused once the client is deactivated', async () => {
    const { client, secret } = await create('deactivated')
    assert.equal((await clients.authenticate(client.clientId, secret)).ok, true)
    await clients.setActive(client.clientId, false)
    assert.deepEqual(await clients.authenticate(client.clientId, secret), {
      ok: false,
      reason: 'client deactivated',
    })
  })

  it('follows a rotation: the old secret only within its grace period', async () => {
    const { client, secret } = await create('rotated')
    assert.equal((await clients.authenticate(client.clientId, secret)).ok, true)
    const graced = await clients.rotateSecret(client.clientId, 60)
    assert.equal((await clients.authenticate(client.clientId, secret)).ok, true)
    assert.equal((await clients.authenticate(client.clientId, graced.secret)).ok, true)
    const ended = await clients.rotateSecret(client.clientId, 0)
    assert.deepEqual(await clients.authenticate(client.clientId, graced.secret), {
      ok: false,
      reason: 'wrong secret',
    })
    assert.deepEqual(await clients.authenticate(client.clientId, secret), {
      ok: false,
      reason: 'wrong secret',
    })
    assert.equal((await clients.authenticate(client.clientId, ended.secret)).ok, true)
  })
})

describe('parseFormBody', () => {
  const viaUrlSearchParams = (body: string) => {
    const params: Record<string, string> = {}
    for (const [name, value] of new URLSearchParams(body)) if (value !== '') params[name] = value
    return params
  }
  it('decodes as URLSearchParams does', () => {
    for (const body of [
      'grant_type=client_credentials&client_id=ab&client_secret=cd&scope=core.invoice.read%20core.common.read',
      'scope=a+b&x=%2B%26%3D',
      'name=%C3%A9t%C3%A9&empty=&flag&&=v',
      'stray=100%&bad=%FF%FE&short=%2',
      '?leading=question',
      'a=b=c',
      '',
    ]) {
      assert.deepEqual({ ...parseFormBody(body) }, viaUrlSearchParams(body), body)
    }
  })
  it('refuses a repeated parameter, decoded or not', () => {
    assert.throws(() => parseFormBody('scope=a&scope=b'), /"scope" is repeated/)
    assert.throws(() => parseFormBody('scope=a&%73cope=b'), /"scope" is repeated/)
    assert.throws(() => parseFormBody('scope=a&bad=%FF&scope=b'), /"scope" is repeated/)
  })
})

describe('responseBody', () => {
  it('is JSON.stringify of the response', () => {
    const response = {
      access_token: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl_-',
      token_type: 'bearer' as const,
      expires_in: 86_399,
      scope: 'core.invoice.read core.common.read',
    }
    assert.equal(responseBody(response), JSON.stringify(response))
    assert.deepEqual(JSON.parse(responseBody({ ...response, scope: '' })), { ...response, scope: '' })
  })
})
