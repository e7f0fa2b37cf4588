/**
 * The token endpoint served straight from node:http (src/oauth/endpoints/token-direct.ts): it takes
 * only plain form requests, answers each exactly as Fastify's route does, and is what a listening
 * instance uses for them. `app.inject` goes through Fastify's route, so every other token test
 * covers that one; here the same requests go both ways and the answers are compared.
 */
import assert from 'node:assert/strict'
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createLogger } from '../../src/logger.ts'
import { directTokenRequests } from '../../src/oauth/endpoints/token-direct.ts'
import { AuthThrottle } from '../../src/oauth/throttle.ts'
import {
  basicHeader,
  type CreatedClient,
  ISSUER,
  startInstance,
  TestClock,
  type TestInstance,
} from '../instance.ts'
import { storeBackends } from '../stores.ts'

const FORM = 'application/x-www-form-urlencoded'
/** What a node:http server adds to every answer on its own, and Fastify's inject does not. */
const CONNECTION_HEADERS = ['date', 'connection', 'keep-alive']
/** The fallback of the direct path in the standalone server: a request it did not take. */
const NOT_TAKEN = 599

interface Sent {
  method?: string
  url?: string
  headers: Record<string, string>
  body: string
}

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

const backend = storeBackends[0]
if (backend === undefined) throw new Error('no store backend')

