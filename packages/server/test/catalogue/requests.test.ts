import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { type ApiRouteDeps, apiRoutes } from '../../src/api/routes.ts'
import type { Principal } from '../../src/auth/principal.ts'
import {
  findResource,
  permissionOfRequest,
  permissionTable,
  type ResourcePermission,
  resources,
} from '../../src/catalogue/index.ts'

/** The request that asks for `permission` on the API: method and path. */
function requestFor({ resource, action }: ResourcePermission): {
  method: 'GET' | 'POST' | 'PUT'
  url: string
} {
  if (action === 'index') return { method: 'GET', url: `/api/${resource}` }
  if (action === 'show') return { method: 'GET', url: `/api/${resource}/12` }
  if (action === 'create') return { method: 'POST', url: `/api/${resource}` }
  if (action === 'update') return { method: 'PUT', url: `/api/${resource}/12` }
  switch (action) {
    case 'attachments':
    case 'comments':
    case 'retrieve_image_scan':
      return { method: 'GET', url: `/api/${resource}/12/${action}` }
    case 'add_attachment':
      return { method: 'POST', url: `/api/${resource}/12/attachments` }
    case 'add_comment':
      return { method: 'POST', url: `/api/${resource}/12/comments` }
  }
  return { method: 'PUT', url: `/api/${resource}/12/${action}` }
}

/**
 * The real core API routes, with a caller whose only scope is the `x-test-scope` header and a
 * ledger that writes down every call the routes permitted. Nothing behind the permit step is
 * wired: a permitted call fails afterwards, which does not matter here.
 */
async function routesWithLedger(seen: string[]): Promise<FastifyInstance> {
  const app = Fastify()
  const deps = {
    issuer: 'http://keyshift.test',
    resources,
    resolve: findResource,
    realm: 'http://keyshift.test',
    async authenticate() {
      return { principal: null, headers: {} }
    },
    ledger: {
      record(_principal: unknown, resource: string, action: string) {
        seen.push(`${resource}#${action}`)
      },
    },
  } as unknown as ApiRouteDeps
  await app.register(apiRoutes, { prefix: '/api', ...deps })
  app.addHook('preHandler', async function scopedPrincipal(request) {
    const scope = String(request.headers['x-test-scope'] ?? '')
    const principal: Principal = { kind: 'client', id: 'c', label: 'c', scopes: new Set([scope]) }
    request.principal = principal
  })
  return app
}

