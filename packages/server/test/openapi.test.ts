/**
 * The OpenAPI descriptions of the core API (src/api/openapi.ts) and the admin API
 * (src/admin/openapi.ts): valid OpenAPI 3.1, every route the server registers described, and the
 * admin API's real answers valid against the schemas its document gives them.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { LightMyRequestResponse, RouteOptions } from 'fastify'
import { seedDemoData } from '../src/api/demo/seed.ts'
import { resources } from '../src/catalogue/index.ts'
import { SETUP_PAGES } from '../src/setup-ui/routes.ts'
import { ADMIN_PASSWORD, adminAuth, startInstance, TestClock, type TestInstance } from './instance.ts'
import { storeBackends } from './stores.ts'

const [sqlite] = storeBackends

interface Operation {
  operationId?: string
  responses: Record<string, { content?: Record<string, unknown> }>
}
interface OpenApiDocument {
  [field: string]: unknown
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, object> }
}

interface Route {
  method: string
  /** With Fastify's parameters: `/api/invoices/:id`. */
  url: string
  handler: string
}

/** An operation as a document names it: `GET /admin/v1/oauth2/clients/{id}`. */
type OperationKey = string

describe('the OpenAPI descriptions', () => {
  let t: TestInstance
  let setupPages: string
  const routes: Route[] = []
  let documents: Record<'core' | 'admin', OpenApiDocument>

  before(async () => {
    // Registered, so that their exemption below is exercised; not built, so they would answer 503.
    setupPages = await mkdtemp(join(tmpdir(), 'keyshift-pages-'))
    // The dates below (key expiry, sunset, brownout) are in this clock's future, whatever the day.
    const clock = new TestClock()
    t = await startInstance(sqlite as NonNullable<typeof sqlite>, {
      clock,
      setupUi: { root: setupPages },
      onRoute(route: RouteOptions) {
        for (const method of [route.method].flat()) {
          routes.push({ method, url: route.url, handler: route.handler.name })
        }
      },
    })
    await seedDemoData(t.testStore.store, { now: clock.now(), scale: 0.05 })
    // Without credentials: a document describes, it holds no secret.
    const fetchDocument = async (url: string) => {
      const response = await t.instance.app.inject(url)
      assert.equal(response.statusCode, 200, `${url}: ${response.body}`)
      return response.json() as OpenApiDocument
    }
    documents = {
      core: await fetchDocument('/api/openapi.json'),
      admin: await fetchDocument('/admin/v1/openapi.json'),
    }
  })
  after(async () => {
    await t.close()
    await rm(setupPages, { recursive: true, force: true })
  })

  describe('are valid OpenAPI 3.1', () => {
    for (const name of ['core', 'admin'] as const) {
      it(`the ${name} API's, by @seriousme/openapi-schema-validator`, async () => {
        const validator = new Validator()
        const result = await validator.validate(structuredClone(documents[name]))
        assert.equal(validator.version, '3.1')
        assert.ok(result.valid, JSON.stringify(result.errors, null, 2))
      })

      it(`the ${name} API's schemas compile as JSON Schema 2020-12, every $ref found`, () => {
        const ajv = documentAjv(documents[name])
        for (const id of Object.keys(documents[name].components.schemas)) {
          assert.doesNotThrow(() => ajv.getSchema(`${BASE}#/components/schemas/${id}`), id)
        }
        for (const [key, pointer] of responseSchemas(documents[name])) {
          assert.doesNotThrow(() => ajv.compile({ $ref: `${BASE}#${pointer}` }), key)
        }
      })
    }
  })

  describe('describe every route the server registers', () => {
    it('sees the routes as Fastify registers them', () => {
      assert.ok(routes.some((r) => r.url === '/oauth2/token'))
      assert.ok(routes.filter((r) => r.url.startsWith('/admin/v1/')).length >= 28)
    })

    it('each /api route in the core document, each /admin/v1 route in the admin one, the rest exempt', () => {
      const missing = routes.flatMap((route) =>
        exemption(route, routes) ? [] : describedAs(route).filter((op) => !has(documents, op)),
      )
      assert.deepEqual(missing, [])
    })

    it("names each admin operation after its route's handler", () => {
      const misnamed = routes
        .filter((route) => route.url.startsWith('/admin/v1/') && route.method !== 'HEAD')
        .map((route) => {
          const path = route.url.replace(/:(\w+)/g, '{$1}')
          const operationId = documents.admin.paths[path]?.[route.method.toLowerCase()]?.operationId
          return { route: `${route.method} ${path}`, handler: route.handler, operationId }
        })
        .filter(({ handler, operationId }) => handler !== operationId)
      assert.deepEqual(misnamed, [])
    })

    it('and no operation the server does not have', () => {
      const registered = new Set(routes.flatMap((route) => describedAs(route).map((op) => op.key)))
      for (const name of ['core', 'admin'] as const) {
        const extra = operationsOf(documents[name]).filter((key) => !registered.has(key))
        assert.deepEqual(extra, [], `${name} document`)
      }
    })
  })

  describe("the admin API's answers match the schemas its document gives them", () => {
    let ajv: Ajv2020
    const called = new Set<OperationKey>()
    let client: Answer
    let key: Answer
    let invoiceId: string
    before(() => {
      ajv = documentAjv(documents.admin)
    })

    /**
     * Calls an admin operation (as admin, unless `headers` say otherwise), checks that it answers
     * `status` (by default the one success the document gives it) with a body its document
     * describes for that status, and answers the body.
     */
    async function call(method: string, template: string, options: CallOptions = {}): Promise<Answer> {
      const path = `/admin/v1${template}`
      const key = `${method} ${path}`
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? '')
      const response = await t.instance.app.inject({
        method: method as 'GET',
        url,
        headers: options.headers ?? { authorization: adminAuth },
        ...(options.body !== undefined && { payload: options.body as object }),
      })
      const status = options.status ?? successOf(documents.admin, key)
      assert.equal(response.statusCode, status, `${key}: ${response.body}`)
      checkAnswer(ajv, documents.admin, key, response)
      called.add(key)
      return { response, body: response.body ? response.json() : {} }
    }

    it('a created client, the client list, and every other client operation', async () => {
      client = await call('POST', '/oauth2/clients', { body: newClient })
      const byId = { params: { id: String(client.body.id) } }
      await call('GET', '/oauth2/clients')
      await call('GET', '/oauth2/clients/{id}', byId)
      await call('PATCH', '/oauth2/clients/{id}', { ...byId, body: { contact_email: null } })
      await call('POST', '/oauth2/clients/{id}/deactivate', byId)
      await call('POST', '/oauth2/clients/{id}/activate', byId)
      await call('POST', '/oauth2/clients/{id}/tokens/revoke', byId)
      await call('POST', '/oauth2/clients/{id}/secret', { ...byId, body: { grace_period_seconds: 60 } })
      await call('POST', '/oauth2/clients/{id}/secret', { ...byId, body: { revoke_tokens: true } })
    })

    it('an API key, the key list, and every other key operation', async () => {
      key = await call('POST', '/api-keys', { body: newApiKey })
      const byId = { params: { id: String(key.body.id) } }
      await call('GET', '/api-keys')
      await call('GET', '/api-keys/{id}', byId)
      await call('PUT', '/api-keys/{id}/replacement', { ...byId, body: { client_id: client.body.client_id } })
      await call('PUT', '/api-keys/{id}/signals', { ...byId, body: { sunset_at: '2027-06-01T00:00:00Z' } })
      // A change through the key: the transition's reports and the integration history have an entry.
      const headers = { 'x-coupa-api-key': String(key.body.key), accept: 'application/json' }
      const drafts = await t.instance.app.inject({ url: '/api/invoices?status=draft&limit=1', headers })
      invoiceId = String(drafts.json()[0]?.id)
      const change = await t.instance.app.inject({
        method: 'PUT',
        url: `/api/invoices/${invoiceId}`,
        headers,
        payload: { 'tax-amount': '1.00' },
      })
      assert.equal(change.statusCode, 200, change.body)
      await t.instance.ledger?.flush()
    })

    it('the transition status, its other reports, settings and revoke', async () => {
      await call('PUT', '/transition/settings', { body: { brownouts: [brownout] } })
      await call('GET', '/transition/settings')
      // Not empty: an empty list would match any schema of its items.
      const lists = { status: 'keys', review: 'api_keys', plan: 'keys', usage: 'days' }
      for (const [report, list] of Object.entries(lists)) {
        const { body } = await call('GET', `/transition/${report}`)
        assert.ok((body[list] as unknown[]).length > 0, `${report}: ${JSON.stringify(body)}`)
      }
      await call('POST', '/transition/revoke', { body: { api_key_ids: [key.body.id], dry_run: true } })
      // The key is in use, not ready: refused with its own problem, then revoked with force.
      const byId = { params: { id: String(key.body.id) } }
      const refused = await call('POST', '/api-keys/{id}/revoke', { ...byId, status: 409 })
      assert.equal(refused.body.state, 'in_use')
      await call('POST', '/api-keys/{id}/revoke', { ...byId, body: { force: true } })
      const audit = await call('GET', '/transition/audit')
      assert.ok((audit.body.entries as unknown[]).length > 0)
    })

    it('the scopes, the signing keys, the integration history and the document', async () => {
      await call('GET', '/scopes')
      await call('GET', '/signing-keys')
      await call('POST', '/signing-keys/rotate')
      const history = await call('GET', '/integration-history/{resource}/{id}', {
        params: { resource: 'invoices', id: invoiceId },
      })
      assert.ok((history.body.entries as unknown[]).length > 0)
      await call('GET', '/openapi.json', { headers: {} })
    })

    it('a custom field, the list, its update and deactivation', async () => {
      const body = { resource: 'suppliers', name: 'erp-vendor-id', label: 'ERP Vendor ID', type: 'string' }
      const field = await call('POST', '/custom-fields', { body })
      const byId = { params: { id: String(field.body.id) } }
      await call('GET', '/custom-fields')
      await call('PATCH', '/custom-fields/{id}', { ...byId, body: { label: 'ERP vendor' } })
      await call('POST', '/custom-fields/{id}/deactivate', byId)
      await call('POST', '/custom-fields', { body, status: 409 })
    })

    it("the Setup pages' session: sign in, read it, sign out", async () => {
      const signIn = await call('POST', '/session', {
        headers: {},
        body: { username: 'admin', password: ADMIN_PASSWORD },
      })
      const cookie = String(signIn.response.headers['set-cookie']).split(';')[0] ?? ''
      await call('GET', '/session', { headers: { cookie } })
      const csrf = String(signIn.body.csrf_token)
      await call('DELETE', '/session', { headers: { cookie, 'x-csrf-token': csrf } })
    })

    it('refusals as problem details, `errors` naming the field', async () => {
      await call('GET', '/oauth2/clients/{id}', { params: { id: 'no-such-client' }, status: 404 })
      const blank = await call('POST', '/oauth2/clients', { body: { ...newClient, name: '' }, status: 400 })
      assert.deepEqual(blank.body.errors, { name: ['must not be blank'] })
      await call('POST', '/oauth2/clients', { body: newClient, status: 409 })
      await call('GET', '/api-keys', { headers: {}, status: 401 })
    })

    it('every operation of the admin document answered above', () => {
      const documented = operationsOf(documents.admin)
      assert.deepEqual(
        documented.filter((operation) => !called.has(operation)),
        [],
      )
    })
  })
})

