/**
 * The OpenAPI 3.1 description of the admin API (`GET /admin/v1/openapi.json`), generated from the
 * table of its operations (operations.ts) and the zod schemas the routes parse bodies with and the
 * answers are checked against (named-schemas.ts): nothing is written by hand per route, so it
 * cannot drift. https://spec.openapis.org/oas/v3.1.0
 */
import { z } from 'zod'
import { ANSWERS, BODIES } from './named-schemas.ts'
import { ADMIN_OPERATIONS, type AdminOperation, type OwnProblem } from './operations.ts'

type Schema = Record<string, unknown>

export interface AdminDocumentOptions {
  /** The instance's public URL. */
  issuer: string
  /** Where the admin API is mounted: `/admin/v1`. */
  prefix: string
  /** The Setup pages' session cookie (`__Host-keyshift_session` on https). */
  cookieName: string
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

const PROBLEMS: Record<string, string> = {
  '400': 'The body is not JSON, or a field is wrong: `errors` names each field',
  '401': 'No credentials, or wrong ones (`WWW-Authenticate: Basic` unless `X-Requested-With` is sent)',
  '403': 'A change from another origin, or with the session cookie but without its `X-CSRF-Token`',
  '404': 'No such record',
  '409': 'A field that must be unique is taken: `errors` names it',
  '429': 'Too many failed sign-ins from this address or for this user: wait `Retry-After` seconds',
  default:
    'Any other failure: 413 (too large), 415 (not JSON), 500, or 503 (the store is unavailable: retry after `Retry-After` seconds)',
}

const PARAMETERS: Record<string, string> = {
  id: 'The id of the record (an OAuth client may be named by its client_id too)',
  resource: 'A core API resource, as in its path: `invoices`',
}

/** The document, for an instance whose public URL is `issuer`. */
export function adminApiDocument({ issuer, prefix, cookieName }: AdminDocumentOptions): Schema {
  const paths: Record<string, Schema> = {}
  for (const operation of ADMIN_OPERATIONS) {
    const path = `${prefix}${operation.path}`
    const method = operation.method.toLowerCase()
    if (paths[path]?.[method]) throw new Error(`${operation.method} ${path} is twice in ADMIN_OPERATIONS`)
    paths[path] = { ...paths[path], [method]: operationObject(operation) }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Keyshift admin API',
      version: '1',
      description:
        'OAuth clients, legacy API keys, signing keys and the transition from keys to clients. Failures are RFC 9457 problem details (`application/problem+json`).',
    },
    servers: [{ url: issuer }],
    paths,
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic', description: 'An admin user (RFC 7617).' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: cookieName,
          description: "The Setup pages' session, from `POST /session` (HttpOnly, SameSite=Strict).",
        },
        csrf: {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description: "The session's `csrf_token`: sent with the cookie on every change.",
        },
      },
      schemas: { ...jsonSchemas(BODIES, 'input'), ...jsonSchemas(ANSWERS, 'output') },
    },
  }
}

function operationObject(operation: AdminOperation): Schema {
  const { path, operationId, summary, tag, body, answer } = operation
  const parameters = [...path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    ...(PARAMETERS[name] && { description: PARAMETERS[name] }),
    schema: { type: 'string' },
  }))
  return {
    operationId,
    summary,
    tags: [tag],
    security: security(operation),
    ...(parameters.length > 0 && { parameters }),
    ...(body && {
      requestBody: {
        // A body the schema takes as absent (`{}` by default) may be left out.
        required: !BODIES[body].safeParse(undefined).success,
        content: { 'application/json': { schema: ref(body) } },
      },
    }),
    responses: {
      [String(answer.status)]: {
        description: answer.schema ? 'OK' : 'Done: no content',
        ...(answer.schema && { content: { 'application/json': { schema: ref(answer.schema) } } }),
      },
      ...problemResponses(operation),
    },
  }
}

/** https://spec.openapis.org/oas/v3.1.0#security-requirement-object : any one object will do. */
function security({ access, method }: AdminOperation): Schema[] {
  const session = SAFE_METHODS.has(method) ? { session: [] } : { session: [], csrf: [] }
  if (access === 'none') return []
  if (access === 'session') return [session]
  return [{ basic: [] }, session]
}

/** The refusals an operation may answer: from its access, body and path, and its own. */
function problemResponses(operation: AdminOperation): Schema {
  const { access, method, body, path, problems = [] } = operation
  const own = new Map<number, OwnProblem>()
  const statuses = new Set<number>()
  for (const problem of problems) {
    if (typeof problem === 'number') statuses.add(problem)
    else own.set(problem.status, problem)
  }
  if (body) statuses.add(400)
  if (path.includes('{')) statuses.add(404)
  if (access !== 'none') statuses.add(401)
  if (access === 'admin') statuses.add(429)
  if (access !== 'none' && !SAFE_METHODS.has(method)) statuses.add(403)
  const problem = (description: string, schema = 'Problem') => ({
    description,
    content: { 'application/problem+json': { schema: ref(schema) } },
  })
  const sorted = [...new Set([...statuses, ...own.keys()])].sort((a, b) => a - b)
  const response = (status: number) => {
    const mine = own.get(status)
    return mine ? problem(mine.description, mine.schema) : problem(PROBLEMS[String(status)] ?? 'Refused')
  }
  return {
    ...Object.fromEntries(sorted.map((status) => [String(status), response(status)])),
    default: problem(PROBLEMS.default ?? ''),
  }
}

function ref(name: string): Schema {
  return { $ref: `#/components/schemas/${name}` }
}

/**
 * JSON Schema (2020-12, the dialect of OpenAPI 3.1) of each named zod schema, as the request reads
 * it (`input`: defaults make a field optional) or as the answer gives it (`output`). A schema that
 * contains a named one refers to it.
 */
function jsonSchemas(named: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, Schema> {
  const registry = z.registry<{ id: string }>()
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id })
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}` })
  // Each is a part of the document, not a document: no `$schema`, and no `$id`, which would make
  // its `$ref`s resolve against itself instead of the document.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema, $id, ...schema }]) => [id, schema as Schema]),
  )
}
