import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { TestPki } from '../packages/cli/test/network/pki.ts'
import type { TestProxy, TlsFront } from '../packages/cli/test/network/servers.ts'
import { keyshift } from './support/agent.ts'
import {
  CLIENT_SECRET,
  type CompanyNetwork,
  NO_PROXY_ENV,
  PROXY_PASSWORD,
  PROXY_USER,
  startCompanyNetwork,
} from './support/company-network.ts'

/** `keyshift token` behind a company proxy (support/company-network.ts). */
describe('keyshift token behind a company proxy with a private CA', () => {
  let pki: TestPki
  let front: TlsFront
  let proxy: TestProxy
  let hiddenPort: number
  let hiddenUrl: string
  let proxyUrl: string
  let network: CompanyNetwork

  before(async () => {
    network = await startCompanyNetwork()
    ;({ pki, front, proxy, hiddenPort, hiddenUrl, proxyUrl } = network)
  })
  after(() => network?.close())

  const token = (env: Record<string, string>, extra: string[] = [], url = hiddenUrl) =>
    keyshift(['token', '--url', url, '--client-id', 'erp', ...extra], {
      ...NO_PROXY_ENV,
      KEYSHIFT_CLIENT_SECRET: CLIENT_SECRET,
      ...env,
    })

  it('gets a token only through the proxy and trusting the CA', async () => {
    const before = proxy.connects.length
    const result = await token({ HTTPS_PROXY: proxyUrl }, ['--ca-file', pki.caFile])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^access_token +tok-\d+$/m)
    assert.deepEqual(proxy.connects.slice(before), [`localhost:${hiddenPort}`])
  })

  it('takes the lowercase https_proxy and KEYSHIFT_CA_FILE too', async () => {
    const result = await token({ https_proxy: proxyUrl, KEYSHIFT_CA_FILE: pki.caFile })
    assert.equal(result.code, 0, result.stderr)
  })

  it('fails with a clear message without the proxy', async () => {
    const result = await token({}, ['--ca-file', pki.caFile])
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      new RegExp(
        `KS_TOKEN_ENDPOINT_UNAVAILABLE: cannot reach the token endpoint ${hiddenUrl}/oauth2/token \\(ECONNREFUSED\\)`,
      ),
    )
  })

  it('fails with a clear message and a hint without the CA', async () => {
    const result = await token({ HTTPS_PROXY: proxyUrl })
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      /\(UNABLE_TO_VERIFY_LEAF_SIGNATURE: the certificate is not from a trusted CA\)/,
    )
    assert.match(result.stderr, /hint: .*--ca-file FILE/)
    // An unrelated CA does not help either: the bundle is added to the roots, it is not a bypass.
    const other = await token({ HTTPS_PROXY: proxyUrl }, ['--ca-file', pki.otherCaFile])
    assert.match(other.stderr, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/)
  })

  it('says the proxy refused the tunnel, never quoting its password', async () => {
    const wrong = `http://${PROXY_USER}:not-the-password@${new URL(proxy.url).host}`
    const result = await token({ HTTPS_PROXY: wrong, KEYSHIFT_DEBUG: '1' }, ['--ca-file', pki.caFile])
    assert.equal(result.code, 1)
    assert.match(result.stderr, /the proxy answered HTTP 407 to CONNECT/)
    assert.match(result.stderr, /hint: check HTTPS_PROXY/)
    assert.ok(!result.stderr.includes('not-the-password'), result.stderr)
    const right = await token({ HTTPS_PROXY: proxyUrl, KEYSHIFT_DEBUG: '1' })
    assert.ok(!`${right.stdout}${right.stderr}`.includes(PROXY_PASSWORD))
  })

  it('goes directly to the hosts of NO_PROXY', async () => {
    const before = proxy.connects.length
    const direct = `https://localhost:${front.port}`
    for (const noProxy of ['localhost', '.localhost', `localhost:${front.port}`, '*']) {
      const result = await token(
        { HTTPS_PROXY: proxyUrl, NO_PROXY: noProxy },
        ['--ca-file', pki.caFile],
        direct,
      )
      assert.equal(result.code, 0, `${noProxy}: ${result.stderr}`)
    }
    assert.equal(proxy.connects.length, before, 'the proxy saw no CONNECT')
    // The hidden address is not reachable directly: NO_PROXY really bypassed the proxy.
    const hidden = await token({ HTTPS_PROXY: proxyUrl, NO_PROXY: 'localhost' }, ['--ca-file', pki.caFile])
    assert.match(hidden.stderr, /ECONNREFUSED/)
    // A rule for another port does not apply.
    const other = await token({ HTTPS_PROXY: proxyUrl, NO_PROXY: 'localhost:1' }, ['--ca-file', pki.caFile])
    assert.equal(other.code, 0, other.stderr)
    assert.equal(proxy.connects.length, before + 1)
  })
})
