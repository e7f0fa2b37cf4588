/**
 * Errors of `keyshift agent`. Every code is described in packages/cli/AGENT.md and
 * test/agent/catalogue.test.ts keeps the two in step. Handlers only throw; `renderHttpError` in
 * http/respond.ts is the one place that turns an error into an HTTP answer. No message, detail or
 * cause built here ever holds a secret, an API key or an access token.
 */
import { CliError } from '../errors.ts'
import type { AgentErrorCode } from './codes.ts'

export { AGENT_ERROR_CODES, type AgentErrorCode } from './codes.ts'

/** The HTTP status of each code, for the codes the local service answers with. */
const HTTP_STATUS: Partial<Record<AgentErrorCode, number>> = {
  KS_AGENT_UNAUTHORIZED: 401,
  KS_AGENT_UNKNOWN_INTEGRATION: 404,
  KS_AGENT_NOT_FOUND: 404,
  KS_AGENT_METHOD_NOT_ALLOWED: 405,
  KS_AGENT_NOT_OAUTH: 409,
  KS_AGENT_TOKEN_UNAVAILABLE: 503,
  KS_AGENT_UPSTREAM_UNAVAILABLE: 502,
  KS_AGENT_UPSTREAM_TIMEOUT: 504,
  KS_AGENT_BAD_REQUEST: 400,
  KS_AGENT_USAGE_DISABLED: 404,
  KS_AGENT_USAGE_UNAVAILABLE: 503,
  KS_AGENT_INTERNAL: 500,
}

export interface AgentErrorOptions {
  cause?: unknown
  /** Extra lines printed after the message: one per configuration problem. */
  details?: string[]
  /** Extra fields of the JSON error body (never a secret): e.g. `token_error`. */
  fields?: Record<string, string>
  /** Extra response headers, e.g. `WWW-Authenticate`. */
  headers?: Record<string, string>
}

/**
 * An error of the agent with a stable code. It is a CliError so that `keyshift`'s one renderer
 * prints it as `keyshift: KS_AGENT_…: message` with its detail lines and exit code 1.
 */
export class AgentError extends CliError {
  readonly agentCode: AgentErrorCode
  readonly fields: Record<string, string>
  readonly headers: Record<string, string>

  constructor(code: AgentErrorCode, message: string, options: AgentErrorOptions = {}) {
    super(code, message, { cause: options.cause, details: options.details ?? [] })
    this.name = 'AgentError'
    this.agentCode = code
    this.fields = options.fields ?? {}
    this.headers = options.headers ?? {}
  }

  /** The HTTP status the local service answers with. */
  get status(): number {
    return HTTP_STATUS[this.agentCode] ?? 500
  }
}

/** A short, stable reason for a failed socket or request: `ECONNREFUSED`, `ENOTFOUND`, … */
export function networkReason(error: unknown): string {
  // A refused CONNECT says which proxy and what it answered (without the proxy's password).
  if (error instanceof Error && error.name === 'ProxyTunnelError') return error.message
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code === 'string') return code
  return error instanceof Error ? error.name : 'unknown error'
}
