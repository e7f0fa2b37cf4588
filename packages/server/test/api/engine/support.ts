/**
 * An instance with the demo data set on a TestClock, and principals made to measure: a token with
 * exactly the scopes asked for, or an API key with exactly the permissions asked for.
 */
import type { LightMyRequestResponse } from 'fastify'
import { seedDemoData } from '../../../src/api/demo/seed.ts'
import type { BuildOptions } from '../../../src/app.ts'
import type { FieldDefinition, ResourceDefinition } from '../../../src/catalogue/index.ts'
import { startInstance, TestClock, type TestInstance, testDay } from '../../instance.ts'
import type { StoreBackend } from '../../stores.ts'

export interface ApiInstance extends TestInstance {
  /** The instance's clock; the demo data is seeded at its start. */
  clock: TestClock
  /** Authorization header of a fresh client that has exactly these scopes. */
  bearer(scopes: string[]): Promise<Record<string, string>>
  /** X-COUPA-API-KEY header of a fresh key with these permissions (null: every API). */
  apiKey(permissions: string[] | null): Promise<Record<string, string>>
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    auth: Record<string, string>,
    options?: { accept?: string; body?: string; contentType?: string },
  ): Promise<LightMyRequestResponse>
}

let made = 0

export async function startApiInstance(
  backend: StoreBackend,
  options: {
    rateLimit?: boolean
    throttle?: BuildOptions['throttle']
    maxFileBytes?: number
    timeZone?: string
  } = {},
): Promise<ApiInstance> {
  const clock = new TestClock()
  const t = await startInstance(backend, {
    clock,
    ...(options.rateLimit ? {} : { apiRateLimit: false }),
    ...(options.throttle && { throttle: options.throttle }),
    ...(options.maxFileBytes && { maxFileBytes: options.maxFileBytes }),
    ...(options.timeZone && { timeZone: options.timeZone }),
  })
  await seedDemoData(t.testStore.store, { now: clock.now(), scale: 0.05 })
  return {
    ...t,
    clock,
    async bearer(scopes) {
      const { client } = await t.instance.clients.create({
        name: `client ${++made}`,
        grantType: 'client_credentials',
        scopes,
        login: `api-test-${made}`,
      })
      const { token } = await t.instance.tokens.issue(client.clientId, scopes.join(' '))
      return { authorization: `Bearer ${token}` }
    },
    async apiKey(permissions) {
      const { key } = await t.instance.apiKeys.create({
        name: `key ${++made}`,
        contactLogin: `key-${made}`,
        contactEmail: `key-${made}@example.com`,
        permissions,
      })
      return { 'x-coupa-api-key': key }
    },
    call(method, url, auth, { accept = 'application/json', body, contentType = 'application/json' } = {}) {
      return t.instance.app.inject({
        method,
        url,
        headers: { ...auth, accept, ...(body !== undefined && { 'content-type': contentType }) },
        ...(body !== undefined && { payload: body }),
      })
    },
  }
}

/** A valid JSON body for creating a record of `def`: its required fields, references to record 1. */
export function sampleBody(def: ResourceDefinition): string {
  return JSON.stringify(sample(def.fields))
}

function sample(fields: readonly FieldDefinition[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const field of fields) {
    if (field.kind === 'lines') {
      out[field.name.replace(/_/g, '-')] = [sample(field.fields.filter((f) => 'required' in f && f.required))]
      continue
    }
    if (!field.required) continue
    const name = field.name.replace(/_/g, '-')
    if (field.kind === 'reference') out[name] = { id: 1 }
    else if (field.values) out[name] = field.values[0]
    else {
      out[name] = {
        integer: 7,
        float: 1.5,
        decimal: '12.34',
        boolean: true,
        datetime: `${testDay(-26)}T00:00:00Z`,
        date: testDay(-26),
        string: `value ${++made}`,
      }[field.type]
    }
  }
  return out
}
