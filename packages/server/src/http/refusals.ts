import { STATUS_CODES } from 'node:http'
import type { FastifyError } from 'fastify'
import { StoreUnavailableError } from '../store/store.ts'

/** An answer every HTTP plugin gives, each in its own format. */
export interface Refusal {
  status: number
  detail: string
  headers?: Readonly<Record<string, string>>
}

/**
 * What every plugin answers to an error that is not its own: the store is unavailable (503, retry
 * shortly), Fastify refused the request (a known 4xx, in our words, never Fastify's text, which
 * may echo input), or anything else (500, with no detail: the detail goes to the log).
 */
export function commonRefusal(error: unknown): Refusal {
  if (error instanceof StoreUnavailableError) {
    return {
      status: 503,
      detail: 'the store is unavailable; try again shortly',
      headers: { 'retry-after': '5' },
    }
  }
  const status = (error as FastifyError | undefined)?.statusCode ?? 500
  if (status >= 500 || status < 400) return { status: 500, detail: 'the server failed; try again later' }
  switch ((error as FastifyError).code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, detail: 'the request body is too large' }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, detail: 'the body must be application/json' }
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, detail: 'the body is not valid JSON' }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, detail: 'the body is empty; send a JSON object' }
    default:
      return { status, detail: STATUS_CODES[status] ?? 'bad request' }
  }
}
