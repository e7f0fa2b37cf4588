import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { freePort } from './support/agent.ts'
import { createTestDatabase, postgresSkip, type TestDatabase } from './support/postgres.ts'
import { type ServedInstance, type ServeOptions, serve } from './support/serve.ts'

const ADMIN_PASSWORD = 'e2e multi-node admin password'
const admin = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` }
/** The issue's promise: a change through one node is enforced by every other node within this. */
const PROPAGATION_LIMIT_MS = 1000
const POLL_MS = 25
/** The public URL of the instance, the same on every node (no load balancer is needed to test). */
const ISSUER = 'http://127.0.0.1:8443'
const GIVE_UP_MS = 5000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Node {
  /** Where this node listens; the banner shows the issuer, which is not this node's own address. */
  url: string
  instance: ServedInstance
}

/**
 * With --issuer the banner names the issuer, not the port --port 0 picked, so each node gets a free
 * port chosen here (a later --port wins over the --port 0 of serve()).
 */
async function startNode(args: string[], options: ServeOptions): Promise<Node> {
  const port = await freePort()
  const instance = await serve(['--port', String(port), ...args], options)
  return { url: `http://127.0.0.1:${port}`, instance }
}

/**
 * Two `keyshift serve --database-url` processes on one PostgreSQL database serve the same
 * instance: what is changed through node A is enforced by node B within a second. Each test makes
 * one change on A, then polls B every 25 ms and measures how long B takes to enforce it.
 */
describe('two nodes on one PostgreSQL database', { skip: postgresSkip }, () => {
  let database: TestDatabase | undefined
  let nodeA: Node | undefined
  let nodeB: Node | undefined
  let client: { id: number; client_id: string; client_secret: string }
  let apiKey: { id: number; key: string }
  let token: string
  const delays: Record<string, number> = {}

  const a = () => nodeA?.url ?? assert.fail('node A is not running')
  const b = () => nodeB?.url ?? assert.fail('node B is not running')
  const adminCall = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${a()}/admin/v1${path}`, {
      method,
      headers: { ...admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`)
    return (await response.json()) as Record<string, unknown>
  }
  const callB = async (path: string, credentials: Record<string, string>) => {
    const response = await fetch(`${b()}${path}`, { headers: { ...credentials, accept: 'application/json' } })
    await response.arrayBuffer()
    return response.status
  }
  const bearer = () => ({ authorization: `Bearer ${token}` })
  const oauthForm = (endpoint: 'token' | 'revoke', fields: Record<string, string>) =>
    fetch(`${a()}/oauth2/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: client.client_id,
        client_secret: client.client_secret,
        ...fields,
      }),
    })

  /**
   * Makes the change on node A, then polls node B until `enforced` holds, and returns the time
   * from the change's answer to the first poll that saw it enforced.
   */
  const measure = async (name: string, change: () => Promise<unknown>, enforced: () => Promise<boolean>) => {
    assert.equal(await enforced(), false, `node B enforces "${name}" before the change`)
    await change()
    const started = performance.now()
    while (!(await enforced())) {
      const elapsed = performance.now() - started
      if (elapsed > GIVE_UP_MS) assert.fail(`node B did not enforce "${name}" in ${GIVE_UP_MS} ms`)
      await sleep(POLL_MS)
    }
    const delay = Math.round(performance.now() - started)
    delays[name] = delay
    console.log(`multi-node: node B enforced "${name}" ${delay} ms after node A applied it`)
    assert.ok(delay < PROPAGATION_LIMIT_MS, `"${name}" took ${delay} ms to reach node B`)
  }

  before(async () => {
    database = await createTestDatabase()
    const options = { env: { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD } }
    // Every node behind one load balancer has the same issuer: a token of one is valid on all. The
    // polls below run above Coupa's 25 requests per second: this test is about propagation.
    const common = ['--database-url', database.databaseUrl, '--issuer', ISSUER, '--api-rate-limit', 'off']
    // Node A seeds the demo data set; B starts after it, on the same database, without --demo.
    nodeA = await startNode([...common, '--demo'], options)
    nodeB = await startNode(common, options)
    client = (await adminCall('POST', '/oauth2/clients', {
      name: 'Multi-node',
      grant_type: 'client_credentials',
      scopes: ['core.invoice.read', 'core.supplier.read'],
      login: 'multi-node',
    })) as typeof client
    apiKey = (await adminCall('POST', '/api-keys', {
      name: 'Multi-node key',
      contact_login: 'multi-node-key',
      contact_email: 'multi-node-key@example.com',
    })) as typeof apiKey
    const issued = await oauthForm('token', { grant_type: 'client_credentials' })
    assert.equal(issued.status, 200, await issued.clone().text())
    token = ((await issued.json()) as { access_token: string }).access_token
  })

  after(async () => {
    await nodeB?.instance.stop()
    await nodeA?.instance.stop()
    await database?.drop()
    if (Object.keys(delays).length > 0) console.log('multi-node: measured delays (ms)', delays)
  })

  it('node B accepts a token and an API key made through node A', async () => {
    assert.equal(await callB('/api/suppliers/1', bearer()), 200)
    assert.equal(await callB('/api/invoices/1', { 'x-coupa-api-key': apiKey.key }), 200)
  })

  it('node B refuses the tokens of a client deactivated through node A within a second', async () => {
    await measure(
      'deactivate the client',
      () => adminCall('POST', `/oauth2/clients/${client.id}/deactivate`),
      async () => (await callB('/api/suppliers/1', bearer())) === 401,
    )
    // Active again for the next tests, and seen so on B.
    await measure(
      'activate the client',
      () => adminCall('POST', `/oauth2/clients/${client.id}/activate`),
      async () => (await callB('/api/suppliers/1', bearer())) === 200,
    )
  })

  it("node B applies the client's scopes narrowed through node A within a second", async () => {
    await measure(
      'narrow the scopes to core.invoice.read',
      () => adminCall('PATCH', `/oauth2/clients/${client.id}`, { scopes: ['core.invoice.read'] }),
      async () => (await callB('/api/suppliers/1', bearer())) === 403,
    )
    assert.equal(await callB('/api/invoices/1', bearer()), 200)
  })

  it('node B refuses a token revoked at node A within a second (RFC 7009)', async () => {
    await measure(
      'revoke the token',
      async () => {
        const response = await oauthForm('revoke', { token, token_type_hint: 'access_token' })
        assert.equal(response.status, 200, await response.clone().text())
      },
      async () => (await callB('/api/invoices/1', bearer())) === 401,
    )
  })

  it('node B refuses an API key revoked through node A within a second', async () => {
    await measure(
      'revoke the API key',
      () => adminCall('POST', `/api-keys/${apiKey.id}/revoke`),
      async () => (await callB('/api/invoices/1', { 'x-coupa-api-key': apiKey.key })) === 401,
    )
  })
})
