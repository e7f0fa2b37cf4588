import type { FastifyReply, FastifyRequest } from 'fastify'
import { AuthError } from '../auth/errors.ts'
import { NotFoundError } from '../contract/errors.ts'
import { commonRefusal } from '../http/refusals.ts'
import { ApiError, RecordError } from './errors.ts'
import { responseFormat } from './format.ts'
import { QueryError } from './query/index.ts'
import { BodyError, ProjectionError, renderErrors } from './representation/index.ts'

interface ApiRefusal {
  status: number
  messages: string[]
  headers?: Readonly<Record<string, string>> | undefined
  /** Key of the JSON error body: the resource's singular (`invoice-header`) unless `errorKey`. */
  singular?: string
  errorKey?: string | undefined
}

/**
 * The API plugin's errors in Coupa's format and the format the client asked for:
 * `{"errors":{"invoice-header":["…"]}}` or `<errors><error>…</error></errors>`. Details of an
 * unexpected error go to the log only.
 */
export function apiErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const refusal = apiRefusal(error)
  if (refusal.status >= 500) request.log.error({ err: error }, 'request failed')
  const singular = refusal.singular ?? request.routeOptions?.config?.resource ?? 'request'
  const format = responseFormat(request.headers.accept)
  const rendered = renderErrors(format, singular, refusal.messages, { key: refusal.errorKey })
  if (refusal.headers) reply.headers(refusal.headers)
  return reply.code(refusal.status).type(rendered.contentType).send(rendered.body)
}

function apiRefusal(error: unknown): ApiRefusal {
  if (error instanceof AuthError) {
    const { status, messages, headers, errorKey } = error
    return { status, messages, headers, errorKey }
  }
  if (error instanceof ApiError)
    return { status: error.status, messages: error.messages, headers: error.headers }
  if (error instanceof RecordError) return { status: 400, messages: error.messages, singular: error.singular }
  if (error instanceof QueryError || error instanceof BodyError || error instanceof ProjectionError) {
    return { status: 400, messages: error.messages }
  }
  if (error instanceof NotFoundError) return { status: 404, messages: [error.message] }
  const { status, detail, headers } = commonRefusal(error)
  return { status, messages: [status === 415 ? 'send application/json or application/xml' : detail], headers }
}