describe('token endpoint served before Fastify routes it', { skip: backend.skip }, () => {
  let t: TestInstance
  let client: CreatedClient
  let direct: Server
  let directPort: number
  let instancePort: number
  const lines: string[] = []
  const clock = new TestClock()

  before(async () => {
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } })
    // Guesses here are few and deliberate: none is slowed down.
    const throttle = { freeFailures: 1_000 }
    t = await startInstance(backend, { clock, logger, throttle })
    client = await t.createClient({ scopes: ['core.invoice.read', 'core.common.read'] })
    const { instance } = t
    const serveFirst = directTokenRequests(
      {
        issuer: ISSUER,
        realm: ISSUER,
        tokens: instance.tokens,
        keys: instance.keys,
        revocations: instance.revocations,
        clients: instance.clients,
        throttle: new AuthThrottle({ clock, ...throttle }),
      },
      logger,
    )
    direct = createServer((request, response) => {
      if (!serveFirst(request, response)) response.writeHead(NOT_TAKEN).end()
    })
    await new Promise<void>((resolve) => direct.listen(0, '127.0.0.1', resolve))
    directPort = (direct.address() as AddressInfo).port
    await instance.app.listen({ port: 0, host: '127.0.0.1' })
    instancePort = (instance.app.server.address() as AddressInfo).port
  })
  after(async () => {
    await new Promise((resolve) => direct.close(resolve))
    await t.close()
  })

  const credentials = () => `client_id=${client.client_id}&client_secret=${client.client_secret}`
  const form = (body: string, headers: Record<string, string> = {}): Sent => ({
    headers: { 'content-type': FORM, ...headers },
    body,
  })

  /** Requests the direct path takes, each with the answer's status. */
  const plainRequests: Array<[string, () => Sent, number]> = [
    [
      'secret in the body, a scope',
      () => form(`grant_type=client_credentials&scope=core.invoice.read&${credentials()}`),
      200,
    ],
    [
      'HTTP Basic',
      () =>
        form('grant_type=client_credentials', {
          authorization: basicHeader(client.client_id, client.client_secret),
        }),
      200,
    ],
    [
      "fetch's content type (URLSearchParams)",
      () =>
        form(`grant_type=client_credentials&${credentials()}`, { 'content-type': `${FORM};charset=UTF-8` }),
      200,
    ],
    [
      'percent-encoding and + for spaces',
      () => form(`grant_type=client%5Fcredentials&scope=core.invoice.read+core.common.read&${credentials()}`),
      200,
    ],
    [
      'a wrong secret',
      () => form(`grant_type=client_credentials&client_id=${client.client_id}&client_secret=wrong`),
      401,
    ],
    [
      'a wrong secret with Basic',
      () => form('grant_type=client_credentials', { authorization: basicHeader(client.client_id, 'wrong') }),
      401,
    ],
    ['no client authentication', () => form('grant_type=client_credentials'), 401],
    [
      'an unknown client',
      () => form(`grant_type=client_credentials&client_id=${'0'.repeat(32)}&client_secret=x`),
      401,
    ],
    ['no grant_type', () => form(credentials()), 400],
    ['another grant type', () => form(`grant_type=password&${credentials()}`), 400],
    [
      'a repeated parameter',
      () => form(`grant_type=client_credentials&grant_type=client_credentials&${credentials()}`),
      400,
    ],
    [
      'a scope the client does not have',
      () => form(`grant_type=client_credentials&scope=core.supplier.write&${credentials()}`),
      400,
    ],
    [
      'a scope outside the grammar',
      () => form(`grant_type=client_credentials&scope=%22x%22&${credentials()}`),
      400,
    ],
    [
      'Basic and a secret in the body',
      () =>
        form(`grant_type=client_credentials&client_secret=x`, {
          authorization: basicHeader(client.client_id, 'x'),
        }),
      400,
    ],
    [
      'a malformed Basic header',
      () => form('grant_type=client_credentials', { authorization: 'Basic %%%' }),
      400,
    ],
    [
      'bytes that are not UTF-8 (%FF)',
      () => form(`grant_type=client_credentials&scope=%FF&${credentials()}`),
      400,
    ],
  ]

  for (const [name, make, status] of plainRequests) {
    it(`takes ${name} and answers ${status} as Fastify's route does`, async () => {
      const sent = make()
      const [served, routed] = await Promise.all([send(directPort, sent), inject(sent)])
      assert.equal(served.status, status, served.body)
      assert.deepEqual(comparable(served), comparable(routed))
    })
  }

  /** Requests the direct path leaves to Fastify's route. */
  const otherRequests: Array<[string, () => Sent]> = [
    [
      'a query string',
      () => ({ ...form(`grant_type=client_credentials&${credentials()}`), url: '/oauth2/token?x=1' }),
    ],
    [
      'another path',
      () => ({ ...form(`grant_type=client_credentials&${credentials()}`), url: '/oauth2/token/' }),
    ],
    ['another method', () => ({ ...form(''), method: 'PUT' })],
    [
      'another content type',
      () => form(`grant_type=client_credentials&${credentials()}`, { 'content-type': 'application/json' }),
    ],
    [
      'a charset in other spelling',
      () =>
        form(`grant_type=client_credentials&${credentials()}`, { 'content-type': `${FORM}; charset=utf-8` }),
    ],
    ['an empty body', () => form('')],
    ['a body over the limit', () => form(`grant_type=client_credentials&pad=${'x'.repeat(16 * 1024)}`)],
    [
      'a chunked body',
      () => form(`grant_type=client_credentials&${credentials()}`, { 'transfer-encoding': 'chunked' }),
    ],
  ]

  for (const [name, make] of otherRequests) {
    it(`leaves ${name} to Fastify's route`, async () => {
      assert.equal((await send(directPort, make())).status, NOT_TAKEN)
    })
  }

  it('is what a listening instance answers plain token requests with, Fastify the others', async () => {
    const issued = await send(instancePort, form(`grant_type=client_credentials&${credentials()}`))
    assert.equal(issued.status, 200, issued.body)
    lines.length = 0
    const guess = () =>
      form(`grant_type=client_credentials&client_id=${client.client_id}&client_secret=guess`)
    assert.equal((await send(instancePort, guess())).status, 401)
    assert.equal((await send(instancePort, { ...guess(), url: '/oauth2/token?from=fastify' })).status, 401)
    const failures = lines
      .map((line) => JSON.parse(line))
      .filter((line) => line.msg === 'client authentication failed')
    // The direct path's request ids say which path answered.
    assert.deepEqual(
      failures.map((line) => String(line.reqId).startsWith('token-')),
      [true, false],
    )
    for (const line of lines) assert.doesNotMatch(line, /guess|client_secret=/)
    assert.ok(failures.every((line) => line.client_id === client.client_id && line.reason === 'wrong secret'))
  })

  async function inject(sent: Sent): Promise<Answer> {
    const response = await t.instance.app.inject({
      method: (sent.method ?? 'POST') as 'POST',
      url: sent.url ?? '/oauth2/token',
      headers: sent.headers,
      payload: sent.body,
    })
    return {
      status: response.statusCode,
      headers: response.headers as IncomingHttpHeaders,
      body: response.body,
    }
  }
})

function send(port: number, sent: Sent): Promise<Answer> {
  const chunked = sent.headers['transfer-encoding'] === 'chunked'
  const headers = chunked
    ? sent.headers
    : { ...sent.headers, 'content-length': String(Buffer.byteLength(sent.body)) }
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method: sent.method ?? 'POST', path: sent.url ?? '/oauth2/token', headers },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          body += chunk
        })
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        )
      },
    )
    request.on('error', reject)
    request.end(sent.body)
  })
}

/**
 * An answer without what differs between two correct answers: the headers node:http adds on a
 * socket, and a token's id and signature (the rest of the token, its claims, must be the same).
 */
function comparable(answer: Answer): unknown {
  const headers = Object.fromEntries(
    Object.entries(answer.headers).filter(([name]) => !CONNECTION_HEADERS.includes(name)),
  )
  const body = JSON.parse(answer.body) as Record<string, unknown>
  if (typeof body.access_token === 'string') {
    const [header, payload, signature] = body.access_token.split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())
    assert.match(claims.jti, /^[\w-]{22}$/)
    assert.match(signature ?? '', /^[\w-]{86}$/)
    body.access_token = { header, claims: { ...claims, jti: 'each token its own' } }
  }
  return { status: answer.status, headers, body }
}
