/**
 * A fake token endpoint as an injected `fetch`: records every request and answers with what the
 * test sets (by default a new bearer token that lives 86399 s, like Coupa's).
 */
import type { FetchLike } from '../../src/index.ts'

export interface RecordedRequest {
  url: string
  method: string
  headers: Headers
  form: URLSearchParams
}

export type Responder = (request: RecordedRequest, index: number) => Response | Promise<Response>

export interface FakeTokenEndpoint {
  fetch: FetchLike
  requests: RecordedRequest[]
  /** Replaces how the endpoint answers. */
  respond(responder: Responder): void
  /** Tokens issued so far, in order. */
  issued: string[]
}

export const TOKEN_URL = 'https://acme.coupahost.com/oauth2/token'
export const CLIENT_ID = '0123456789abcdef0123456789abcdef'
export const CLIENT_SECRET = 'f'.repeat(32) + 'e'.repeat(32)

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}

/** A JWT-looking token, unique per call. */
export function fakeJwt(n: number): string {
  return `eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJ0b2tlbi0${n}In0.c2lnbmF0dXJl${n}`
}

/** A fake endpoint; `expiresIn` is what successful answers say (left out when given as undefined). */
export function createFakeTokenEndpoint(options: { expiresIn?: unknown } = {}): FakeTokenEndpoint {
  const expiresIn = 'expiresIn' in options ? options.expiresIn : 86399
  const requests: RecordedRequest[] = []
  const issued: string[] = []
  let responder: Responder = function issueToken() {
    const token = fakeJwt(issued.length + 1)
    issued.push(token)
    return json(200, {
      access_token: token,
      token_type: 'bearer',
      expires_in: expiresIn,
      scope: 'core.invoice.read',
    })
  }
  return {
    requests,
    issued,
    respond(next) {
      responder = next
    },
    fetch: async function fakeFetch(input, init) {
      const request: RecordedRequest = {
        url: String(input),
        method: init?.method ?? 'GET',
        headers: new Headers(init?.headers),
        form: new URLSearchParams(typeof init?.body === 'string' ? init.body : ''),
      }
      requests.push(request)
      return responder(request, requests.length - 1)
    },
  }
}

/** A responder that fails as a network error does (fetch rejects with a TypeError). */
export function networkDown(): never {
  throw new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  })
}

/** A logger that records what it is given. */
export function createRecordingLogger() {
  const lines: { level: string; fields: object; message: string | undefined }[] = []
  const at = (level: string) => (fields: object, message?: string) => lines.push({ level, fields, message })
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
