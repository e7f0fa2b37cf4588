import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { type AddressInfo, connect, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  clientCredentialsRequest,
  createProxyFetch,
  createTokenManager,
  type FetchLike,
  proxyForUrl,
  proxyRulesFor,
  proxyRulesFromEnv,
  redactProxyUrl,
} from '../src/index.ts'

function via(url: string, env: Record<string, string>): string | undefined {
  return proxyForUrl(new URL(url), proxyRulesFromEnv(env))?.href
}

describe('proxy rules from the environment', () => {
  const proxy = { HTTPS_PROXY: 'http://proxy.test:3128', HTTP_PROXY: 'http://plain.test:8080' }

  it('sends https URLs through HTTPS_PROXY and http URLs through HTTP_PROXY', () => {
    assert.equal(via('https://acme.coupahost.com/oauth2/token', proxy), 'http://proxy.test:3128/')
    assert.equal(via('http://acme.example/x', proxy), 'http://plain.test:8080/')
  })

  it('falls back to HTTP_PROXY for https URLs, and prefers the lowercase names', () => {
    assert.equal(
      via('https://a.example', { HTTP_PROXY: 'http://plain.test:8080' }),
      'http://plain.test:8080/',
    )
    assert.equal(
      via('https://a.example', { ...proxy, https_proxy: 'http://lower.test:1' }),
      'http://lower.test:1/',
    )
  })

  it('reads a proxy without a scheme as http://', () => {
    assert.equal(via('https://a.example', { HTTPS_PROXY: 'proxy.test:3128' }), 'http://proxy.test:3128/')
  })

  it('goes direct for NO_PROXY hosts, domain suffixes, host:port rules and *', () => {
    const env = { ...proxy, NO_PROXY: 'internal.test, .corp.example,example.com localhost:8443' }
    assert.equal(via('https://internal.test/x', env), undefined)
    assert.equal(via('https://a.internal.test/x', env), undefined)
    assert.equal(via('https://corp.example/x', env), undefined)
    assert.equal(via('https://b.corp.example/x', env), undefined)
    assert.equal(via('https://api.example.com/x', env), undefined)
    assert.equal(via('https://notexample.com/x', env), 'http://proxy.test:3128/')
    assert.equal(via('https://localhost:8443/x', env), undefined)
    assert.equal(via('https://localhost/x', env), 'http://proxy.test:3128/')
    assert.equal(via('https://anything.test', { ...proxy, no_proxy: '*' }), undefined)
  })

  it('goes direct when no proxy is set', () => {
    assert.equal(via('https://a.example', {}), undefined)
  })

  it('uses one proxy for every URL when given a URL', () => {
    const rules = proxyRulesFor('http://u:p@proxy.test:3128', { NO_PROXY: '*' })
    assert.equal(proxyForUrl(new URL('https://a.example'), rules)?.host, 'proxy.test:3128')
  })

  it('refuses a proxy URL of another scheme without quoting it', () => {
    assert.throws(
      () => proxyRulesFromEnv({ HTTPS_PROXY: 'socks5://user:hunter2@proxy.test:1080' }),
      (error: Error) =>
        /HTTPS_PROXY must be an http/.test(error.message) && !error.message.includes('hunter2'),
    )
  })
})

describe('redactProxyUrl', () => {
  it('never shows the user or the password', () => {
    assert.equal(redactProxyUrl('http://user:hunter2@proxy.test:3128/'), 'http://***@proxy.test:3128')
    assert.equal(redactProxyUrl('http://proxy.test:3128'), 'http://proxy.test:3128')
  })
})

describe('the proxy option', () => {
  it('is refused together with fetch', () => {
    assert.throws(
      () =>
        createTokenManager({
          tokenUrl: 'https://a.example/oauth2/token',
          clientId: 'c',
          clientSecret: 's',
          fetch,
          proxy: 'env',
        }),
      /give fetch or proxy, not both/,
    )
  })
})

describe('the proxy option, through a CONNECT proxy on loopback (undici installed)', () => {
  let endpoint: Server
  let proxy: Server
  let tokenUrl: string
  let proxyUrl: string
  const connects: string[] = []

  before(async () => {
    endpoint = createServer(function token(_req, res) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ access_token: 'proxied-token', token_type: 'bearer', expires_in: 3600 }))
    })
    proxy = createServer()
    proxy.on('connect', function tunnel(req: IncomingMessage, client: Socket) {
      connects.push(`${req.url} ${req.headers['proxy-authorization'] ?? ''}`)
      const [host = '', port = ''] = (req.url ?? '').split(':')
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    const port = (server: Server) =>
      new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      )
    tokenUrl = `http://127.0.0.1:${await port(endpoint)}/oauth2/token`
    proxyUrl = `http://127.0.0.1:${await port(proxy)}`
  })
  after(() => {
    endpoint.closeAllConnections()
    proxy.closeAllConnections()
    endpoint.close()
    proxy.close()
  })

  const request = (options: { proxy?: string; fetch?: FetchLike }) =>
    clientCredentialsRequest({ tokenUrl, clientId: 'c', clientSecret: 's', ...options })

  it('sends the token request through the proxy, with its credentials as Proxy-Authorization', async () => {
    connects.length = 0
    const user = `http://user:pa%20ss@${new URL(proxyUrl).host}`
    const response = await request({ proxy: user })
    assert.equal(response.status, 200)
    const basic = Buffer.from('user:pa ss').toString('base64')
    assert.deepEqual(connects, [`${new URL(tokenUrl).host} Basic ${basic}`])
  })

  it("goes directly to a NO_PROXY host with 'env' rules", async () => {
    connects.length = 0
    const fetch = createProxyFetch('env', { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' })
    assert.equal((await request({ fetch })).status, 200)
    assert.deepEqual(connects, [])
    const proxied = createProxyFetch('env', { http_proxy: proxyUrl })
    assert.equal((await request({ fetch: proxied })).status, 200)
    assert.equal(connects.length, 1)
  })
})
