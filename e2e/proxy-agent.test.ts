import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { FakeInstance } from '../packages/cli/test/agent/fake-instance.ts'
import type { TestPki } from '../packages/cli/test/network/pki.ts'
import type { TestProxy } from '../packages/cli/test/network/servers.ts'
import { freePort, keyshift, waitFor } from './support/agent.ts'
import {
  CLIENT_SECRET,
  type CompanyNetwork,
  httpsGet,
  LOCAL_SECRET,
  NO_PROXY_ENV,
  PROXY_PASSWORD,
  PROXY_USER,
  servedSerial,
  startCompanyNetwork,
} from './support/company-network.ts'
import { KEYSHIFT_BIN, REPO } from './support/serve.ts'

/** `keyshift agent` and `keyshift call` behind a company proxy (support/company-network.ts), the agent on TLS. */
describe('keyshift agent behind a company proxy with a private CA, on a TLS listener', () => {
  let pki: TestPki
  let instance: FakeInstance
  let proxy: TestProxy
  let hiddenPort: number
  let hiddenUrl: string
  let proxyUrl: string
  let network: CompanyNetwork

  before(async () => {
    network = await startCompanyNetwork()
    ;({ pki, instance, proxy, hiddenPort, hiddenUrl, proxyUrl } = network)
  })
  after(() => network?.close())

  let agent: ChildProcess | undefined
  let output = ''
  let agentPort: number
  let agentUrl: string
  const configFile = () => join(pki.dir, 'keyshift.yaml')

  function writeConfig(options: { caFile?: string; clientSecretVar?: string } = {}): string {
    const file = configFile()
    writeFileSync(
      file,
      `listen: 127.0.0.1:${agentPort}
tls: { cert_file: server.pem, key_file: server.key }
state_dir: ./state-${randomBytes(4).toString('hex')}
instances:
  production:
    url: ${hiddenUrl}
${options.caFile === undefined ? '' : `    ca_file: ${options.caFile}\n`}    clients:
      erp: { client_id: erp, client_secret: "\${${options.clientSecretVar ?? 'ERP_SECRET'}}" }
integrations:
  export: { instance: production, auth: oauth, client: erp, local_secret: "\${EXPORT_LOCAL_SECRET}" }
`,
    )
    return file
  }

  const agentEnv = (env: Record<string, string> = {}) => ({
    ...NO_PROXY_ENV,
    ERP_SECRET: CLIENT_SECRET,
    WRONG_SECRET: 'not-the-client-secret',
    EXPORT_LOCAL_SECRET: LOCAL_SECRET,
    HTTPS_PROXY: proxyUrl,
    ...env,
  })

  before(async () => {
    agentPort = await freePort()
    agentUrl = `https://127.0.0.1:${agentPort}`
    writeConfig({ caFile: 'ca.pem' })
    agent = spawn(process.execPath, [KEYSHIFT_BIN, 'agent', '--config', configFile()], {
      cwd: REPO,
      env: { ...process.env, ...agentEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    agent.stdout?.on('data', (chunk) => {
      output += chunk
    })
    agent.stderr?.on('data', (chunk) => {
      output += chunk
    })
    await waitFor(
      async () => (await httpsGet(`${agentUrl}/healthz`, pki.ca)).body.includes('"fresh"'),
      () => output,
    )
  })
  after(async () => {
    if (agent !== undefined && agent.exitCode === null) {
      const exited = new Promise((done) => agent?.once('exit', done))
      agent.kill('SIGTERM')
      await exited
    }
  })

  it('serves an integration over TLS, its token and API calls going through the proxy', async () => {
    const before = proxy.connects.length
    const answer = await httpsGet(`${agentUrl}/export/api/invoices`, pki.ca, {
      authorization: `Bearer ${LOCAL_SECRET}`,
      accept: 'application/json',
    })
    assert.equal(answer.status, 200, answer.body)
    assert.match(JSON.parse(answer.body).auth, /^bearer:tok-\d+$/)
    assert.ok(proxy.connects.length > before, 'the proxied call opened its own tunnel (node:https pool)')
    assert.ok(proxy.connects.every((target) => target.startsWith('localhost:')))
    assert.ok(instance.apiCalls.length > 0)
  })

  it('refuses plain HTTP on its TLS listener', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest(`http://127.0.0.1:${agentPort}/healthz`, { agent: false }, (res) =>
        resolve(`HTTP ${res.statusCode}`),
      )
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
      req.setTimeout(5000, () => req.destroy(new Error('no answer')))
      req.end()
    })
    assert.ok(!outcome.startsWith('HTTP 2'), `plain HTTP was served: ${outcome}`)
  })

  it('picks up a renewed certificate on SIGHUP without dropping a request', async () => {
    const first = await servedSerial(agentPort, pki.ca)
    const keepAlive = new HttpsAgent({ keepAlive: true, maxSockets: 1, ca: pki.ca })
    const auth = { authorization: `Bearer ${LOCAL_SECRET}` }
    assert.equal((await httpsGet(`${agentUrl}/healthz`, pki.ca, {}, keepAlive)).status, 200)
    // A request in flight across the reload: the instance answers it only after the SIGHUP.
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    let reached = false
    instance.intercept = (_req, res) => {
      reached = true
      void held.then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"held":true}'))
      return true
    }
    const inFlight = httpsGet(`${agentUrl}/export/api/slow`, pki.ca, auth)
    await waitFor(
      async () => reached,
      () => output,
    )
    pki.renew()
    agent?.kill('SIGHUP')
    await waitFor(
      async () => (await servedSerial(agentPort, pki.ca)) !== first,
      () => output,
    )
    release()
    instance.intercept = undefined
    assert.deepEqual(await inFlight, { status: 200, body: '{"held":true}' })
    // The connection opened before the reload still serves (old certificate), new ones get the new one.
    assert.equal((await httpsGet(`${agentUrl}/healthz`, pki.ca, {}, keepAlive)).status, 200)
    keepAlive.destroy()
    assert.match(output, /"msg":"configuration reloaded"/)
  })

  it('keyshift call reaches the API through the proxy, with the CA', async () => {
    const result = await keyshift(
      ['call', 'GET', 'invoices', '--url', hiddenUrl, '--client-id', 'erp', '--ca-file', pki.caFile],
      { ...agentEnv(), KEYSHIFT_CLIENT_SECRET: CLIENT_SECRET },
    )
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /"auth": "bearer:tok-\d+"/)
    const viaConfig = await keyshift(
      ['call', 'GET', 'invoices', '--instance', 'production', '--config', configFile()],
      agentEnv(),
    )
    assert.equal(viaConfig.code, 0, viaConfig.stderr)
    const untrusted = await keyshift(['call', 'GET', 'invoices', '--url', hiddenUrl, '--client-id', 'erp'], {
      ...agentEnv(),
      KEYSHIFT_CLIENT_SECRET: CLIENT_SECRET,
    })
    assert.equal(untrusted.code, 1)
    assert.match(untrusted.stderr, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/)
    assert.ok(!`${result.stderr}${untrusted.stderr}${viaConfig.stderr}`.includes(PROXY_PASSWORD))
  })

  it('--check --connect shows each step through the proxy and the CA, and the token answer', async () => {
    const result = await keyshift(['agent', '--config', configFile(), '--check', '--connect'], agentEnv())
    assert.equal(result.code, 0, `${result.stdout}${result.stderr}`)
    const proxyShown = `http://***@${new URL(proxy.url).host}`
    assert.match(result.stdout, /^ {2}dns {3}ok {6}proxy 127\.0\.0\.1 \(an IP address, no lookup\)$/m)
    assert.ok(
      result.stdout.includes(
        `proxy ok      ${proxyShown} answered HTTP 200 to CONNECT localhost:${hiddenPort}`,
      ),
    )
    assert.match(
      result.stdout,
      /^ {2}tls {3}ok {6}TLSv1\.[23], issuer O=Keyshift tests, CN=Keyshift Test CA, expires \d{4}-.*days left\)$/m,
    )
    assert.match(
      result.stdout,
      /^ {2}token ok {6}client erp: HTTP 200, a token was issued \(not shown\), expires_in 86399$/m,
    )
    assert.ok(!result.stdout.includes('tok-'), 'no token printed')
  })

  it('--check --connect tells a credential problem from a network problem', async () => {
    writeConfig({ caFile: 'ca.pem', clientSecretVar: 'WRONG_SECRET' })
    const refused = await keyshift(['agent', '--config', configFile(), '--check', '--connect'], agentEnv())
    assert.equal(refused.code, 1)
    assert.match(
      refused.stdout,
      /token FAILED {2}client erp: HTTP 401 invalid_client — the network is fine: check the credentials/,
    )
    assert.match(refused.stderr, /KS_AGENT_CONNECT_FAILED: 1 of 1 instances cannot get a token: production/)

    writeConfig({})
    const untrusted = await keyshift(['agent', '--config', configFile(), '--check', '--connect'], agentEnv())
    assert.equal(untrusted.code, 1)
    assert.match(
      untrusted.stdout,
      /tls {3}FAILED {2}UNABLE_TO_VERIFY_LEAF_SIGNATURE: .*issuer O=Keyshift tests, CN=Keyshift Test CA.*give the CA that issued it in ca_file/,
    )
    assert.doesNotMatch(untrusted.stdout, /^ {2}token/m)

    const noProxy = await keyshift(
      ['agent', '--config', configFile(), '--check', '--connect'],
      agentEnv({ HTTPS_PROXY: '' }),
    )
    assert.match(
      noProxy.stdout,
      /proxy FAILED {2}not used \(no HTTPS_PROXY or HTTP_PROXY set\); cannot connect to localhost:\d+ \(ECONNREFUSED\)/,
    )

    const wrong = `http://${PROXY_USER}:wrong-password@${new URL(proxy.url).host}`
    const denied = await keyshift(
      ['agent', '--config', configFile(), '--check', '--connect', '--json'],
      agentEnv({ HTTPS_PROXY: wrong }),
    )
    assert.match(denied.stdout, /answered HTTP 407 to CONNECT/)
    assert.ok(!`${denied.stdout}${denied.stderr}`.includes('wrong-password'))
    writeConfig({ caFile: 'ca.pem' })
  })

  it('without the CA the agent has no token, and says why', async () => {
    writeConfig({})
    const port = await freePort()
    writeFileSync(configFile(), readConfigWithPort(configFile(), port))
    const child = spawn(process.execPath, [KEYSHIFT_BIN, 'agent', '--config', configFile()], {
      cwd: REPO,
      env: { ...process.env, ...agentEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let log = ''
    child.stderr?.on('data', (chunk) => {
      log += chunk
    })
    try {
      await waitFor(
        async () => log.includes('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
        () => log,
      )
      const answer = await httpsGet(`https://127.0.0.1:${port}/v1/tokens/export`, pki.ca, {
        authorization: `Bearer ${LOCAL_SECRET}`,
      })
      assert.equal(answer.status, 503)
      const body = JSON.parse(answer.body)
      assert.equal(body.code, 'KS_AGENT_TOKEN_UNAVAILABLE')
      assert.match(body.message, /UNABLE_TO_VERIFY_LEAF_SIGNATURE|not from a trusted CA|cannot reach/)
    } finally {
      const exited = new Promise((done) => child.once('exit', done))
      child.kill('SIGTERM')
      await exited
      writeConfig({ caFile: 'ca.pem' })
    }
    assert.ok(!log.includes(PROXY_PASSWORD), 'the proxy password is not logged')
  })

  it('never logs the proxy credentials', () => {
    assert.ok(output.length > 0)
    assert.ok(!output.includes(PROXY_PASSWORD), 'no proxy password in the agent log')
    assert.ok(!output.includes(CLIENT_SECRET))
    assert.ok(proxy.authorizations.length > 0, 'the credentials did reach the proxy')
  })
})

function readConfigWithPort(file: string, port: number): string {
  return readFileSync(file, 'utf8').replace(/^listen: .*$/m, `listen: 127.0.0.1:${port}`)
}
