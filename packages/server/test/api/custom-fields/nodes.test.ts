/**
 * A custom field defined through node A is shown and accepted by node B once PostgreSQL announces
 * it (migration 8's trigger, read again with the settings): no restart, no wait for the poll.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { seedDemoData } from '../../../src/api/demo/seed.ts'
import { build, type Instance } from '../../../src/app.ts'
import { createPostgresStore } from '../../../src/store/postgres.ts'
import type { Store } from '../../../src/store/store.ts'
import { ADMIN_PASSWORD, adminAuth, ISSUER, TestClock } from '../../instance.ts'
import { createTestDatabase, postgresSkip, type TestDatabase } from '../../test-database.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('custom fields across two nodes on one PostgreSQL database', { skip: postgresSkip }, () => {
  let database: TestDatabase
  const stores: Store[] = []
  const nodes: Instance[] = []
  const clock = new TestClock()

  const openNode = async () => {
    const store: Store = createPostgresStore({ databaseUrl: database.databaseUrl })
    stores.push(store)
    await store.migrate()
    // A poll every minute: only the announcement can tell node B in time.
    const node = await build({ store, issuer: ISSUER, clock, syncIntervalMs: 60_000, apiRateLimit: false })
    nodes.push(node)
    for (let waited = 0; store.changes?.listening !== true && waited < 5000; waited += 10) await sleep(10)
    return node
  }

  before(async () => {
    database = await createTestDatabase('ks_test')
    const nodeA = await openNode()
    await openNode()
    await seedDemoData(stores[0] as Store, { now: clock.now(), scale: 0.05 })
    await nodeA.adminUsers.create('admin', ADMIN_PASSWORD)
  })
  after(async () => {
    for (const node of nodes) await node.close()
    for (const store of stores) await store.close()
    await database.drop()
  })

  it('node B shows a field defined through node A within a second', async () => {
    const [nodeA, nodeB] = nodes as [Instance, Instance]
    const { client } = await nodeB.clients.create({
      name: 'reader',
      grantType: 'client_credentials',
      scopes: ['core.supplier.read'],
      login: 'reader',
    })
    const { token } = await nodeB.tokens.issue(client.clientId, 'core.supplier.read')
    const show = async () =>
      (
        await nodeB.app.inject({
          url: '/api/suppliers/1',
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        })
      ).json()
    assert.equal((await show())['custom-fields'], undefined)
    const defined = await nodeA.app.inject({
      method: 'POST',
      url: '/admin/v1/custom-fields',
      headers: { authorization: adminAuth },
      payload: { resource: 'suppliers', name: 'erp-vendor-id', label: 'ERP Vendor ID', type: 'string' },
    })
    assert.equal(defined.statusCode, 201, defined.body)
    let shown: unknown
    for (let waited = 0; waited < 1000; waited += 20) {
      shown = (await show())['custom-fields']
      if (shown !== undefined) break
      await sleep(20)
    }
    assert.deepEqual(shown, { 'erp-vendor-id': null })
  })
})
