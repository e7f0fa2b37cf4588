import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  createTokenManager,
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
