/**
 * A built instance on a fresh store of one backend, driven in-process with `app.inject()`.
 */
import type { LightMyRequestResponse } from 'fastify'
import { type BuildOptions, build, type Instance } from '../src/app.ts'
import type { Clock } from '../src/contract/clock.ts'
import type { StoreBackend, TestStore } from './stores.ts'

export const ISSUER = 'http://keyshift.test'
export const ADMIN_PASSWORD = 'correct horse battery staple'
export const adminAuth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`

/** The instant every TestClock starts at, unless told otherwise; test dates are counted from it. */
export const TEST_NOW = Date.parse('2026-11-27T12:00:00Z')

const DAY_MS = 86_400_000

/** The UTC date (`YYYY-MM-DD`) `days` days after TEST_NOW (before it when negative). */
export function testDay(days: number): string {
  return new Date(TEST_NOW + days * DAY_MS).toISOString().slice(0, 10)
}

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(public time = TEST_NOW) {}
  now(): number {
    return this.time
  }
  advance(ms: number): void {
    this.time += ms
  }
}

export interface CreatedClient {
  id: string
  client_id: string
  client_secret: string
  scopes: string[]
  scope: string
  [field: string]: unknown
}

export interface TestInstance {
  instance: Instance
  testStore: TestStore
  /** POST /admin/v1/oauth2/clients as admin; fails the test unless 201. */
  createClient(body?: Record<string, unknown>): Promise<CreatedClient>
  admin(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse>
  /** POST a form to an OAuth endpoint. `basic` sends HTTP Basic with these credentials. */
  form(
    url: string,
    params: Record<string, string>,
    options?: { basic?: [string, string] },
  ): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

let logins = 0

export async function startInstance(
  backend: StoreBackend,
  options: Partial<Omit<BuildOptions, 'store'>> = {},
): Promise<TestInstance> {
  const testStore = await backend.create()
  const instance = await build({ store: testStore.store, issuer: ISSUER, syncIntervalMs: 60_000, ...options })
  await instance.adminUsers.create('admin', ADMIN_PASSWORD)
  const admin: TestInstance['admin'] = (method, url, body) =>
    instance.app.inject({
      method,
      url: `/admin/v1${url}`,
      headers: { authorization: adminAuth },
      ...(body !== undefined && { payload: body as object }),
    })
  return {
    instance,
    testStore,
    admin,
    async createClient(body = {}) {
      const response = await admin('POST', '/oauth2/clients', {
        name: 'Invoice export',
        grant_type: 'client_credentials',
        scopes: ['core.invoice.read', 'core.common.read'],
        login: `integration-${++logins}`,
        ...body,
      })
      if (response.statusCode !== 201)
        throw new Error(`create client: ${response.statusCode} ${response.body}`)
      return response.json()
    },
    form(url, params, { basic } = {}) {
      return instance.app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(basic && { authorization: basicHeader(...basic) }),
        },
        payload: new URLSearchParams(params).toString(),
      })
    },
    async close() {
      await instance.close()
      await testStore.destroy()
    },
  }
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined by ':' and base64-encoded. */
export function basicHeader(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+')
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`
}
