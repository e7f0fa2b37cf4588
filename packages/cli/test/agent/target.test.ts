import assert from 'node:assert/strict'
import type { IncomingMessage } from 'node:http'
import { describe, it } from 'node:test'
import { requestTarget } from '../../src/agent/http/target.ts'

function parsed(target: string) {
  return requestTarget({ url: target } as IncomingMessage)
}

/** What WHATWG URL parsing makes of the target: what the agent routed on before its fast path. */
function byUrl(target: string) {
  const url = new URL(`http://agent.invalid${target}`)
  return { pathname: url.pathname, search: url.search }
}

/** A deterministic generator (xorshift32), so a failure names a target that fails again. */
function generator(seed: number): () => number {
  let state = seed
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
}

describe('agent request target', () => {
  it('resolves dot segments, encoded or not, so a path cannot climb out of /api/', () => {
    assert.deepEqual(parsed('/erp/api/../oauth2/clients'), { pathname: '/erp/oauth2/clients', search: '' })
    assert.deepEqual(parsed('/erp/api/%2e%2e/admin'), { pathname: '/erp/admin', search: '' })
    assert.deepEqual(parsed('/erp/api/./invoices?x=1'), { pathname: '/erp/api/invoices', search: '?x=1' })
    assert.deepEqual(parsed('/erp\\api\\..\\x'), { pathname: '/erp/x', search: '' })
  })

  it('takes a plain target as it is, with its query', () => {
    assert.deepEqual(parsed('/erp/api/invoices/7'), { pathname: '/erp/api/invoices/7', search: '' })
    assert.deepEqual(parsed('/erp/api/invoices?status=approved&limit=50'), {
      pathname: '/erp/api/invoices',
      search: '?status=approved&limit=50',
    })
    assert.deepEqual(parsed('/erp/api/invoices?'), { pathname: '/erp/api/invoices', search: '' })
  })

  it('refuses a target that is not origin-form', () => {
    for (const target of ['*', 'http://elsewhere/api/invoices', '']) {
      assert.throws(
        () => parsed(target),
        { code: 'KS_AGENT_NOT_FOUND', message: /not as to a forward proxy/ },
        target,
      )
    }
  })

  it('gives what URL parsing gives for 50 000 generated targets of tricky characters', () => {
    // Plain characters and every one that URL parsing treats specially in a path or a query.
    const alphabet = [...'/./..//%2e%2E%2f%5c?#&=+ \'a0-_~!$()*,;:@[]{}|^`\\"<>é\u0000\u007f']
    const random = generator(0x5eed)
    for (let i = 0; i < 50_000; i++) {
      let target = '/'
      const length = Math.floor(random() * 24)
      for (let j = 0; j < length; j++) target += alphabet[Math.floor(random() * alphabet.length)]
      assert.deepEqual(parsed(target), byUrl(target), JSON.stringify(target))
    }
  })
})
