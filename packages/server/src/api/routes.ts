import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type AuthenticateApiRequest, type Authenticated, NO_HEADERS } from '../auth/authenticate.ts'
import { authorize } from '../auth/authorize.ts'
import type { Principal } from '../auth/principal.ts'
import type { CustomAction, ResourceDefinition } from '../catalogue/index.ts'
import { apiErrorHandler } from './error-handler.ts'
import { ApiError } from './errors.ts'
import { type Format, responseFormat } from './format.ts'
import { graphqlRoutes } from './graphql/routes.ts'
import { DEFAULT_MAX_FILE_BYTES } from './nested/files.ts'
import { nestedRoutes } from './nested/routes.ts'
import type { NestedService } from './nested/service.ts'
import { coreApiDocument } from './openapi.ts'
import { defaultQuerySpec, parseQuery, type QuerySpec } from './query/index.ts'
import type { Answer, ResourceReads } from './reads.ts'
import { noResultsXml, parseRequestBody, type ResolveResource } from './representation/index.ts'
import type { ScanLanes } from './scan-lanes.ts'
import type { ApiService, ExpandedRecord } from './service.ts'
import { supplierAddressRoutes } from './supplier-addresses/routes.ts'
import type { UsageRecorder } from './usage-recorder.ts'

export interface ApiRouteDeps {
  /** The instance's public URL: the servers and token URL of the OpenAPI document. */
  issuer: string
  service: ApiService
  reads: ResourceReads
  resources: readonly ResourceDefinition[]
  resolve: ResolveResource
  authenticate: AuthenticateApiRequest
  realm: string
  /** Counts each authorized call; absent: nothing is counted. */
  ledger?: UsageRecorder | undefined
  /** Each client's lane for the searches that read records one by one. */
  scans: ScanLanes
  /** Attachments, comments and image scans under a record (nested/). */
  nested: NestedService
  /** The largest uploaded file, in bytes (default 16 MiB). */
  maxFileBytes?: number | undefined
  /** The instance's custom fields, applied to a resource for each request (api/custom-fields.ts). */
  customFields?: { apply(def: ResourceDefinition): ResourceDefinition }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who makes a core API request, once authenticated. */
    principal: Principal | null
  }
  interface FastifyContextConfig {
    /** Answered without credentials (the OpenAPI description). */
    public?: boolean
    /** The singular of the route's resource: the key of its error body. */
    resource?: string
  }
}

type IdParams = { Params: { id: string } }
type ActionParams = { Params: { id: string; action: string } }

const BODY_LIMIT = 1024 * 1024

/**
 * The core API: `/api/<resource>` for every declared resource, one generic set of handlers that
 * parse, permit, call the service and render. GET index and show, POST create, PUT update and
 * `PUT /:id/<action>`; no DELETE (405). Errors in Coupa's format (error-handler.ts).
 */
export async function apiRoutes(app: FastifyInstance, deps: ApiRouteDeps): Promise<void> {
  app.setErrorHandler(apiErrorHandler)
  app.setNotFoundHandler(function noApiRoute(request) {
    throw new ApiError(404, [`no route ${request.method} ${request.url.split('?')[0]}`])
  })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    ['application/json', 'application/xml', 'text/xml'],
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    function keepBodyText(_request, body, done) {
      done(null, body)
    },
  )
  // A callback hook, not an async one: when the caller is known in memory (deps.authenticate answers
  // at once) the request goes on in the same turn of the event loop.
  function authenticateApiRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    done: (error?: Error) => void,
  ) {
    const admit = ({ principal, headers }: Authenticated) => {
      if (headers !== NO_HEADERS) reply.headers(headers)
      request.principal = principal
      done()
    }
    try {
      const apiKey = request.headers['x-coupa-api-key']
      const authenticated = deps.authenticate({
        authorization: request.headers.authorization,
        apiKey: apiKey === undefined ? undefined : String(apiKey),
        address: request.ip,
      })
      if (authenticated instanceof Promise) authenticated.then(admit, done)
      else admit(authenticated)
    } catch (error) {
      done(error as Error)
    }
  }
  // On each route of this plugin and of those it registers, before the route's own hooks: decided
  // once per route, not per request. An unknown path is a 404 whoever asks (noApiRoute, which no
  // route hook reaches), and the description is public: there is nothing there to protect.
  app.addHook('onRoute', function requireAuthentication(route) {
    if (route.config?.public) return
    const own = route.onRequest === undefined ? [] : [route.onRequest].flat()
    route.onRequest = [authenticateApiRequest, ...own]
  })
  const document = coreApiDocument(deps.issuer, deps.resources)
  app.get('/openapi.json', { config: { public: true } }, async function openApiDocument() {
    return document
  })
  for (const def of deps.resources) registerResource(app, def, deps)
  await app.register(nestedRoutes, {
    issuer: deps.issuer,
    nested: deps.nested,
    maxFileBytes: deps.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    reads: deps.reads,
    resolve: deps.resolve,
    permitFor: (def) => permitter(def, deps),
  })
  supplierAddressRoutes(app, { ...deps, permitFor: (def) => permitter(def, deps) })
  await app.register(graphqlRoutes, { ...deps, prefix: '' }) // deps holds the plugin's own prefix
}

