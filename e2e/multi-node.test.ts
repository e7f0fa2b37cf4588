import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { createTestDatabase, postgresSkip, type TestDatabase } from '../packages/server/test/test-database.ts'
import { freePort, waitFor } from './support/agent.ts'
import { type ServedInstance, type ServeOptions, serve } from './support/serve.ts'

const ADMIN_PASSWORD = 'e2e multi-node admin password'
const admin = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` }
/** The issue's promise: a change through one node is enforced by every other node within this. */
const PROPAGATION_LIMIT_MS = 1000
/**
 * With PostgreSQL LISTEN/NOTIFY a change is pushed: well under the fallback poll (every 5 s while
 * the feed listens, 400 ms while it does not), so a delay below this was not the poll's doing.
 */
const PUSHED_LIMIT_MS = 250
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
 * instance: what is changed through node A is pushed to node B (LISTEN/NOTIFY) and enforced there
 * well under the fallback poll, and within a second while B's listening connection reconnects.
 * Each test makes one change on A, then polls B every 25 ms and measures how long B takes to
 * enforce it; the delays are printed one by one and together at the end.
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
   * from the change's answer to the first poll that saw it enforced. `limit` is the bound asserted:
   * PUSHED_LIMIT_MS while changes are pushed, PROPAGATION_LIMIT_MS for the fallback.
   */
  const measure = async (
    name: string,
    change: () => Promise<unknown>,
    enforced: () => Promise<boolean>,
    { limit = PUSHED_LIMIT_MS, checkBefore = true } = {},
  ) => {
    if (checkBefore) assert.equal(await enforced(), false, `node B enforces "${name}" before the change`)
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
    assert.ok(delay < limit, `"${name}" took ${delay} ms to reach node B (limit ${limit} ms)`)
  }
  const issueToken = async () => {
    const issued = await oauthForm('token', { grant_type: 'client_credentials' })
    assert.equal(issued.status, 200, await issued.clone().text())
    return ((await issued.json()) as { access_token: string }).access_token
  }
  const keyHeaders = () => ({ 'x-coupa-api-key': apiKey.key })

  before(async () => {
    database = await createTestDatabase('ks_e2e')
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
    token = await issueToken()
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

  it('node B refuses the tokens of a client deactivated through node A within a second, for good', async () => {
    const old = token
    await measure(
      'deactivate the client',
      () => adminCall('POST', `/oauth2/clients/${client.id}/deactivate`),
      async () => (await callB('/api/suppliers/1', bearer())) === 401,
    )
    // Active again for the next tests, and seen so on B: a new token works there, the old one never.
    await measure(
      'activate the client (a new token works)',
      async () => {
        await adminCall('POST', `/oauth2/clients/${client.id}/activate`)
        token = await issueToken()
      },
      async () => (await callB('/api/suppliers/1', bearer())) === 200,
      { checkBefore: false },
    )
    assert.equal(await callB('/api/suppliers/1', { authorization: `Bearer ${old}` }), 401)
  })

  it("node B refuses a client's tokens revoked through node A within a second, and serves new ones", async () => {
    const old = token
    await measure(
      "revoke all the client's tokens",
      () => adminCall('POST', `/oauth2/clients/${client.id}/tokens/revoke`),
      async () => (await callB('/api/suppliers/1', bearer())) === 401,
    )
    token = await issueToken()
    assert.equal(await callB('/api/suppliers/1', bearer()), 200)
    assert.equal(await callB('/api/suppliers/1', { authorization: `Bearer ${old}` }), 401)
  })

  it("node B applies the client's scopes narrowed through node A within a second", async () => {
    await measure(
      'narrow the scopes to core.invoice.read',
      () => adminCall('PATCH', `/oauth2/clients/${client.id}`, { scopes: ['core.invoice.read'] }),
      async () => (await callB('/api/suppliers/1', bearer())) === 403,
    )
    assert.equal(await callB('/api/invoices/1', bearer()), 200)
  })

  it("node B refuses a client's old secret at once after it is rotated through node A", async () => {
    const tokenAtB = (secret: string) =>
      fetch(`${b()}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.client_id,
          client_secret: secret,
        }),
      }).then(async (response) => {
        await response.arrayBuffer()
        return response.status
      })
    const old = client.client_secret
    assert.equal(await tokenAtB(old), 200)
    await measure(
      'rotate the secret (no grace)',
      async () => {
        const rotated = await adminCall('POST', `/oauth2/clients/${client.id}/secret`, {
          grace_period_seconds: 0,
        })
        client.client_secret = rotated.client_secret as string
      },
      async () => (await tokenAtB(old)) === 401,
    )
    assert.equal(await tokenAtB(client.client_secret), 200)
  })

  it('node B accepts tokens signed with a key rotated through node A at once', async () => {
    let fresh = ''
    await measure(
      'rotate the signing key (B accepts its tokens)',
      async () => {
        await adminCall('POST', '/signing-keys/rotate')
        fresh = await issueToken()
      },
      async () => (await callB('/api/invoices/1', { authorization: `Bearer ${fresh}` })) === 200,
      { checkBefore: false },
    )
    const kid = JSON.parse(Buffer.from(fresh.split('.')[0] ?? '', 'base64url').toString()).kid
    const jwks = (await (await fetch(`${b()}/oauth2/jwks`)).json()) as { keys: Array<{ kid: string }> }
    assert.ok(
      jwks.keys.some((key) => key.kid === kid),
      'node B publishes the new key',
    )
  })

  it('node B applies a brownout set through node A at once, and its end', async () => {
    // Node B enforces the window on its own clock, not on this process's: starting it ten minutes
    // back leaves room for any plausible skew between the two.
    const now = Date.now()
    await measure(
      'start a brownout of API keys (transition settings)',
      () =>
        adminCall('PUT', '/transition/settings', {
          brownouts: [
            {
              starts_at: new Date(now - 600_000).toISOString(),
              ends_at: new Date(now + 3_600_000).toISOString(),
            },
          ],
        }),
      async () => (await callB('/api/invoices/1', keyHeaders())) === 401,
    )
    await measure(
      'end the brownout',
      () => adminCall('PUT', '/transition/settings', { brownouts: [] }),
      async () => (await callB('/api/invoices/1', keyHeaders())) === 200,
    )
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
      async () => (await callB('/api/invoices/1', keyHeaders())) === 401,
    )
  })

  it('keeps propagating when the connections that listen are cut, and listens again', async () => {
    assert.ok(database)
    const name = new URL(database.databaseUrl).pathname.slice(1)
    // What a PostgreSQL restart does to them; the nodes' pools are left alone.
    const cut = await administer(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND application_name = 'keyshift-changes'`,
    )
    assert.equal(cut, 2, 'one listening connection per node')
    token = await issueToken()
    // While B reconnects it polls every 0.4 s, and reads everything again once it listens.
    await measure(
      'deactivate the client while B reconnects',
      () => adminCall('POST', `/oauth2/clients/${client.id}/deactivate`),
      async () => (await callB('/api/invoices/1', bearer())) === 401,
      { limit: PROPAGATION_LIMIT_MS },
    )
    const output = () => nodeB?.instance.output() ?? ''
    await waitFor(async () => /listening for changes from other nodes again/.test(output()), output, 15_000)
    assert.match(output(), /lost the PostgreSQL connection that pushes changes from other nodes/)
    await measure(
      'activate the client after B listens again (a new token works)',
      async () => {
        await adminCall('POST', `/oauth2/clients/${client.id}/activate`)
        token = await issueToken()
      },
      async () => (await callB('/api/invoices/1', bearer())) === 200,
      { checkBefore: false },
    )
  })
})

/** Runs one statement as the test database's administrator; resolves to the number of rows. */
async function administer(sql: string): Promise<number> {
  const client = new pg.Client({
    connectionString: process.env.KEYSHIFT_TEST_DATABASE_URL,
    connectionTimeoutMillis: 5000,
  })
  await client.connect()
  try {
    return (await client.query(sql)).rowCount ?? 0
  } finally {
    await client.end()
  }
}
