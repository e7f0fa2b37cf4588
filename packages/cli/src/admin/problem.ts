/** Turns a failed admin API answer (RFC 9457 problem details) into a CliError with a stable code. */
import type { Problem } from '@keyshift/server/admin-api'
import { CliError } from '../errors.ts'

export interface RequestDescription {
  method: string
  path: string
  user: string
}

/** The body as problem details; whatever answered (a proxy, another server) may omit any member. */
async function readProblem(response: Response): Promise<Partial<Problem>> {
  try {
    const body: unknown = JSON.parse(await response.text())
    return typeof body === 'object' && body !== null ? (body as Partial<Problem>) : {}
  } catch {
    return {}
  }
}

/** `field: message; message` lines from `errors`. */
function fieldErrors(problem: Partial<Problem>): string[] {
  if (typeof problem.errors !== 'object' || problem.errors === null) return []
  return Object.entries(problem.errors).map(([field, messages]) =>
    Array.isArray(messages) ? `${field}: ${messages.join('; ')}` : `${field}: ${String(messages)}`,
  )
}

/**
 * The extension members of a 409 for a key that is not ready_to_revoke (`ApiKeyNotReadyProblem`):
 * its state and why, and the calls a revoke would fail.
 */
function notReadyLines(problem: Record<string, unknown>): string[] {
  const { state, reason, calls_7d, usage_7d, counted_from, counted_since } = problem
  if (typeof state !== 'string' || typeof calls_7d !== 'number') return []
  const usage = Array.isArray(usage_7d)
    ? usage_7d
        .map(
          (u: { resource?: unknown; action?: unknown; calls_7d?: unknown }) =>
            `${u.resource}#${u.action} ${u.calls_7d}`,
        )
        .join(', ')
    : ''
  const since =
    counted_from === 'client_first_call' && typeof counted_since === 'string'
      ? `calls since its client's first call at ${counted_since}`
      : 'calls in the last 7 days'
  return [
    `${state}${typeof reason === 'string' && reason !== '' ? `: ${reason}` : ''}`,
    `${since}: ${calls_7d}${usage === '' ? '' : ` (${usage})`}`,
  ]
}

function summary(problem: Partial<Problem>, response: Response): string {
  if (typeof problem.detail === 'string' && problem.detail !== '') return problem.detail
  if (typeof problem.title === 'string' && problem.title !== '') return problem.title
  return `HTTP ${response.status}`
}

/** The CliError for a non-2xx answer of the admin API. */
export async function adminFailure(response: Response, request: RequestDescription): Promise<CliError> {
  const problem = await readProblem(response)
  const text = summary(problem, response)
  // The detail often already is the list of fields; print each only once.
  const details = fieldErrors(problem).filter((line) => !text.includes(line))
  const where = `${request.method} ${request.path}`
  switch (response.status) {
    case 401:
      return new CliError(
        'KS_ADMIN_UNAUTHORIZED',
        `the admin API rejected user '${request.user}' (HTTP 401); check --user and KEYSHIFT_ADMIN_PASSWORD`,
      )
    case 403:
      return new CliError('KS_ADMIN_FORBIDDEN', `user '${request.user}' may not ${where}: ${text}`, {
        details,
      })
    case 404:
      return new CliError(
        'KS_ADMIN_NOT_FOUND',
        problem.detail === undefined && problem.title === undefined
          ? `${where} answered HTTP 404; is --url a Keyshift instance?`
          : text,
        { details },
      )
    case 400:
    case 422:
      return new CliError('KS_ADMIN_INVALID_REQUEST', text, { details })
    case 409:
      return new CliError('KS_ADMIN_CONFLICT', text, {
        details: [...details, ...notReadyLines(problem as Record<string, unknown>)],
      })
    default:
      return new CliError('KS_ADMIN_FAILED', `${where} answered HTTP ${response.status}: ${text}`, {
        details,
      })
  }
}
