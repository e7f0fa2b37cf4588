import type { FastifyReply, FastifyRequest } from 'fastify'
import { AuthError } from '../auth/errors.ts'
import { NotFoundError } from '../contract/errors.ts'
import { removeUnwritableHeaders, writableHeaders } from '../http/headers.ts'
import { commonRefusal, SERVER_FAILED } from '../http/refusals.ts'
import { ApiError, RecordError } from './errors.ts'
import { responseFormat } from './format.ts'
import { QueryError } from './query/index.ts'
import { BodyError, ProjectionError, type Rendered, renderErrors } from './representation/index.ts'

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
 *
 * Every error, whatever was thrown (Fastify's and Node's own, `FST_*` and `ERR_*`, included), is
 * answered so: this handler does not throw, for then Fastify would answer in its own format. A
 * header set before the error that Node refuses to write (a value with a control or non-Latin-1
 * character) is removed first, or it would fail this answer too.
 */
export function apiErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const refusal = apiRefusal(error)
  const removed = removeUnwritableHeaders(reply)
  if (refusal.status >= 500) request.log.error({ err: error, removedHeaders: removed }, 'request failed')
  let rendered: Rendered
  try {
    const singular = refusal.singular ?? request.routeOptions?.config?.resource ?? 'request'
    const format = responseFormat(request.headers.accept)
    rendered = renderErrors(format, singular, refusal.messages, { key: refusal.errorKey })
  } catch (failure) {
    request.log.error({ err: failure }, 'rendering an error failed')
    refusal.status = 500
    refusal.headers = undefined
    rendered = { contentType: 'application/json; charset=utf-8', body: FAILED_BODY }
  }
  if (refusal.headers) reply.headers(writableHeaders(refusal.headers))
  return reply.code(refusal.status).type(rendered.contentType).send(rendered.body)
}

/** Coupa's error body when even rendering the error failed. */
const FAILED_BODY = JSON.stringify({ errors: { request: [SERVER_FAILED] } })

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
