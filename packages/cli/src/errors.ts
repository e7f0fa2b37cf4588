/**
 * Errors of the CLI. Commands only throw; `renderError` in main.ts is the one place that prints.
 * Every code here is described in ERRORS.md, and test/errors.test.ts keeps the two in step.
 */

import { API_ERROR_CODES } from '@keyshift/client'
import { AGENT_ERROR_CODES } from './agent/codes.ts'

export const ERROR_CODES = [
  'KS_USAGE',
  'KS_TOKEN_ENDPOINT_UNAVAILABLE',
  'KS_TOKEN_RATE_LIMITED',
  'KS_TOKEN_RESPONSE_INVALID',
  // `keyshift call` passes on the code of the library's ApiError as it is.
  ...API_ERROR_CODES,
  'KS_ADMIN_UNREACHABLE',
  'KS_ADMIN_UNAUTHORIZED',
  'KS_ADMIN_FORBIDDEN',
  'KS_ADMIN_NOT_FOUND',
  'KS_ADMIN_INVALID_REQUEST',
  'KS_ADMIN_CONFLICT',
  'KS_ADMIN_FAILED',
  'KS_ADMIN_RESPONSE_INVALID',
  'KS_PLAN_INVALID',
  'KS_TRANSITION_REFUSED',
  'KS_TRANSITION_USAGE_UNAVAILABLE',
  'KS_TRANSITION_REGRESSION',
  'KS_FILE_EXISTS',
  'KS_FILE_WRITE_FAILED',
  'KS_SERVER_UNAVAILABLE',
  'KS_SERVE_FAILED',
  'KS_NOT_BUILT',
  'KS_DEMO_FAILED',
  'KS_INTERNAL',
  ...AGENT_ERROR_CODES,
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface CliErrorOptions {
  cause?: unknown
  /** Extra lines printed after the message, e.g. the fields a server rejected. */
  details?: string[]
  /** What to do about it, printed as a last `hint:` line. */
  hint?: string
}

/**
 * An error of the CLI itself, with a stable code. Messages never contain secrets, tokens or the
 * values of `--password` / `--client-secret`.
 */
export class CliError extends Error {
  readonly code: ErrorCode
  readonly details: string[]
  readonly hint: string | undefined

  constructor(code: ErrorCode, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CliError'
    this.code = code
    this.details = options.details ?? []
    this.hint = options.hint
  }

  /** 2 for a command line that cannot be run as written, 1 for a failure while running it. */
  get exitCode(): number {
    return this.code === 'KS_USAGE' ? 2 : 1
  }
}

/**
 * An RFC 6749 §5.2 error answered by a token endpoint (to `keyshift token` or `keyshift call`). It
 * is the server's error, not the CLI's, so it is printed as `error: <error>: <error_description>`
 * with a hint instead of a KS code.
 * https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class TokenErrorResponse extends Error {
  constructor(
    readonly error: string,
    readonly error_description: string | undefined,
    readonly status: number,
    readonly hint: string | undefined,
    /** The response body as received, for `--json`. */
    readonly body: unknown,
  ) {
    super(error_description === undefined ? error : `${error}: ${error_description}`)
    this.name = 'TokenErrorResponse'
  }
}
