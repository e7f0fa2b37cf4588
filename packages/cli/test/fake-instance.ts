/**
 * A fake Coupa-like instance on 127.0.0.1 for `keyshift call`: `/oauth2/token` issues numbered
 * tokens (or answers what `token` says), everything else is answered by `api`.
 */
import { type FakeResponse, type FakeServer, fakeServer, type RecordedRequest, run } from './helpers.ts'

export const ID = '0f3c9a2b7e514d6a8c1b2d3e4f5a6b7c'
export const SECRET = 'a'.repeat(64)

export interface FakeInstance extends FakeServer {
  /** Answers every request that is not for /oauth2/token. */
  api: (request: RecordedRequest) => FakeResponse
  /** Answers /oauth2/token; by default a new bearer token `token-<n>` each time. */
  token: (request: RecordedRequest) => FakeResponse
  tokenRequests(): RecordedRequest[]
  apiRequests(): RecordedRequest[]
}

export function issueToken(): (request: RecordedRequest) => FakeResponse {
  let issued = 0
  return function issue() {
    issued += 1
    return { status: 200, body: { access_token: `token-${issued}`, token_type: 'bearer', expires_in: 86399 } }
  }
}

export async function fakeInstance(): Promise<FakeInstance> {
  const instance = {} as FakeInstance
  const server = await fakeServer(function route(request) {
    return request.url === '/oauth2/token' ? instance.token(request) : instance.api(request)
  })
  return Object.assign(instance, server, {
    api: (): FakeResponse => ({ status: 200, body: {} }),
    token: issueToken(),
    tokenRequests: () => server.requests.filter((request) => request.url === '/oauth2/token'),
    apiRequests: () => server.requests.filter((request) => request.url !== '/oauth2/token'),
  })
}

/** Runs `keyshift call <args> --url <instance> --client-id ID` with the secret in the environment. */
export function call(instance: FakeInstance, args: string[], env: NodeJS.ProcessEnv = {}) {
  const argv = ['call', ...args, '--url', instance.url, '--client-id', ID]
  return run(argv, { KEYSHIFT_CLIENT_SECRET: SECRET, ...env })
}
