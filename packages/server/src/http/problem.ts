import { STATUS_CODES } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ConflictError, KeyNotReadyError, NotFoundError, ValidationError } from '../contract/errors.ts'
import { keyNotReadyMembers } from '../contract/views.ts'
import type { Problem } from '../contract/wire.ts'
import { removeUnwritableHeaders, writableHeaders } from './headers.ts'
import { commonRefusal, type Refusal } from './refusals.ts'

/** A refusal of the admin API or the Setup pages, rendered as RFC 9457 problem details. */
export class ProblemError extends Error {
  /** Extra response headers (`Retry-After`, `WWW-Authenticate`). */
  headers: Record<string, string> = {}
  constructor(
    readonly status: number,
    readonly detail: string,
    /** Field → messages, when a field was wrong. */
    readonly errors?: Record<string, string[]>,
  ) {
    super(detail)
    this.name = 'ProblemError'
  }
}

/**
 * The error handler of the admin API and the Setup pages, and of requests no plugin takes:
 * RFC 9457 problem details (https://www.rfc-editor.org/rfc/rfc9457#section-3), with `errors`
 * naming each wrong field. Details of an unexpected error go to the log only.
 */
export function problemErrorHandler(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const refusal = problemRefusal(error)
  // A header Node refuses to write would fail this answer too, and Fastify would answer instead.
  const removed = removeUnwritableHeaders(reply)
  if (refusal.status >= 500) request.log.error({ err: error, removedHeaders: removed }, 'request failed')
  if (refusal.headers) reply.headers(writableHeaders(refusal.headers))
  const problem: Problem = {
    type: 'about:blank',
    title: STATUS_CODES[refusal.status] ?? 'Error',
    status: refusal.status,
    detail: refusal.detail,
    ...(refusal.errors && { errors: refusal.errors }),
  }
  // https://www.rfc-editor.org/rfc/rfc9457#section-3.2 : extension members after the standard ones.
  return reply
    .code(refusal.status)
    .type('application/problem+json')
    .send({ ...problem, ...refusal.members })
}

interface ProblemRefusal extends Refusal {
  errors?: Record<string, string[]>
  /** Extension members of the problem (RFC 9457 §3.2). */
  members?: object
}

function problemRefusal(error: unknown): ProblemRefusal {
  if (error instanceof ProblemError) {
    const { status, detail, headers, errors } = error
    return { status, detail, headers, ...(errors && { errors }) }
  }
  if (error instanceof ValidationError) return { status: 400, detail: error.message, errors: error.errors }
  if (error instanceof ConflictError) {
    return { status: 409, detail: error.message, errors: { [error.field]: [error.message] } }
  }
  if (error instanceof NotFoundError) return { status: 404, detail: error.message }
  if (error instanceof KeyNotReadyError) {
    return { status: 409, detail: error.message, members: keyNotReadyMembers(error.refusal) }
  }
  return commonRefusal(error)
}
