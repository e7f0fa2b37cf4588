/**
 * A client's cut-off travels with its record: two nodes in this process on one PostgreSQL database,
 * each with its own store and change feed. What is done through node A (deactivate then activate,
 * revoke every token, rotate the secret with revoke_tokens) is refused by node B as soon as the
 * change is pushed, although B had verified and cached the token and the client before.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { build, type Instance } from '../../src/app.ts'
import { createPostgresStore } from '../../src/store/postgres.ts'
import type { Store } from '../../src/store/store.ts'
import { ADMIN_PASSWORD, adminAuth, ISSUER, TestClock } from '../instance.ts'
import { createTestDatabase, postgresSkip, type TestDatabase } from '../test-database.ts'

/** The issue's promise: a change through one node is enforced by every other node within a second. */
const PROPAGATION_LIMIT_MS = 1000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('two nodes on one PostgreSQL database refuse cut-off tokens', { skip: postgresSkip }, () => {
  let database: TestDatabase
  const stores: Store[] = []
  let nodeA: Instance
  let nodeB: Instance
  // Both nodes read the same clock: the caches would trust an entry for ever, so only the feed
  // can tell node B.
  const clock = new TestClock()
  let client: { id: string; client_id: string; client_secret: string }

  const openNode = async () => {
    const store: Store = createPostgresStore({ databaseUrl: database.databaseUrl })
    stores.push(store)
    await store.migrate()
    const node = await build({ store, issuer: ISSUER, clock, syncIntervalMs: 60_000, apiRateLimit: false })
    await waitUntil('the node listens for changes', () => store.changes?.listening === true)
    return node
  }
  const adminAtA = async (method: 'GET' | 'POST', url: string, body?: object) => {
    const response = await nodeA.app.inject({
      method,
      url: `/admin/v1${url}`,
      headers: { authorization: adminAuth },
      ...(body && { payload: body }),
    })
    assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`)
    return response.json()
  }
  const tokenAt = async (node: Instance, secret = client.client_secret) => {
    const response = await node.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: secret,
      }).toString(),
    })
    assert.equal(response.statusCode, 200, response.body)
    return response.json().access_token as string
  }
  const callB = (token: string): Promise<LightMyRequestResponse> =>
    nodeB.app.inject({
      url: '/api/invoices',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    })
  /** Polls node B until it refuses `token`; fails unless it does within the limit. */
  const refusedByB = (token: string) =>
    waitUntil('node B refuses the token', async () => (await callB(token)).statusCode === 401)

  before(async () => {
    database = await createTestDatabase('ks_test')
    nodeA = await openNode()
    nodeB = await openNode()
    await nodeA.adminUsers.create('admin', ADMIN_PASSWORD)
    client = await adminAtA('POST', '/oauth2/clients', {
      name: 'Two nodes',
      scopes: ['core.invoice.read'],
      login: 'two-nodes',
    })
  })
  after(async () => {
    await nodeB?.close()
    await nodeA?.close()
    for (const store of stores) await store.close()
    await database?.drop()
  })

  it('node B refuses a token of a client deactivated then activated through node A, and serves a new one', async () => {
    const old = await tokenAt(nodeA)
    assert.equal((await callB(old)).statusCode, 200)
    clock.advance(1000)
    await adminAtA('POST', `/oauth2/clients/${client.id}/deactivate`)
    await refusedByB(old)
    clock.advance(1000)
    await adminAtA('POST', `/oauth2/clients/${client.id}/activate`)
    const fresh = await tokenAt(nodeA)
    await waitUntil('node B serves the new token', async () => (await callB(fresh)).statusCode === 200)
    const refused = await callB(old)
    assert.equal(refused.statusCode, 401)
    assert.match(String(refused.headers['www-authenticate']), /error_description="revoked"/)
  })

  it('node B refuses the tokens revoked through node A, and serves one issued by B after', async () => {
    const fromA = await tokenAt(nodeA)
    const fromB = await tokenAt(nodeB)
    assert.equal((await callB(fromA)).statusCode, 200)
    assert.equal((await callB(fromB)).statusCode, 200)
    clock.advance(1000)
    await adminAtA('POST', `/oauth2/clients/${client.id}/tokens/revoke`)
    await refusedByB(fromA)
    await refusedByB(fromB)
    assert.equal((await callB(await tokenAt(nodeB))).statusCode, 200)
  })

  it('node B refuses the tokens of a secret rotated through node A with revoke_tokens', async () => {
    const old = await tokenAt(nodeB)
    assert.equal((await callB(old)).statusCode, 200)
    clock.advance(1000)
    const rotated = await adminAtA('POST', `/oauth2/clients/${client.id}/secret`, {
      grace_period_seconds: 0,
      revoke_tokens: true,
    })
    client.client_secret = rotated.client_secret
    await refusedByB(old)
    assert.equal((await callB(await tokenAt(nodeB))).statusCode, 200)
  })
})

/** Waits (in real time, the feed's) until `done` holds; fails after PROPAGATION_LIMIT_MS. */
async function waitUntil(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  const started = performance.now()
  while (!(await done())) {
    if (performance.now() - started > PROPAGATION_LIMIT_MS)
      assert.fail(`${what}: not within ${PROPAGATION_LIMIT_MS} ms`)
    await sleep(10)
  }
}
