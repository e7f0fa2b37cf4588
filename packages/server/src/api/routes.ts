import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { authorize } from '../auth/authorize.ts'
import { ApiError, type Principal } from '../auth/principal.ts'
import type { CustomAction, ResourceDefinition } from '../catalogue/index.ts'
import type { UsageRecorder } from '../transition/usage-ledger.ts'
import { type Format, responseFormat } from './format.ts'
import { parseQuery, type QuerySpec } from './query/index.ts'
import type { RenderedRecords } from './rendered-records.ts'
import {
  CONTENT_TYPES,
  noResultsXml,
  parseRequestBody,
  renderList,
  renderRecord,
  type View,
} from './representation/index.ts'
import type { ResolveResource, ResourceRecord } from './representation/types.ts'
import type { ApiService } from './service.ts'

export interface ApiRouteDeps {
  service: ApiService
  rendered: RenderedRecords
  resources: readonly ResourceDefinition[]
  resolve: ResolveResource
  authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  realm: string
  /** Counts each authorized call (docs/TRANSITION.md, usage ledger); absent: nothing is counted. */
  ledger?: UsageRecorder | undefined
}

type IdParams = { Params: { id: string } }
type ActionParams = { Params: { id: string; action: string } }

const BODY_LIMIT = 1024 * 1024

/**
 * The core API: `/api/<resource>` for every declared resource, one generic set of handlers.
 * GET index and show, POST create, PUT update and `PUT /:id/<action>`; no DELETE (405).
 */
export async function apiRoutes(app: FastifyInstance, deps: ApiRouteDeps): Promise<void> {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    ['application/json', 'application/xml', 'text/xml'],
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    function keepBodyText(_request, body, done) {
      done(null, body)
    },
  )
  app.addHook('onRequest', deps.authenticate)
  for (const def of deps.resources) registerResource(app, def, deps)
}

function registerResource(app: FastifyInstance, def: ResourceDefinition, deps: ApiRouteDeps): void {
  const { service, resolve, realm } = deps
  const base = `/${def.name}`
  const config = { resource: def.singular }
  const { ledger } = deps
  const permit = function permit(request: FastifyRequest, action: string, scope: string) {
    const principal = principalOf(request)
    authorize(principal, { resource: def.name, action, scope }, realm)
    ledger?.record(principal, def.name, action, {
      remoteAddress: request.ip,
      userAgent: request.headers['user-agent'],
    })
  }

  app.get(base, { config }, async function index(request, reply) {
    permit(request, 'index', def.scopes.read)
    const spec = parseQuery(def, request.query as Record<string, string>, resolve)
    const format = responseFormat(request.headers.accept)
    if (isFullView(spec)) {
      const page = await fullViewPage(def, spec, format, deps)
      if (page !== undefined) {
        if (page.length === 0 && format === 'xml') return send(reply.code(404), noResultsXml())
        return send(reply, composeList(def, page, format))
      }
    }
    const { records } = await service.list(def, spec)
    // An empty search: XML answers 404, JSON an empty array (Coupa).
    if (records.length === 0 && format === 'xml') return send(reply.code(404), noResultsXml())
    return send(reply, renderList(def, records as unknown as ResourceRecord[], viewOf(spec), format, resolve))
  })

  app.get<IdParams>(`${base}/:id`, { config }, async function show(request, reply) {
    permit(request, 'show', def.scopes.read)
    const spec = parseQuery(def, pickOutput(request.query), resolve)
    const format = responseFormat(request.headers.accept)
    const id = Number(request.params.id)
    const cached =
      isFullView(spec) && Number.isSafeInteger(id) ? deps.rendered.get(def.name, id, format) : undefined
    if (cached !== undefined) return send(reply, composeRecord(cached, format))
    const record = await service.show(def, request.params.id)
    if (isFullView(spec)) {
      const body = renderBody(def, record, format, resolve)
      deps.rendered.set(def.name, record.id as number, format, String(record.updated_at), body)
      return send(reply, composeRecord(body, format))
    }
    return send(
      reply,
      renderRecord(
        def,
        record as ResourceRecord,
        viewOf(spec),
        responseFormat(request.headers.accept),
        resolve,
      ),
    )
  })

  app.post(base, { config }, async function create(request, reply) {
    permit(request, 'create', def.scopes.create)
    const input = readBody(def, request, resolve)
    const record = await service.create(def, input, principalOf(request))
    return answer(request, reply.code(201), def, record, deps)
  })

  app.put<IdParams>(`${base}/:id`, { config }, async function update(request, reply) {
    permit(request, 'update', def.scopes.update)
    const query = request.query as Record<string, string>
    // https://compass.coupa.com (special actions): PUT …?exported=true only marks the export.
    if (query.exported === 'true') {
      return answer(
        request,
        reply,
        def,
        await service.markExported(def, request.params.id, principalOf(request)),
        deps,
      )
    }
    const input = readBody(def, request, resolve)
    const record = await service.update(def, request.params.id, input, principalOf(request))
    return answer(request, reply, def, record, deps)
  })

  app.put<ActionParams>(`${base}/:id/:action`, { config }, async function customAction(request, reply) {
    const action = def.actions?.find((a) => a.name === request.params.action)
    if (!action) throw unknownAction(def, request.params.action)
    permit(request, action.name, action.scope)
    const input = request.body ? readBody(def, request, resolve) : {}
    const record = await service.act(
      def,
      request.params.id,
      action as CustomAction,
      input,
      principalOf(request),
    )
    return answer(request, reply, def, record, deps)
  })

  for (const path of [base, `${base}/:id`]) {
    app.route({
      method: ['DELETE', 'PATCH'],
      url: path,
      config,
      handler: async function notAllowed(request, reply) {
        reply.header('allow', path === base ? 'GET, POST' : 'GET, PUT')
        throw new ApiError(405, [
          `${request.method} is not supported: Coupa's API creates with POST and updates with PUT; nothing is deleted`,
        ])
      },
    })
  }
}

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError(401, ['Authentication required'])
  return request.principal
}

