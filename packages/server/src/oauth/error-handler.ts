import type { FastifyReply, FastifyRequest } from 'fastify'
import { commonRefusal } from '../http/refusals.ts'
import { OAuthError, type OAuthErrorCode } from './errors.ts'

/**
 * The OAuth endpoints' errors as RFC 6749 §5.2 bodies, `{"error":"…","error_description":"…"}`,
 * never cached. An error that is not to be shown, or not an OAuthError at all, reaches the client
 * as a generic server_error; its detail goes to the log.
 * https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function oauthErrorHandler(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const { status, headers, body } = oauthErrorResponse(error)
  if (status >= 500) request.log.error({ err: error }, 'request failed')
  return reply.code(status).headers(headers).send(body)
}

/** The answer to an error of an OAuth endpoint: the same for Fastify's routes and the direct token path. */
export function oauthErrorResponse(error: unknown): {
  status: number
  headers: Record<string, string>
  body: string
} {
  const { status, body, headers } = oauthRefusal(error)
  return {
    status,
    headers: { ...headers, 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  }
}

function oauthRefusal(error: unknown): {
  status: number
  body: { error: OAuthErrorCode; error_description: string }
  headers?: Readonly<Record<string, string>> | undefined
} {
  if (error instanceof OAuthError && error.expose) {
    return { status: error.statusCode, body: error.body, headers: error.headers }
  }
  if (error instanceof OAuthError) {
    return {
      status: 500,
      body: { error: 'server_error', error_description: 'the server failed; try again later' },
    }
  }
  const { status, detail, headers } = commonRefusal(error)
  // This plugin reads only forms; a body of another type is a bad request (RFC 6749 §3.2).
  if (status === 415) return bad(400, 'the body must be application/x-www-form-urlencoded')
  const code = status === 503 ? 'temporarily_unavailable' : status >= 500 ? 'server_error' : 'invalid_request'
  return { status, body: { error: code, error_description: detail }, headers }
}

function bad(status: number, description: string) {
  return { status, body: { error: 'invalid_request' as const, error_description: description } }
}