interface CallOptions {
  params?: Record<string, string>
  body?: unknown
  headers?: Record<string, string>
  /** The status the call must answer (default: the operation's success). */
  status?: number
}

interface Answer {
  response: LightMyRequestResponse
  body: Record<string, unknown>
}

const BASE = 'https://keyshift.test/openapi.json'

const newClient = {
  name: 'Invoice export',
  scopes: ['core.invoice.read'],
  login: 'openapi-export',
  contact_email: 'ops@example.com',
}
const newApiKey = {
  name: 'Legacy export',
  contact_login: 'openapi-legacy',
  contact_email: 'legacy@example.com',
  expires_on: '2030-01-01',
  permissions: ['invoices#index', 'invoices#update'],
}
const brownout = { starts_at: '2027-01-05T10:00:00Z', ends_at: '2027-01-05T11:00:00Z' }

/**
 * Why a route is in neither document, or undefined when one must describe it. Only these
 * kinds are exempt; any other route that no document describes fails the test.
 */
function exemption(route: Route, all: readonly Route[]): string | undefined {
  if (route.method === 'HEAD' && all.some((r) => r.method === 'GET' && r.url === route.url)) {
    return 'Fastify answers HEAD for every GET: not an operation of its own'
  }
  if (SETUP_PAGES.includes(route.url) || route.url.startsWith('/setup/')) {
    return 'a Setup page: HTML for the browser, not an API'
  }
  if (route.url.startsWith('/oauth2/') || route.url.startsWith('/.well-known/')) {
    // RFC 8414 metadata (/.well-known/oauth-authorization-server) describes the authorization
    // server, and RFC 6749, 7009, 7517 and 7662 its form-encoded endpoints; the core document
    // names the token endpoint as its OAuth 2.0 flow.
    return 'the OAuth 2.0 authorization server, described by its metadata'
  }
  if (
    route.url.startsWith('/api/') &&
    ['DELETE', 'PATCH'].includes(route.method) &&
    route.handler === 'notAllowed'
  ) {
    return "answers 405 only: Coupa's API creates with POST, updates with PUT and deletes nothing"
  }
  if (route.url === '/api/openapi.json') {
    return 'the core document itself (api/openapi.ts does not list it; the admin document lists its own)'
  }
  return undefined
}

