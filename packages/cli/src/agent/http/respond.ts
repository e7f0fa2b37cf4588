/**
 * Writing answers of the local service. `renderHttpError` is the one place errors become HTTP:
 * an AgentError is answered with its status and `{"code","message"}`; anything else is logged and
 * answered as a generic KS_AGENT_INTERNAL, its detail kept out of the answer.
 */
import type { ServerResponse } from 'node:http'
import { AgentError } from '../errors.ts'
import type { AgentLogger } from '../telemetry/logger.ts'

/** Marks answers the agent wrote itself, so they are never mistaken for the instance's. */
export const AGENT_ERROR_HEADER = 'x-keyshift-agent-error'

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  })
  res.end(text)
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  })
  res.end(text)
}

function asAgentError(error: unknown, logger: AgentLogger): AgentError {
  if (error instanceof AgentError) return error
  logger.error({ error }, 'unexpected error while answering a request')
  return new AgentError('KS_AGENT_INTERNAL', 'the agent failed to answer this request; see its log')
}

/**
 * Answers `error`. When the answer has already begun (a proxied response broke off), the
 * connection is cut instead, so the client sees a truncated answer and not a wrong one.
 */
export function renderHttpError(res: ServerResponse, error: unknown, logger: AgentLogger): void {
  const agentError = asAgentError(error, logger)
  if (res.headersSent) {
    res.destroy()
    return
  }
  const body = { code: agentError.agentCode, message: agentError.message, ...agentError.fields }
  sendJson(res, agentError.status, body, {
    ...agentError.headers,
    [AGENT_ERROR_HEADER]: agentError.agentCode,
  })
}
