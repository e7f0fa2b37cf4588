import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { networkHint, networkReason, redactCredentials } from '../src/net.ts'

/** What undici's fetch throws: TypeError('fetch failed') → … → the socket's or the proxy's error. */
function fetchFailed(inner: Error): Error {
  return new TypeError('fetch failed', { cause: new Error('Request was cancelled.', { cause: inner }) })
}

describe('network reasons behind a proxy', () => {
  it('names a refused CONNECT found among the causes, with a hint', () => {
    const error = fetchFailed(new Error('Proxy response (407) !== 200 when HTTP Tunneling'))
    assert.equal(networkReason(error), 'the proxy answered HTTP 407 to CONNECT')
    assert.match(networkHint(error) ?? '', /^check HTTPS_PROXY/)
  })

  it('names an untrusted certificate, with a hint to trust its CA', () => {
    const tls = Object.assign(new Error('unable to verify the first certificate'), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    })
    const error = new TypeError('fetch failed', { cause: tls })
    assert.equal(
      networkReason(error),
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE: the certificate is not from a trusted CA',
    )
    assert.match(networkHint(error) ?? '', /--ca-file FILE .* verification cannot be turned off/)
  })

  it('gives no hint for other failures', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    })
    assert.equal(networkReason(refused), 'ECONNREFUSED')
    assert.equal(networkHint(refused), undefined)
  })

  it('never shows the user or password of a URL', () => {
    const error = new TypeError('fetch failed', {
      cause: new Error('cannot connect to http://user:s3cret@proxy.test:3128/'),
    })
    assert.equal(networkReason(error), 'cannot connect to http://***@proxy.test:3128/')
    assert.equal(redactCredentials('a http://u:p@h:1 and https://x@y'), 'a http://***@h:1 and https://***@y')
  })
})
