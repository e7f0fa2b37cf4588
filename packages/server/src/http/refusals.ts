import { STATUS_CODES } from 'node:http'
import type { FastifyError } from 'fastify'
import { StoreUnavailableError } from '../store/store.ts'
import { isHeaderWriteError } from './headers.ts'

/** An answer every HTTP plugin gives, each in its own format. */
export interface Refusal {
  status: number
  detail: string
  headers?: Readonly<Record<string, string>>
}

export const SERVER_FAILED = 'the server failed; try again later'

/**
 * What every plugin answers to an error that is not its own: the store is unavailable (503, retry
 * shortly), Fastify refused the request (a known 4xx, in our words, never Fastify's text, which
 * may echo input), or anything else (500, with no detail: the detail goes to the log). Any value
 * may be thrown: whatever it carries, the status is a 4xx or 500.
 */
export function commonRefusal(error: unknown): Refusal {
  if (error instanceof StoreUnavailableError) {
    return {
      status: 503,
      detail: 'the store is unavailable; try again shortly',
      headers: { 'retry-after': '5' },
    }
  }
  if (isHeaderWriteError(error)) {
    // Thrown by writeHead, after the handler ran: what the request asked may have been done.
    return {
      status: 500,
      detail:
        'the server failed while sending its answer; a change the request asked for may have been made: check before you retry',
    }
  }
  const code = (error as Partial<FastifyError> | null | undefined)?.statusCode
  const status = typeof code === 'number' && Number.isInteger(code) ? code : 500
  if (status >= 500 || status < 400) return { status: 500, detail: SERVER_FAILED }
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