function registerResource(app: FastifyInstance, declared: ResourceDefinition, deps: ApiRouteDeps): void {
  const { service, reads, resolve, scans } = deps
  const base = `/${declared.name}`
  const config = { resource: declared.singular }
  const permit = permitter(declared, deps)
  // The definition as this request sees it: with the custom fields defined at the moment.
  const current = () => deps.customFields?.apply(declared) ?? declared

  app.get(base, { config }, async function index(request, reply) {
    const def = current()
    const principal = permit(request, 'index', def.scopes.read)
    const spec = parseQuery(def, request.query as Record<string, string>, resolve)
    const list = () => reads.list(def, spec, formatOf(request))
    const { rendered, empty } = service.scans(spec)
      ? await scans.run(`${principal.kind}:${principal.id}`, list)
      : await list()
    // An empty search: XML answers 404, JSON an empty array (Coupa).
    if (empty && formatOf(request) === 'xml') return send(reply.code(404), noResultsXml())
    return send(reply, rendered)
  })

  // Not an async function: a record already rendered is sent in the turn it was asked for.
  app.get<IdParams>(`${base}/:id`, { config }, function show(request, reply) {
    const def = current()
    permit(request, 'show', def.scopes.read)
    const answer = reads.show(def, request.params.id, outputSpec(def, request, resolve), formatOf(request))
    return answer instanceof Promise ? answer.then((rendered) => send(reply, rendered)) : send(reply, answer)
  })

  app.post(base, { config }, async function create(request, reply) {
    const def = current()
    const principal = permit(request, 'create', def.scopes.create)
    const record = await service.create(def, readBody(def, request, resolve), principal)
    return answer(request, reply.code(201), def, record, deps)
  })

  app.put<IdParams>(`${base}/:id`, { config }, async function update(request, reply) {
    const def = current()
    const principal = permit(request, 'update', def.scopes.update)
    // https://compass.coupa.com (special actions): PUT …?exported=true only marks the export.
    if ((request.query as Record<string, string>).exported === 'true') {
      return answer(request, reply, def, await service.markExported(def, request.params.id, principal), deps)
    }
    const record = await service.update(def, request.params.id, readBody(def, request, resolve), principal)
    return answer(request, reply, def, record, deps)
  })

  app.put<ActionParams>(`${base}/:id/:action`, { config }, async function customAction(request, reply) {
    const def = current()
    const action = def.actions?.find((a) => a.name === request.params.action)
    if (!action) throw unknownAction(def, request.params.action)
    const principal = permit(request, action.name, action.scope)
    const input = request.body ? readBody(actionBodyOf(def, action), request, resolve) : {}
    const record = await service.act(def, request.params.id, action, input, principal)
    return answer(request, reply, def, record, deps)
  })

  for (const path of [base, `${base}/:id`]) {
    app.route({ method: ['DELETE', 'PATCH'], url: path, config, handler: notAllowed(path === base) })
  }
}

/** Checks that the caller may do `action` (throws AuthError), counts the call, and returns the caller. */
function permitter(def: ResourceDefinition, { realm, ledger }: ApiRouteDeps) {
  return function permit(request: FastifyRequest, action: string, scope: string): Principal {
    const principal = request.principal
    if (!principal) throw new ApiError(401, ['Authentication required'])
    authorize(principal, { resource: def.name, action, scope }, realm)
    ledger?.record(principal, def.name, action, {
      remoteAddress: request.ip,
      userAgent: request.headers['user-agent'],
    })
    return principal
  }
}

function notAllowed(collection: boolean) {
  return async function notAllowed(request: FastifyRequest, reply: FastifyReply) {
    reply.header('allow', collection ? 'GET, POST' : 'GET, PUT')
    throw new ApiError(405, [
      `${request.method} is not supported: Coupa's API creates with POST and updates with PUT; nothing is deleted`,
    ])
  }
}

function formatOf(request: FastifyRequest): Format {
  return responseFormat(request.headers.accept)
}

/** The record in full: the view of a show, create or update without `return_object` or `fields`. */
const FULL_VIEW = defaultQuerySpec()
for (const part of [FULL_VIEW.filters, FULL_VIEW.orderBy, FULL_VIEW]) Object.freeze(part)

/** Only `return_object` and `fields` apply to show, create and update answers. */
function outputSpec(def: ResourceDefinition, request: FastifyRequest, resolve: ResolveResource): QuerySpec {
  const query = (request.query ?? {}) as Record<string, string>
  if (query.return_object === undefined && query.fields === undefined) return FULL_VIEW
  const output = Object.entries(query).filter(([name]) => name === 'return_object' || name === 'fields')
  return parseQuery(def, Object.fromEntries(output), resolve)
}

function readBody(def: ResourceDefinition, request: FastifyRequest, resolve: ResolveResource) {
  if (typeof request.body !== 'string') {
    throw new ApiError(400, ['send the record as application/json or application/xml'])
  }
  return parseRequestBody(def, request.headers['content-type'], request.body, resolve)
}

/** The resource as an action's body reads it: the fields the action writes are writable there. */
function actionBodyOf(def: ResourceDefinition, action: CustomAction): ResourceDefinition {
  const writes = new Set(action.writes)
  if (writes.size === 0) return def
  return { ...def, fields: def.fields.map((f) => (writes.has(f.name) ? { ...f, writable: true } : f)) }
}

/** The answer to a write, in the view and format asked for. */
function answer(
  request: FastifyRequest,
  reply: FastifyReply,
  def: ResourceDefinition,
  record: ExpandedRecord,
  { reads, resolve }: ApiRouteDeps,
) {
  const spec = outputSpec(def, request, resolve)
  const rendered = reads.written(def, record, spec, formatOf(request))
  if (spec.returnObject === 'none') return reply.send()
  return send(reply, rendered)
}

function send(reply: FastifyReply, rendered: Answer) {
  return reply.type(rendered.contentType).send(rendered.body)
}

function unknownAction(def: ResourceDefinition, action: string): ApiError {
  const known = (def.actions ?? []).map((a) => a.name)
  return new ApiError(404, [
    `${def.name} has no action ${JSON.stringify(action.slice(0, 40))}${known.length ? `; actions: ${known.join(', ')}` : ''}`,
  ])
}
