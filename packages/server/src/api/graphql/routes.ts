/**
 * `POST /api/graphql`: Coupa's GraphQL query endpoint (coupa-api-facts §4.3, Introducing GraphQL).
 * JSON only, queries only, OAuth 2.0 bearer tokens of the client credentials grant only; every
 * object type a query reads needs its resource's read scope. Registered inside the API plugin,
 * so the same authentication and rate limit run first; it renders its own errors, in the GraphQL
 * shape `{"errors":[{"message":"…"}]}`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AuthError } from '../../auth/errors.ts'
import type { Principal } from '../../auth/principal.ts'
import type { ResourceDefinition } from '../../catalogue/index.ts'
import { removeUnwritableHeaders, writableHeaders } from '../../http/headers.ts'
import { commonRefusal } from '../../http/refusals.ts'
import { ApiError } from '../errors.ts'
import type { ResolveResource } from '../representation/index.ts'
import type { ScanLanes } from '../scan-lanes.ts'
import type { ApiService } from '../service.ts'
import type { UsageRecorder } from '../usage-recorder.ts'
import { requestReads } from './context.ts'
import { GraphqlRequestError } from './errors.ts'
import { prepareQuery, runQuery } from './execute.ts'
import { DEFAULT_GRAPHQL_LIMITS, type GraphqlLimits } from './limits.ts'
import { buildCatalogueSchema } from './schema.ts'

export interface GraphqlRouteDeps {
  service: ApiService
  resources: readonly ResourceDefinition[]
  resolve: ResolveResource
  realm: string
  /** Counts each resource a query reads; absent: nothing is counted. */
  ledger?: UsageRecorder | undefined
  scans: ScanLanes
  limits?: GraphqlLimits
}

const JSON_TYPE = 'application/json; charset=utf-8'

export async function graphqlRoutes(app: FastifyInstance, deps: GraphqlRouteDeps): Promise<void> {
  const schema = buildCatalogueSchema(deps.resources, deps.resolve)
  const limits = deps.limits ?? DEFAULT_GRAPHQL_LIMITS
  app.setErrorHandler(graphqlErrorHandler(deps.realm))

  app.post('/graphql', async function graphql(request, reply) {
    const principal = bearerClient(request.principal, deps.realm)
    const prepared = prepareQuery(request.body, principal.scopes, schema, limits)
    const origin = { remoteAddress: request.ip, userAgent: request.headers['user-agent'] }
    for (const read of prepared.reads) deps.ledger?.record(principal, read.resource, read.action, origin)
    // One query may hold several searches that read records one by one: it runs in the client's
    // scan lane as a whole, as one REST search does (scan-lanes.ts).
    const { status, result, failures } = await deps.scans.run(`${principal.kind}:${principal.id}`, () =>
      runQuery(prepared, schema, requestReads(deps.service)),
    )
    for (const failure of failures) request.log.error({ err: failure }, 'a GraphQL resolver failed')
    return reply.code(status).type(JSON_TYPE).send(JSON.stringify(result))
  })
}

/**
 * Coupa: "Currently, only the client credentials grant type and read scopes are supported", with
 * `Authorization: bearer {token}`; an API key is refused (RFC 6750 §3.1: a request without the
 * bearer credentials it needs is a 401 with a challenge).
 */
function bearerClient(principal: Principal | null, realm: string): Extract<Principal, { kind: 'client' }> {
  if (principal?.kind === 'client') return principal
  throw new AuthError(
    401,
    [
      'GraphQL accepts only OAuth 2.0 access tokens of the client credentials grant, sent as Authorization: bearer <token>; API keys (X-COUPA-API-KEY) are not accepted here',
    ],
    { 'www-authenticate': `Bearer realm="${realm}"` },
  )
}

function graphqlErrorHandler(realm: string) {
  return function graphqlErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
    const { status, messages, headers } = refusalOf(error, realm)
    removeUnwritableHeaders(reply)
    if (status >= 500) request.log.error({ err: error }, 'GraphQL request failed')
    if (headers) reply.headers(writableHeaders(headers))
    const body = { errors: messages.map((message) => ({ message })) }
    return reply.code(status).type(JSON_TYPE).send(JSON.stringify(body))
  }
}

interface Refusal {
  status: number
  messages: readonly string[]
  headers?: Readonly<Record<string, string>> | undefined
}

function refusalOf(error: unknown, realm: string): Refusal {
  if (error instanceof GraphqlRequestError) {
    const challenge =
      error.status === 403
        ? {
            'www-authenticate': `Bearer realm="${realm}", error="insufficient_scope", scope="${error.scopes.join(' ')}"`,
          }
        : undefined
    return { status: error.status, messages: error.messages, headers: challenge }
  }
  if (error instanceof AuthError)
    return { status: error.status, messages: error.messages, headers: error.headers }
  if (error instanceof ApiError)
    return { status: error.status, messages: error.messages, headers: error.headers }
  const { status, detail, headers } = commonRefusal(error)
  return { status, messages: [status === 415 ? 'send the query as application/json' : detail], headers }
}
