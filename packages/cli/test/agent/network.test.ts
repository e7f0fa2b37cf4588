import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runAgent } from '../../src/agent/main.ts'
import { startConnectProxy, type TestProxy } from '../network/servers.ts'
import { type FakeInstance, startFakeInstance } from './fake-instance.ts'
import {
  agentYaml,
  bearer,
  call,
  ENV,
  NEVER_LOGGED,
  type RunningAgent,
  startAgent,
  waitFor,
} from './helpers.ts'

const PASSWORD = 'proxy-password-never-logged'

/** The agent's configuration with every instance behind `${PROXY_URL}`. */
function behindProxy(instanceUrl: string): string {
  return agentYaml({ instanceUrl, exportAuth: 'api_key' }).replace(
    `    url: ${instanceUrl}\n`,
    `    url: ${instanceUrl}\n    proxy: \${PROXY_URL}\n`,
  )
}

describe('the agent behind a proxy that asks for a password', () => {
  let instance: FakeInstance
  let proxy: TestProxy
  const running: RunningAgent[] = []

  before(async () => {
    instance = await startFakeInstance({
      clients: { [ENV.ERP_CLIENT_ID]: ENV.ERP_CLIENT_SECRET, 'suppliers-client': ENV.SUPPLIER_CLIENT_SECRET },
      apiKeys: [ENV.EXPORT_API_KEY],
    })
    proxy = await startConnectProxy({ credentials: `user:${PASSWORD}` })
  })
  after(async () => {
    await Promise.all(running.map((agent) => agent.close()))
    await proxy.close()
    await instance.close()
  })

  const start = async (password: string) => {
    const env = { ...ENV, PROXY_URL: `http://user:${password}@${new URL(proxy.url).host}` }
    const agent = await startAgent(behindProxy(instance.url), {}, env)
    running.push(agent)
    return agent
  }

  it('sends tokens requests and proxied calls through the tunnel with the right password', async () => {
    const before = proxy.connects.length
    const agent = await start(PASSWORD)
    const answer = await call(`${agent.url}/invoice-export/api/invoices`, {
      headers: bearer(ENV.EXPORT_LOCAL_SECRET),
    })
    assert.equal(answer.status, 200, answer.text)
    await waitFor(async () => (await call(`${agent.url}/healthz`)).text.includes('"fresh"'))
    const host = new URL(instance.url).host
    assert.ok(proxy.connects.slice(before).length >= 2)
    assert.ok(proxy.connects.slice(before).every((target) => target === host))
  })

  it('answers 502 naming the proxy without its password when it refuses the tunnel, and logs no password', async () => {
    const agent = await start('a-wrong-password')
    const answer = await call(`${agent.url}/invoice-export/api/invoices`, {
      headers: bearer(ENV.EXPORT_LOCAL_SECRET),
    })
    assert.equal(answer.status, 502)
    assert.equal(answer.body.code, 'KS_AGENT_UPSTREAM_UNAVAILABLE')
    const proxyHost = new URL(proxy.url).host
    assert.match(
      String(answer.body.message),
      new RegExp(`unreachable \\(the proxy http://\\*\\*\\*@${proxyHost} answered HTTP 407 to CONNECT`),
    )
    const token = await call(`${agent.url}/v1/tokens/suppliers`, {
      headers: bearer(ENV.SUPPLIERS_LOCAL_SECRET),
    })
    assert.equal(token.status, 503)
    await waitFor(() => agent.logs.some((line) => line.includes('407')))
    const everything = `${agent.logs.join('\n')}${answer.text}${token.text}`
    for (const secret of [PASSWORD, 'a-wrong-password', ...NEVER_LOGGED]) {
      assert.ok(!everything.includes(secret), `never logged: ${secret}`)
    }
  })

  it('takes a changed proxy setting on reload: proxy: none goes direct', async () => {
    const agent = await start(PASSWORD)
    const send = () =>
      call(`${agent.url}/invoice-export/api/invoices`, { headers: bearer(ENV.EXPORT_LOCAL_SECRET) })
    assert.equal((await send()).status, 200)
    const before = proxy.connects.length
    await writeFile(
      agent.configPath,
      behindProxy(instance.url).replace(`proxy: \${PROXY_URL}`, 'proxy: none'),
    )
    assert.equal(await agent.agent.reload('test'), true)
    const answer = await send()
    assert.equal(answer.status, 200, answer.text)
    await waitFor(async () => (await call(`${agent.url}/healthz`)).text.includes('"fresh"'))
    assert.equal(proxy.connects.length, before, 'no CONNECT after the switch to proxy: none')
  })

  it('--check shows the proxy without its user or password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keyshift-agent-'))
    const configPath = join(dir, 'keyshift.yaml')
    await writeFile(configPath, behindProxy(instance.url))
    const printed: string[] = []
    const env = { ...ENV, PROXY_URL: `http://user:${PASSWORD}@${new URL(proxy.url).host}` }
    const signals = new EventEmitter()
    for (const json of [false, true]) {
      await runAgent({
        configPath,
        env,
        log: () => {},
        print: (text) => printed.push(text),
        signals,
        check: true,
        json,
      })
    }
    await rm(dir, { recursive: true, force: true })
    const output = printed.join('\n')
    assert.ok(output.includes(`proxy: http://***@${new URL(proxy.url).host}`), output)
    assert.ok(output.includes(`"proxy": "http://***@${new URL(proxy.url).host}"`), output)
    assert.ok(!output.includes(PASSWORD) && !output.includes('user:'))
  })
})
