/**
 * A fake Coupa-like instance on 127.0.0.1: `POST /oauth2/token` (client credentials, post or basic)
 * issuing `tok-1`, `tok-2`, …, and `/api/…` that checks `Authorization: Bearer` or
 * `X-COUPA-API-KEY` and answers what it saw as JSON.
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ApiCall {
  method: string
  url: string
  headers: IncomingHttpHeaders
  /** `bearer:<token>`, `api_key:<key>` or `none`. */
  auth: string
  bodyBytes: number
  bodySha256: string
}

export interface FakeInstanceOptions {
  /** client_id → client_secret. */
  clients: Record<string, string>
  apiKeys: string[]
  expiresIn?: number
}

export interface FakeInstance {
  url: string
  apiCalls: ApiCall[]
  tokenRequests: { clientId: string; via: 'post' | 'basic' }[]
  /** Tokens the API refuses with 401 from now on. */
  revoked: Set<string>
  /** Handles an /api request itself when it returns true (streaming tests). */
  intercept: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined
  close(): Promise<void>
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
}

export async function startFakeInstance(options: FakeInstanceOptions): Promise<FakeInstance> {
  let issued = 0
  const valid = new Set<string>()
  const instance: Omit<FakeInstance, 'url' | 'close'> = {
    apiCalls: [],
    tokenRequests: [],
    revoked: new Set(),
    intercept: undefined,
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams((await readBody(req)).toString('utf8'))
    let clientId = form.get('client_id') ?? ''
    let secret = form.get('client_secret') ?? ''
    let via: 'post' | 'basic' = 'post'
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')
    if (basic?.[1] !== undefined) {
      const [id = '', pass = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':')
      ;[clientId, secret, via] = [decodeURIComponent(id), decodeURIComponent(pass), 'basic']
    }
    instance.tokenRequests.push({ clientId, via })
    if (form.get('grant_type') !== 'client_credentials' || options.clients[clientId] !== secret) {
      json(res, 401, { error: 'invalid_client', error_description: 'unknown client or wrong secret' })
      return
    }
    issued += 1
    const accessToken = `tok-${issued}`
    valid.add(accessToken)
    json(res, 200, {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: options.expiresIn ?? 86399,
    })
  }

  function caller(headers: IncomingHttpHeaders): string {
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1]
    if (bearer !== undefined) return `bearer:${bearer}`
    const key = headers['x-coupa-api-key']
    return typeof key === 'string' ? `api_key:${key}` : 'none'
  }

  async function api(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (instance.intercept?.(req, res) === true) return
    const body = await readBody(req)
    const auth = caller(req.headers)
    const call: ApiCall = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      auth,
      bodyBytes: body.length,
      bodySha256: createHash('sha256').update(body).digest('hex'),
    }
    instance.apiCalls.push(call)
    const [kind, value = ''] = auth.split(/:(.*)/)
    const ok =
      (kind === 'bearer' && valid.has(value) && !instance.revoked.has(value)) ||
      (kind === 'api_key' && options.apiKeys.includes(value))
    if (!ok) {
      json(res, 401, { errors: ['unauthorized'] }, { 'www-authenticate': 'Bearer error="invalid_token"' })
      return
    }
    json(res, 200, { method: call.method, url: call.url, auth, body_bytes: call.bodyBytes })
  }

  const server = createServer(function fakeInstance(req, res) {
    const handler = req.url === '/oauth2/token' && req.method === 'POST' ? token : api
    handler(req, res).catch(() => res.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(instance, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}
