/**
 * Against a real HTTP server on 127.0.0.1 (port 0): the global fetch, real sockets, the real clock.
 * The server plays a Coupa instance: /oauth2/token (client_secret_post or _basic) and /api/invoices.
 */
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createApiClient, createTokenManager, TokenError } from '../src/index.ts'
import { CLIENT_ID, CLIENT_SECRET } from './helpers/fake-token-endpoint.ts'

const TOTAL_INVOICES = 73
const issued = new Set<string>()
let tokenRequests = 0

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers })
  response.end(JSON.stringify(body))
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** client_secret_basic or client_secret_post, RFC 6749 §2.3.1. */
function clientOf(request: IncomingMessage, form: URLSearchParams): [string | null, string | null] {
  const basic = request.headers.authorization?.match(/^Basic (.+)$/)?.[1]
  if (basic === undefined) return [form.get('client_id'), form.get('client_secret')]
  const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString().split(':')
  return [decodeURIComponent(id.replaceAll('+', ' ')), decodeURIComponent(secret.replaceAll('+', ' '))]
}

async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
  tokenRequests += 1
  const form = new URLSearchParams(await readBody(request))
  const [id, secret] = clientOf(request, form)
  if (id !== CLIENT_ID || secret !== CLIENT_SECRET) {
    return send(response, 401, { error: 'invalid_client', error_description: 'Client authentication failed' })
  }
  if (form.get('grant_type') !== 'client_credentials')
    return send(response, 400, { error: 'unsupported_grant_type' })
  const accessToken = `tok-${tokenRequests}-${Math.random().toString(16).slice(2)}`
  issued.add(accessToken)
  send(response, 200, {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: 86399,
    scope: form.get('scope'),
  })
}

function invoicesPage(request: IncomingMessage, response: ServerResponse): void {
  const bearer = request.headers.authorization?.match(/^Bearer (.+)$/)?.[1]
  if (bearer === undefined || !issued.has(bearer)) {
    send(response, 401, {}, { 'www-authenticate': 'Bearer error="invalid_token"' })
    return
  }
  const url = new URL(request.url ?? '/', 'http://127.0.0.1')
  const offset = Number(url.searchParams.get('offset') ?? 0)
  const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 50)
  const ids = Array.from(
    { length: Math.max(0, Math.min(limit, TOTAL_INVOICES - offset)) },
    (_, i) => offset + i + 1,
  )
  send(
    response,
    200,
    ids.map((id) => ({ id, status: url.searchParams.get('status') })),
  )
}

let server: Server
let origin: string

before(async () => {
  server = createServer(function route(request, response) {
    if (request.method === 'POST' && request.url === '/oauth2/token') void token(request, response)
    else if (request.method === 'GET' && request.url?.startsWith('/api/invoices'))
      invoicesPage(request, response)
    else send(response, 404, {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('against a real HTTP server on 127.0.0.1', () => {
  for (const clientAuth of ['client_secret_post', 'client_secret_basic'] as const) {
    it(`gets a token with ${clientAuth} and lists every invoice through the API client`, async () => {
      const before = tokenRequests
      const tokens = createTokenManager({
        tokenUrl: origin,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        clientAuth,
      })
      const coupa = createApiClient({ baseUrl: origin, tokens })
      const ids: number[] = []
      for await (const invoice of coupa.list<{ id: number; status: string }>('invoices', {
        status: 'approved',
      })) {
        assert.equal(invoice.status, 'approved')
        ids.push(invoice.id)
      }
      assert.equal(ids.length, TOTAL_INVOICES)
      assert.equal(tokenRequests - before, 1)
      await tokens.close()
    })
  }

  it('replays once with a new token when the server forgot the old one (401)', async () => {
    const tokens = createTokenManager({
      tokenUrl: `${origin}/oauth2/token`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    })
    const coupa = createApiClient({ baseUrl: origin, tokens })
    const first = await tokens.getToken()
    issued.delete(first)
    assert.equal((await coupa.get<unknown[]>('invoices', { query: { limit: 1 } })).length, 1)
    assert.notEqual(await tokens.getToken(), first)
    await tokens.close()
  })

  it('surfaces invalid_client from the server as KS_TOKEN_INVALID_CLIENT', async () => {
    const tokens = createTokenManager({ tokenUrl: origin, clientId: CLIENT_ID, clientSecret: 'wrong' })
    await assert.rejects(tokens.getToken(), (error: unknown) => {
      assert.ok(error instanceof TokenError)
      assert.equal(error.code, 'KS_TOKEN_INVALID_CLIENT')
      assert.equal(error.error_description, 'Client authentication failed')
      return true
    })
    await tokens.close()
  })

  it('reports a closed port as KS_TOKEN_ENDPOINT_UNAVAILABLE', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const tokens = createTokenManager({
      tokenUrl: `http://127.0.0.1:${port}`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    })
    await assert.rejects(tokens.getToken(), { code: 'KS_TOKEN_ENDPOINT_UNAVAILABLE' })
    await tokens.close()
  })
})