/** The operations a route is described as, in the document that must describe it. */
function describedAs(route: Route): Array<{ document: 'core' | 'admin' | null; key: OperationKey }> {
  const path = route.url.replace(/:(\w+)/g, '{$1}')
  const action = /^\/api\/([^/]+)\/\{id\}\/\{action\}$/.exec(path)
  if (action) {
    // One route serves every custom action of a resource; the document describes each action,
    // each with its own scope. A resource without actions answers 404 there.
    const def = resources.find((r) => r.name === action[1])
    return (def?.actions ?? []).map((a) => ({
      document: 'core',
      key: `${route.method} /api/${def?.name}/{id}/${a.name}`,
    }))
  }
  if (path.startsWith('/api/')) return [{ document: 'core', key: `${route.method} ${path}` }]
  if (path.startsWith('/admin/v1/')) return [{ document: 'admin', key: `${route.method} ${path}` }]
  // Under neither API: missing, unless exempt.
  return [{ document: null, key: `${route.method} ${path}` }]
}

function has(
  documents: Record<'core' | 'admin', OpenApiDocument>,
  op: ReturnType<typeof describedAs>[number],
) {
  return op.document !== null && operationsOf(documents[op.document]).includes(op.key)
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

function operationsOf(document: OpenApiDocument): OperationKey[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => METHODS.includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  )
}

