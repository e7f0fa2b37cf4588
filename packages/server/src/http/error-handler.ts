import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { Problem } from '../admin/wire.ts'
import { responseFormat } from '../api/format.ts'
import { QueryError } from '../api/query/index.ts'
import { BodyError, ProjectionError, renderErrors } from '../api/representation/index.ts'
import { ApiError } from '../auth/principal.ts'
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts'
import { OAuthError } from '../oauth/errors.ts'
import { StoreUnavailableError } from '../store/store.ts'

/** An admin API error rendered as RFC 9457 problem details. */
export class ProblemError extends Error {
  headers: Record<string, string> = {}
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: Record<string, string[]>,
  ) {
    super(detail)
    this.name = 'ProblemError'
  }
}

/**
 * The one place errors become responses. Handlers only throw. OAuth endpoints answer RFC 6749 §5.2
 * bodies, everything else RFC 9457 problem details. Details of unexpected errors go to the log
 * only; the client gets a generic 500.
 */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.url.startsWith('/api/') || request.url === '/api') return renderApiError(error, request, reply)
  const oauth = request.url.startsWith('/oauth2/')
  const known = classify(error, oauth)
  if (known.status >= 500) request.log.error({ err: error }, 'request failed')
  for (const [name, value] of Object.entries(known.headers ?? {})) reply.header(name, value)
  if (oauth) {
    const body = known.oauth ?? {
      error:
        known.status === 503
          ? 'temporarily_unavailable'
          : known.status >= 500
            ? 'server_error'
            : 'invalid_request',
      error_description: known.detail,
    }
    return reply.code(known.status).header('cache-control', 'no-store').send(body)
  }
  return reply
    .code(known.status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title: STATUS_CODES[known.status] ?? 'Error',
      status: known.status,
      detail: known.detail,
      ...(known.errors && { errors: known.errors }),
    } satisfies Problem)
}

/**
 * Core API errors in Coupa's format and the format the client asked for:
 * `{"errors":{"invoice-header":["…"]}}` or `<errors><error>…</error></errors>`.
 */
function renderApiError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = classifyApi(error)
  if (known.status >= 500) request.log.error({ err: error }, 'request failed')
  for (const [name, value] of Object.entries(known.headers ?? {})) reply.header(name, value)
  const config = request.routeOptions?.config as { resource?: string } | undefined
  const singular = known.resource ?? config?.resource ?? 'request'
  const rendered = renderErrors(responseFormat(request.headers.accept), singular, known.messages, {
    key: known.errorKey,
  })
  return reply.code(known.status).type(rendered.contentType).send(rendered.body)
}

function classifyApi(error: unknown): {
  status: number
  messages: string[]
  headers?: Record<string, string>
  resource?: string
  errorKey?: string
} {
  if (error instanceof ApiError) {
    return {
      status: error.status,
      messages: error.messages,
      headers: error.headers,
      ...(error.resource && { resource: error.resource }),
      ...(error.errorKey && { errorKey: error.errorKey }),
    }
  }
  if (error instanceof QueryError || error instanceof BodyError || error instanceof ProjectionError) {
    return { status: 400, messages: error.messages }
  }
  if (error instanceof ProblemError)
    return { status: error.status, messages: [error.detail], headers: error.headers }
  const { status, detail, headers } = classify(error, false)
  return {
    status,
    messages: [status === 415 ? 'send application/json or application/xml' : detail],
    ...(headers && { headers }),
  }
}

interface Classified {
  status: number
  detail: string
  headers?: Record<string, string>
  errors?: Record<string, string[]>
  oauth?: { error: string; error_description: string }
}

function classify(error: unknown, oauth: boolean): Classified {
  if (error instanceof OAuthError) {
    if (!error.expose) return { status: 500, detail: 'the server failed; try again later' }
    return {
      status: error.statusCode,
      detail: error.errorDescription,
      headers: error.headers,
      oauth: error.body,
    }
  }
  if (error instanceof ProblemError) {
    return {
      status: error.status,
      detail: error.detail,
      headers: error.headers,
      ...(error.errors && { errors: error.errors }),
    }
  }
  if (error instanceof ValidationError) {
    return { status: 400, detail: error.message, errors: error.errors }
  }
  if (error instanceof ConflictError) {
    return { status: 409, detail: error.message, errors: { [error.field]: [error.message] } }
  }
  if (error instanceof NotFoundError) return { status: 404, detail: error.message }
  if (error instanceof StoreUnavailableError) {
    return {
      status: 503,
      detail: 'the store is unavailable; try again shortly',
      headers: { 'retry-after': '5' },
    }
  }
  return classifyFramework(error as FastifyError, oauth)
}

/** Fastify's own errors (body parsing, limits, bad URLs): known 4xx with our words, never their text. */
function classifyFramework(error: FastifyError, oauth: boolean): Classified {
  const status = error.statusCode ?? 500
  if (status >= 500 || status < 400) return { status: 500, detail: 'the server failed; try again later' }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, detail: 'the request body is too large' }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return oauth
        ? { status: 400, detail: 'the body must be application/x-www-form-urlencoded' }
        : { status: 415, detail: 'the body must be application/json' }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, detail: 'the body is not valid JSON' }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, detail: 'the body is empty; send a JSON object' }
    default:
      return { status, detail: STATUS_CODES[status] ?? 'bad request' }
  }
}
