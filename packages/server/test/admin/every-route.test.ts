import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { basicHeader, startInstance, type TestInstance } from '../instance.ts'
import { storeBackends } from '../stores.ts'

const [sqlite] = storeBackends

/** Every route of the app as [method, path], read from Fastify's own route tree. */
function routesOf(tree: string): Array<[string, string]> {
  const routes: Array<[string, string]> = []
  const stack: Array<{ depth: number; path: string }> = []
  for (const line of tree.split('\n')) {
    const match = /^([│ ├└─]*)(\S+) \(([A-Z, ]+)\)$/.exec(line)
    if (!match) continue
    const depth = (match[1] ?? '').length
    while (stack.length > 0 && (stack.at(-1)?.depth ?? 0) >= depth) stack.pop()
    const path = `${stack.at(-1)?.path ?? ''}${match[2]}`
    stack.push({ depth, path })
    for (const method of (match[3] ?? '').split(', ')) routes.push([method, path])
  }
  return routes
}

/** The OpenAPI documents describe the APIs and hold no secret: anyone may read them (openapi.test.ts). */
const isPublicDocument = (method: string, path: string) =>
  (method === 'GET' || method === 'HEAD') &&
  (path === '/admin/v1/openapi.json' || path === '/api/openapi.json')

describe('every admin API route refuses anonymous and wrong-credential calls', () => {
  let t: TestInstance
  before(async () => {
    // Many wrong passwords in a row: the throttle (tested in sessions.test.ts) would answer 429.
    t = await startInstance(sqlite as NonNullable<typeof sqlite>, {
      throttle: { maxFailuresPerAddress: 1e6, maxFailuresPerClient: 1e6, freeFailures: 1e6 },
    })
  })
  after(() => t.close())

  it('walks the route tree and finds the admin routes', () => {
    const admin = routesOf(t.instance.app.printRoutes({ commonPrefix: false })).filter(([, path]) =>
      path.startsWith('/admin/'),
    )
    assert.ok(admin.length >= 15, `only ${admin.length} admin routes found`)
  })

  it('answers 401 to every admin route without credentials and with wrong ones', async () => {
    // Signing in and the OpenAPI document are the admin routes open to anonymous calls; the
    // refusals of signing in are checked below.
    const admin = routesOf(t.instance.app.printRoutes({ commonPrefix: false })).filter(
      ([method, path]) =>
        path.startsWith('/admin/') &&
        !(method === 'POST' && path === '/admin/v1/session') &&
        !isPublicDocument(method, path),
    )
    // Each Basic check costs a scrypt (0.7 s or more on a loaded 2-core machine): a wrong password
    // of the real admin on every route, an unknown user (checked against a decoy hash) on the first.
    for (const [index, [method, path]] of admin.entries()) {
      const url = path.replace(/:[a-z_]+/g, 'x')
      for (const authorization of [
        undefined,
        basicHeader('admin', 'wrong'),
        ...(index === 0 ? [basicHeader('nobody', 'x')] : []),
        'Bearer x',
      ]) {
        const response = await t.instance.app.inject({
          method: method as 'GET',
          url,
          headers: { ...(authorization && { authorization }), 'content-type': 'application/json' },
          payload: method === 'GET' || method === 'HEAD' ? undefined : '{}',
        })
        assert.equal(
          response.statusCode,
          401,
          `${method} ${url} with ${authorization ?? 'nothing'}: ${response.statusCode}`,
        )
      }
    }
  })

  it('refuses sign-in with a wrong password or an unknown user (401, no cookie)', async () => {
    for (const [username, password] of [
      ['admin', 'wrong'],
      ['nobody', 'x'],
    ]) {
      const response = await t.instance.app.inject({
        method: 'POST',
        url: '/admin/v1/session',
        payload: { username, password },
      })
      assert.equal(response.statusCode, 401, `${username}: ${response.statusCode}`)
      assert.equal(response.headers['set-cookie'], undefined)
    }
  })

  it('answers 401 to every core API route without credentials', async () => {
    const api = routesOf(t.instance.app.printRoutes({ commonPrefix: false })).filter(
      ([method, path]) => path.startsWith('/api/') && !isPublicDocument(method, path),
    )
    assert.ok(api.length > 50)
    for (const [method, path] of api) {
      const url = path.replace(/:[a-z_]+/g, '1')
      const response = await t.instance.app.inject({ method: method as 'GET', url })
      assert.equal(response.statusCode, 401, `${method} ${url}: ${response.statusCode}`)
    }
  })
})
