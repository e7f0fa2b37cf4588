/**
 * PostgreSQL goes away under a running `keyshift serve` (the database refuses connections and its
 * sessions are terminated, the shared server stays up): store-dependent calls answer 503 promptly
 * with a clear body, and recover without a restart once the database is back.
 */
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { storeBackends, type TestStore } from '../packages/server/test/stores.ts'
import { type ServedInstance, serve } from './support/serve.ts'

const ADMIN_PASSWORD = 'e2e faults admin password'
const ADMIN = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`
const postgres = storeBackends.find((backend) => backend.name === 'postgres')
const CALL_TIMEOUT_MS = 10_000

interface Answer {
  status: number
  body: string
  headers: Headers
  ms: number
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = Date.now()
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) })
  return {
    status: response.status,
    body: await response.text(),
    headers: response.headers,
    ms: Date.now() - started,
  }
}

function tokenRequest(base: string, clientId: string, clientSecret: string): Promise<Answer> {
  return call(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: 'core.invoice.read',
    }).toString(),
  })
}

async function createClient(
  base: string,
  login: string,
): Promise<{ client_id: string; client_secret: string }> {
  const answer = await call(`${base}/admin/v1/oauth2/clients`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: login,
      grant_type: 'client_credentials',
      scopes: ['core.invoice.read'],
      login,
    }),
  })
  assert.equal(answer.status, 201, answer.body)
  return JSON.parse(answer.body)
}

async function administer(sql: string): Promise<void> {
  const client = new pg.Client({
    connectionString: process.env.KEYSHIFT_TEST_DATABASE_URL,
    connectionTimeoutMillis: 5000,
  })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

describe('keyshift serve when PostgreSQL refuses connections', {
  skip: postgres?.skip ?? 'no PostgreSQL backend',
}, () => {
  let testStore: TestStore
  let instance: ServedInstance | undefined
  let database = ''

  before(async () => {
    assert.ok(postgres)
    testStore = await postgres.create()
    await testStore.store.close()
    database = new URL(testStore.databaseUrl ?? '').pathname.slice(1)
    assert.match(database, /^ks_test_[0-9a-f]+$/)
    await startAndPrepare()
  })
  after(async () => {
    await administer(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => {})
    if (instance && instance.process.exitCode === null && instance.process.signalCode === null) {
      const exited = new Promise((done) => instance?.process.once('exit', done))
      instance.process.kill('SIGKILL')
      await exited
    }
    if (instance) await rm(instance.dataDir, { recursive: true, force: true })
    await testStore?.destroy()
  })

  let calls: Record<string, () => Promise<Answer>> = {}

  async function startAndPrepare(): Promise<void> {
    instance = await serve(
      [
        '--demo',
        '--api-rate-limit',
        'off',
        '--log-level',
        'warn',
        '--database-url',
        testStore.databaseUrl ?? '',
      ],
      { env: { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD } },
    )
    const base = instance.url
    const reader = await createClient(base, 'faults-reader')
    const issued = await tokenRequest(base, reader.client_id, reader.client_secret)
    assert.equal(issued.status, 200, issued.body)
    const token = (JSON.parse(issued.body) as { access_token: string }).access_token
    // Created now, never asked for a token: not in any cache when the database goes away.
    const fresh = await createClient(base, 'faults-fresh')
    calls = {
      'admin list clients': () =>
        call(`${base}/admin/v1/oauth2/clients`, { headers: { authorization: ADMIN } }),
      'token for an uncached client': () => tokenRequest(base, fresh.client_id, fresh.client_secret),
      'GET /api/invoices/1 uncached': () =>
        call(`${base}/api/invoices/1`, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        }),
    }
  }

  it('answers 503 with a clear body, quickly, while the database refuses connections', {
    timeout: 60_000,
  }, async (t) => {
    await administer(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`)
    await administer(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}'`)
    // The instance's caches keep records for a second: let them expire.
    await sleep(1500)

    const down: Record<string, Answer> = {}
    for (const [name, request] of Object.entries(calls)) down[name] = await request()
    for (const [name, answer] of Object.entries(down)) {
      t.diagnostic(`down: ${name}: ${answer.status} in ${answer.ms} ms: ${answer.body}`)
    }
    const admin = down['admin list clients'] as Answer
    assert.equal(admin.status, 503, admin.body)
    assert.equal(admin.headers.get('retry-after'), '5')
    assert.deepEqual(JSON.parse(admin.body), {
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'the store is unavailable; try again shortly',
    })
    const token503 = down['token for an uncached client'] as Answer
    assert.equal(token503.status, 503, token503.body)
    assert.deepEqual(JSON.parse(token503.body), {
      error: 'temporarily_unavailable',
      error_description: 'the store is unavailable; try again shortly',
    })
    const api = down['GET /api/invoices/1 uncached'] as Answer
    assert.equal(api.status, 503, api.body)
    assert.deepEqual(JSON.parse(api.body), {
      errors: { 'invoice-header': ['the store is unavailable; try again shortly'] },
    })
    for (const answer of Object.values(down)) assert.ok(answer.ms < 6000, `answered in ${answer.ms} ms`)
  })

  it('serves the same calls again, without a restart, once the database accepts connections', {
    timeout: 30_000,
  }, async (t) => {
    assert.ok(instance, 'the instance did not start')
    await administer(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`)
    const restoredAt = Date.now()
    for (const [name, request] of Object.entries(calls)) {
      let last: Answer | undefined
      while (Date.now() - restoredAt < 15_000) {
        last = await request()
        if (last.status === 200) break
        await sleep(250)
      }
      t.diagnostic(`up: ${name}: ${last?.status} after ${Date.now() - restoredAt} ms`)
      assert.equal(last?.status, 200, `${name} did not recover within 15 s: ${last?.status} ${last?.body}`)
    }
    assert.equal(instance.process.exitCode, null, 'the server exited')
  })

  it('exits on SIGTERM within 10 s after the outage', { timeout: 20_000 }, async () => {
    assert.ok(instance)
    const exited = new Promise<boolean>((done) => {
      instance?.process.once('exit', () => done(true))
      setTimeout(() => done(false), 10_000).unref()
    })
    instance.process.kill('SIGTERM')
    assert.equal(await exited, true, `no exit 10 s after SIGTERM:\n${instance.output()}`)
  })
})
