/**
 * An instance with the demo data set and a TestClock, for the authentication tests: the engine's
 * startApiInstance takes no clock. Also the helpers that read core API answers.
 */
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { seedDemoData } from '../../../src/api/demo/seed.ts'
import type { BuildOptions } from '../../../src/app.ts'
import { ISSUER, startInstance, TestClock, type TestInstance } from '../../instance.ts'
import type { StoreBackend } from '../../stores.ts'

export const REALM = `Bearer realm="${ISSUER}"`
export const JSON_TYPE = 'application/json; charset=utf-8'

export interface AuthInstance extends TestInstance {
  clock: TestClock
  /** GET `url` of the core API with these headers, Accept JSON unless given. */
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  /** An access token from the real token endpoint. */
  token(client: { client_id: string; client_secret: string }, scope?: string): Promise<string>
}

/** Rate limit off unless `apiRateLimit` is given: these tests send many requests at one instant. */
export async function startAuthInstance(
  backend: StoreBackend,
  options: Partial<Pick<BuildOptions, 'apiRateLimit'>> = { apiRateLimit: false },
): Promise<AuthInstance> {
  const clock = new TestClock()
  const t = await startInstance(backend, { clock, ...options })
  await seedDemoData(t.testStore.store, { now: clock.now(), scale: 0.05 })
  return {
    ...t,
    clock,
    get(url, headers = {}) {
      return t.instance.app.inject({
        method: 'GET',
        url,
        headers: { accept: 'application/json', ...headers },
      })
    },
    async token(client, scope) {
      const response = await t.form('/oauth2/token', {
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: client.client_secret,
        ...(scope !== undefined && { scope }),
      })
      assert.equal(response.statusCode, 200, response.body)
      return response.json().access_token
    },
  }
}

/** Asserts a core API error in Coupa's JSON format: status, body and content type. */
export function assertCoupaError(
  response: LightMyRequestResponse,
  status: number,
  messages: string[],
  resource = 'invoice-header',
): void {
  assert.equal(response.statusCode, status, response.body)
  assert.equal(response.headers['content-type'], JSON_TYPE)
  assert.deepEqual(response.json(), { errors: { [resource]: messages } })
}

/** The auth-params of an RFC 6750 challenge: `Bearer realm="…", error="…"` → { realm, error }. */
export function challengeParams(header: unknown): Record<string, string> {
  assert.equal(typeof header, 'string')
  const text = header as string
  assert.match(text, /^Bearer /)
  const params: Record<string, string> = {}
  // RFC 9110 §11.2 auth-param: token = ( token / quoted-string ), separated by commas.
  const param = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)="((?:[^"\\]|\\.)*)"\s*(,|$)/y
  param.lastIndex = 'Bearer '.length
  while (param.lastIndex < text.length) {
    const at = param.lastIndex
    const match = param.exec(text)
    assert.ok(match, `malformed challenge at ${at}: ${text}`)
    params[match[1] as string] = match[2] as string
  }
  return params
}
