/**
 * An instance with the demo data set, a TestClock and a usage ledger that writes only when told
 * (`flush()`), for the transition tests; keys and clients made through the admin API.
 */
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { seedDemoData } from '../../src/api/demo/seed.ts'
import type { BuildOptions } from '../../src/app.ts'
import { startInstance, TEST_NOW, TestClock, type TestInstance } from '../instance.ts'
import type { StoreBackend } from '../stores.ts'

/** The transition tests' start: the TestClock's. */
export const T = TEST_NOW
export const SECOND = 1000
export const HOUR = 3_600_000
export const DAY = 86_400_000
export const USER_AGENT = 'curl/8.0'

export interface TransitionInstance extends TestInstance {
  clock: TestClock
  /** POST /admin/v1/api-keys; the key's id and the headers that send it. */
  createKey(name: string, permissions?: string[]): Promise<{ id: string; headers: Record<string, string> }>
  /** An OAuth client with these scopes and a token for it. */
  createOAuthClient(
    name: string,
    scopes: string[],
  ): Promise<{ id: string; client_id: string; headers: Record<string, string> }>
  /** A core API call with Accept JSON (unless given) and the user agent USER_AGENT. */
  call(
    method: 'GET' | 'PUT',
    url: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<LightMyRequestResponse>
  /** `n` calls, each answered 2xx–4xx but not 401/403. */
  calls(n: number, method: 'GET' | 'PUT', url: string, headers: Record<string, string>): Promise<void>
  flush(): Promise<void>
  /** GET /admin/v1/transition/<path>, 200 expected; the JSON body. */
  report(path: string): Promise<Record<string, unknown>>
}

let made = 0

export async function startTransitionInstance(
  backend: StoreBackend,
  options: Partial<Omit<BuildOptions, 'store' | 'clock'>> = {},
): Promise<TransitionInstance> {
  const clock = new TestClock(T)
  const t = await startInstance(backend, {
    clock,
    apiRateLimit: false,
    // Written only by flush(): the tests decide when the store sees the counts.
    usageLedger: { flushIntervalMs: 3_600_000 },
    ...options,
  })
  await seedDemoData(t.testStore.store, { now: T, scale: 0.05 })
  const call: TransitionInstance['call'] = (method, url, headers, body) =>
    t.instance.app.inject({
      method,
      url,
      headers: {
        accept: 'application/json',
        'user-agent': USER_AGENT,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { payload: body }),
    })
  return {
    ...t,
    clock,
    call,
    async createKey(name, permissions) {
      made++
      const response = await t.admin('POST', '/api-keys', {
        name,
        contact_login: `transition-${made}`,
        contact_email: `transition-${made}@example.com`,
        ...(permissions && { permissions }),
      })
      assert.equal(response.statusCode, 201, response.body)
      const { id, key } = response.json()
      return { id, headers: { 'x-coupa-api-key': key } }
    },
    async createOAuthClient(name, scopes) {
      const client = await t.createClient({ name, scopes, login: `oauth-${++made}` })
      const { token } = await t.instance.tokens.issue(client.client_id, scopes.join(' '))
      return { id: client.id, client_id: client.client_id, headers: { authorization: `Bearer ${token}` } }
    },
    async calls(n, method, url, headers) {
      for (let i = 0; i < n; i++) {
        const response = await call(method, url, headers, method === 'PUT' ? '{}' : undefined)
        assert.ok(![401, 403].includes(response.statusCode), `${method} ${url}: ${response.body}`)
      }
    },
    async flush() {
      await t.instance.ledger?.flush()
    },
    async report(path) {
      const response = await t.admin('GET', `/transition/${path}`)
      assert.equal(response.statusCode, 200, response.body)
      return response.json()
    },
  }
}

/** Asserts an RFC 9457 problem document: status, and the fields named in `errors`. */
export function assertProblem(
  response: LightMyRequestResponse,
  status: number,
  errors?: Record<string, string[]>,
): Record<string, unknown> {
  assert.equal(response.statusCode, status, response.body)
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/)
  const body = response.json()
  assert.equal(body.status, status)
  if (errors) assert.deepEqual(body.errors, errors)
  return body
}