describe('permissionOfRequest: the resource#action and scope of a core API request', () => {
  const seen: string[] = []
  let app: FastifyInstance
  before(async () => {
    app = await routesWithLedger(seen)
  })
  after(() => app.close())

  it('maps the request of every permission of the catalogue back to it, with its scope', () => {
    for (const permission of permissionTable) {
      const { method, url } = requestFor(permission)
      const { resource, action, scope } = permission
      assert.deepEqual(permissionOfRequest(method, url), { resource, action, scope }, `${method} ${url}`)
    }
  })

  it('agrees with the API routes: each such request is permitted with that scope, refused without', async () => {
    for (const permission of permissionTable) {
      const { method, url } = requestFor(permission)
      const predicted = permissionOfRequest(method, url)
      seen.length = 0
      const refused = await app.inject({ method, url, headers: { 'x-test-scope': 'openid' } })
      assert.equal(refused.statusCode, 403, `${method} ${url} without its scope`)
      assert.deepEqual(seen, [], `${method} ${url} is not counted when refused`)
      await app.inject({ method, url, headers: { 'x-test-scope': predicted.scope ?? '' } })
      assert.deepEqual(seen, [`${predicted.resource}#${predicted.action}`], `${method} ${url}`)
    }
  })

  it('ignores the query and a trailing slash, and takes any id', () => {
    const void_ = { resource: 'invoices', action: 'void', scope: 'core.invoice.delete' }
    assert.deepEqual(permissionOfRequest('PUT', '/api/invoices/12/void?return_object=none'), void_)
    assert.deepEqual(permissionOfRequest('put', '/api/invoices/INV-12/void/'), void_)
    assert.deepEqual(permissionOfRequest('PUT', '/api/invoices/12/%76oid'), void_)
    assert.deepEqual(permissionOfRequest('GET', '/api/suppliers/?name=Acme'), {
      resource: 'suppliers',
      action: 'index',
      scope: 'core.supplier.read',
    })
    assert.deepEqual(permissionOfRequest('HEAD', '/api/suppliers/abc'), {
      resource: 'suppliers',
      action: 'show',
      scope: 'core.supplier.read',
    })
  })

  it('names what the catalogue does not know by the same rules, with scope null', () => {
    const cases: Array<[string, string, string, string]> = [
      ['GET', '/api/projects', 'projects', 'index'],
      ['GET', '/api/projects/7?fields=["id"]', 'projects', 'show'],
      ['POST', '/api/projects/', 'projects', 'create'],
      ['PUT', '/api/projects/7', 'projects', 'update'],
      ['PUT', '/api/projects/7/close', 'projects', 'close'],
      ['DELETE', '/api/suppliers/1/addresses/2', 'remit_to_addresses', 'delete'],
      ['GET', '/api/contracts/1/attachments', 'contracts', 'attachments'],
      ['POST', '/api/contracts/1/attachments', 'contracts', 'add_attachment'],
      ['GET', '/api/suppliers/1/comments/2', 'suppliers', 'comments'],
      ['PUT', '/api/invoices/1/attachments/2', 'invoices', 'attachments'],
      ['PUT', '/api/invoices/1/no_such_action', 'invoices', 'no_such_action'],
      ['GET', '/api/invoices/1/void', 'invoices', 'void'],
      ['DELETE', '/api/invoices/1', 'invoices', 'delete'],
      ['PATCH', '/api/suppliers/1', 'suppliers', 'patch'],
      ['POST', '/api/invoices/1', 'invoices', 'post'],
      ['GET', '/api', '(none)', 'index'],
      ['GET', '/api/', '(none)', 'index'],
    ]
    for (const [method, path, resource, action] of cases) {
      assert.deepEqual(
        permissionOfRequest(method, path),
        { resource, action, scope: null },
        `${method} ${path}`,
      )
    }
  })

  it('names the sub-resources under a record with the scope their routes need (nested.ts)', () => {
    const cases: Array<[string, string, string, string, string]> = [
      ['GET', '/api/invoices/1/attachments', 'invoices', 'attachments', 'core.invoice.read'],
      ['GET', '/api/invoices/1/attachments/2', 'invoices', 'attachments', 'core.invoice.read'],
      ['GET', '/api/invoices/1/attachments/2/download', 'invoices', 'attachments', 'core.invoice.read'],
      ['POST', '/api/invoices/1/attachments', 'invoices', 'add_attachment', 'core.invoice.create'],
      [
        'POST',
        '/api/purchase_orders/1/attachments',
        'purchase_orders',
        'add_attachment',
        'core.purchase_order.write',
      ],
      ['GET', '/api/requisitions/1/attachments', 'requisitions', 'attachments', 'core.requisition.read'],
      ['GET', '/api/requisitions/1/comments/3', 'requisitions', 'comments', 'core.comment.read'],
      ['POST', '/api/invoices/1/comments', 'invoices', 'add_comment', 'core.comment.write'],
      ['PUT', '/api/invoices/1/image_scan', 'invoices', 'image_scan', 'core.invoice.write'],
      ['GET', '/api/invoices/1/retrieve_image_scan', 'invoices', 'retrieve_image_scan', 'core.invoice.read'],
      ['GET', '/api/suppliers/4/addresses', 'remit_to_addresses', 'index', 'core.supplier.read'],
      ['GET', '/api/suppliers/4/addresses/9', 'remit_to_addresses', 'show', 'core.supplier.read'],
      ['POST', '/api/suppliers/4/addresses', 'remit_to_addresses', 'create', 'core.supplier.write'],
      ['PUT', '/api/suppliers/4/addresses/9', 'remit_to_addresses', 'update', 'core.supplier.write'],
    ]
    for (const [method, path, resource, action, scope] of cases) {
      assert.deepEqual(permissionOfRequest(method, path), { resource, action, scope }, `${method} ${path}`)
    }
  })

  it('names POST /api/graphql graphql#query, with scope null: the query in the body decides the scopes', async () => {
    const graphql = { resource: 'graphql', action: 'query', scope: null }
    assert.deepEqual(permissionOfRequest('POST', '/api/graphql'), graphql)
    assert.deepEqual(permissionOfRequest('post', '/api/graphql/?x=1'), graphql)
    assert.deepEqual(permissionOfRequest('GET', '/api/graphql'), {
      resource: 'graphql',
      action: 'index',
      scope: null,
    })
    // The route exists (not a 404) and asks each object type's read scope of the query.
    const answer = await app.inject({
      method: 'POST',
      url: '/api/graphql',
      headers: { 'content-type': 'application/json' },
      payload: '{"query":"{ users { id } }"}',
    })
    assert.equal(answer.statusCode, 403, answer.body)
    assert.match(answer.body, /needs the scope core\.user\.read/)
  })

  it('gives scope null exactly where the API has no route', async () => {
    for (const [method, url] of [
      ['GET', '/api/invoices/1/void'],
      ['PUT', '/api/invoices/1/no_such_action'],
      ['GET', '/api/projects'],
    ] as const) {
      const answer = await app.inject({ method, url, headers: { 'x-test-scope': 'core.invoice.delete' } })
      assert.equal(answer.statusCode, 404, `${method} ${url}`)
      assert.equal(permissionOfRequest(method, url).scope, null)
    }
  })
})
