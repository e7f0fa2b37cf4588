/** The admin JSON API (/admin/v1), as the Setup pages call it: session cookie + CSRF token. */
import type { SessionView } from './types.ts'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Field → messages, from the problem+json `errors` member (admin/schemas.ts). */
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

let csrfToken = ''
let onSignedOut: () => void = () => {}

/** Remembers the session's CSRF token (held in memory only, never in storage). */
export function useSession(session: SessionView | null, signedOut: () => void): void {
  csrfToken = session?.csrf_token ?? ''
  onSignedOut = signedOut
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    // Tells the server this is the Setup page: a 401 then carries no Basic challenge.
    'x-requested-with': 'keyshift-setup',
  }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken
  let response: Response
  try {
    response = await fetch(`/admin/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    })
  } catch {
    throw new ApiError(
      0,
      'The instance did not answer: check that keyshift serve is running, then try again.',
    )
  }
  if (response.status === 204) return undefined as T
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>
  if (!response.ok) {
    if (response.status === 401 && path !== '/session') onSignedOut()
    const detail = typeof data.detail === 'string' ? data.detail : response.statusText
    throw new ApiError(response.status, detail, (data.errors as Record<string, string[]>) ?? {})
  }
  return data as T
}

/** The message of an error for people: the API's own words, or what went wrong. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