/** The JSON pointer of every response schema, by `METHOD path status media-type`. */
function responseSchemas(document: OpenApiDocument): Array<[string, string]> {
  return operationsOf(document).flatMap((key) => {
    const [method = '', path = ''] = key.split(' ')
    const responses = document.paths[path]?.[method.toLowerCase()]?.responses ?? {}
    return Object.entries(responses).flatMap(([status, response]) =>
      Object.keys(response.content ?? {}).map((type): [string, string] => [
        `${key} ${status} ${type}`,
        responsePointer(path, method, status, type),
      ]),
    )
  })
}

/** https://www.rfc-editor.org/rfc/rfc6901#section-3 : `/` in a name is `~1`, `~` is `~0`. */
function responsePointer(path: string, method: string, status: string, type: string): string {
  const token = (name: string) => name.replaceAll('~', '~0').replaceAll('/', '~1')
  return `/paths/${token(path)}/${method.toLowerCase()}/responses/${status}/content/${token(type)}/schema`
}

/**
 * Ajv with the document as a schema, so that a schema is compiled where it stands and its
 * `#/components/schemas/…` resolve as they do in the document. Strict: a keyword that is not JSON
 * Schema fails. The formats zod writes are known (zod writes a `pattern` beside each, which Ajv
 * checks).
 */
function documentAjv(document: OpenApiDocument): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    formats: { 'date-time': true, date: true, email: true, uri: true },
  })
  for (const keyword of ['paths', 'components']) ajv.addKeyword(keyword)
  ajv.addSchema({ $id: BASE, paths: document.paths, components: document.components })
  return ajv
}

/** The one 2xx status the document gives an operation. */
function successOf(document: OpenApiDocument, key: OperationKey): number {
  const [method = '', path = ''] = key.split(' ')
  const operation = document.paths[path]?.[method.toLowerCase()]
  assert.ok(operation, `${key} is not in the document`)
  const success = Object.keys(operation.responses).filter((status) => status.startsWith('2'))
  assert.equal(success.length, 1, `${key}: success ${success}`)
  return Number(success[0])
}

/** Checks an answer against the response its operation documents for that status and type. */
function checkAnswer(
  ajv: Ajv2020,
  document: OpenApiDocument,
  key: OperationKey,
  response: LightMyRequestResponse,
) {
  const [method = '', path = ''] = key.split(' ')
  const operation = document.paths[path]?.[method.toLowerCase()]
  assert.ok(operation, `${key} is not in the document`)
  const status = String(response.statusCode)
  const documented =
    operation.responses[status] ?? (status.startsWith('2') ? undefined : operation.responses.default)
  assert.ok(documented, `${key} answered ${status}, which is not documented: ${response.body}`)
  if (!documented.content) {
    assert.equal(response.body, '', `${key} ${status} has no documented body`)
    return
  }
  const type = String(response.headers['content-type']).split(';')[0] ?? ''
  const answered = operation.responses[status] ? status : 'default'
  assert.ok(
    documented.content[type],
    `${key} ${status} answered ${type}, documented: ${Object.keys(documented.content)}`,
  )
  const validate = ajv.compile({ $ref: `${BASE}#${responsePointer(path, method, answered, type)}` })
  const body = response.json()
  assert.ok(validate(body), `${key} ${status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`)
}