function readBody(
  def: ResourceDefinition,
  request: FastifyRequest,
  resolve: ResolveResource,
): Record<string, unknown> {
  if (typeof request.body !== 'string') {
    throw new ApiError(400, ['send the record as application/json or application/xml'])
  }
  return parseRequestBody(def, request.headers['content-type'], request.body, resolve) as Record<
    string,
    unknown
  >
}

/** Only `return_object` and `fields` apply to show, create and update answers. */
function pickOutput(query: unknown): Record<string, string> {
  const q = (query ?? {}) as Record<string, string>
  return Object.fromEntries(
    Object.entries(q).filter(([name]) => name === 'return_object' || name === 'fields'),
  )
}

function viewOf(spec: QuerySpec): View {
  return { returnObject: spec.returnObject, ...(spec.fields && { fields: spec.fields }) }
}

/** The answer to a write; the record's rendered copies are dropped, since it has just changed. */
function answer(
  request: FastifyRequest,
  reply: FastifyReply,
  def: ResourceDefinition,
  record: Record<string, unknown>,
  { resolve, rendered }: Pick<ApiRouteDeps, 'resolve' | 'rendered'>,
) {
  rendered.forget(def.name, record.id as number)
  const spec = parseQuery(def, pickOutput(request.query), resolve)
  if (spec.returnObject === 'none') return reply.send()
  return send(
    reply,
    renderRecord(
      def,
      record as ResourceRecord,
      viewOf(spec),
      responseFormat(request.headers.accept),
      resolve,
    ),
  )
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

function isFullView(spec: QuerySpec): boolean {
  return spec.returnObject === 'full' && spec.fields === undefined
}

/** One record in its full view, without the XML declaration: the unit the cache holds. */
function renderBody(
  def: ResourceDefinition,
  record: Record<string, unknown>,
  format: Format,
  resolve: ResolveResource,
): string {
  const { body } = renderRecord(def, record as ResourceRecord, { returnObject: 'full' }, format, resolve)
  return format === 'xml' && body.startsWith(XML_DECLARATION) ? body.slice(XML_DECLARATION.length) : body
}

/**
 * A page in the full view from rendered records: the index answers which ids (and their update
 * times), the cache the bodies; only records not cached (or changed) are read and rendered.
 * Undefined when the query needs the records themselves to filter.
 */
async function fullViewPage(def: ResourceDefinition, spec: QuerySpec, format: Format, deps: ApiRouteDeps) {
  const versions = await deps.service.versions(def, spec)
  if (versions === undefined) return undefined
  const bodies = versions.map((v) => deps.rendered.get(def.name, v.id, format, v.updatedAt))
  const missing = versions.filter((_, i) => bodies[i] === undefined).map((v) => v.id)
  if (missing.length > 0) {
    const fresh = new Map<number, string>()
    for (const record of await deps.service.showMany(def, missing)) {
      const body = renderBody(def, record, format, deps.resolve)
      deps.rendered.set(def.name, record.id as number, format, String(record.updated_at), body)
      fresh.set(record.id as number, body)
    }
    versions.forEach((v, i) => {
      bodies[i] ??= fresh.get(v.id)
    })
  }
  return bodies.filter((body): body is string => body !== undefined)
}

function composeRecord(body: string, format: Format) {
  return { contentType: CONTENT_TYPES[format], body: format === 'xml' ? `${XML_DECLARATION}${body}` : body }
}

/** The same document renderList makes, from rendered records. */
function composeList(def: ResourceDefinition, bodies: string[], format: Format) {
  if (format === 'json') return { contentType: CONTENT_TYPES.json, body: `[${bodies.join(',')}]` }
  const inner =
    bodies.length === 0
      ? `<${def.xmlCollection} type="array"/>`
      : `<${def.xmlCollection} type="array">${bodies.join('')}</${def.xmlCollection}>`
  return { contentType: CONTENT_TYPES.xml, body: `${XML_DECLARATION}${inner}` }
}

function send(reply: FastifyReply, rendered: { contentType: string; body: string }) {
  return reply.type(rendered.contentType).send(rendered.body)
}

function unknownAction(def: ResourceDefinition, action: string): ApiError {
  const known = (def.actions ?? []).map((a) => a.name)
  return new ApiError(404, [
    `${def.name} has no action ${JSON.stringify(action.slice(0, 40))}${known.length ? `; actions: ${known.join(', ')}` : ''}`,
  ])
}

export type { Format }
