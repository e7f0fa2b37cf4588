/** A fake Coupa API as an injected `fetch`: records requests, answers with what the test says. */
import type { FetchLike } from '../../src/index.ts'

export interface ApiRequest {
  method: string
  url: URL
  headers: Headers
  body: string | undefined
}

export type ApiResponder = (request: ApiRequest, index: number) => Response | Promise<Response>

export interface FakeApi {
  fetch: FetchLike
  requests: ApiRequest[]
  respond(responder: ApiResponder): void
}

export const BASE_URL = 'https://acme.coupahost.com'

export function createFakeApi(responder: ApiResponder = () => Response.json([])): FakeApi {
  const requests: ApiRequest[] = []
  let current = responder
  return {
    requests,
    respond(next) {
      current = next
    },
    fetch: async function fakeApiFetch(input, init) {
      const request: ApiRequest = {
        method: init?.method ?? 'GET',
        url: new URL(String(input)),
        headers: new Headers(init?.headers),
        body: typeof init?.body === 'string' ? init.body : undefined,
      }
      requests.push(request)
      return current(request, requests.length - 1)
    },
  }
}

/** `count` invoices with ids from `first`. */
export function invoices(first: number, count: number): { id: number; 'invoice-number': string }[] {
  return Array.from({ length: count }, (_, i) => ({ id: first + i, 'invoice-number': `INV-${first + i}` }))
}
