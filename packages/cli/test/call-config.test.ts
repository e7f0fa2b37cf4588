import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type FakeInstance, fakeInstance, ID, SECRET } from './fake-instance.ts'
import { run } from './helpers.ts'

describe('keyshift call --instance: the instance and client of the agent configuration', () => {
  let instance: FakeInstance
  let folder: string
  let config: string
  const env = { ERP_ID: ID, ERP_SECRET: SECRET, LOCAL: 'a-local-secret-of-the-integration' }

  before(async () => {
    instance = await fakeInstance()
    folder = mkdtempSync(join(tmpdir(), 'keyshift-call-config-'))
    config = join(folder, 'keyshift.yaml')
    writeFileSync(
      config,
      `instances:
  test:
    url: ${instance.url}
    clients:
      erp:
        client_id: \${ERP_ID}
        client_secret: \${ERP_SECRET}
        scopes: [core.invoice.read, core.supplier.read]
integrations:
  export:
    instance: test
    auth: oauth
    client: erp
    local_secret: \${LOCAL}
`,
    )
  })
  after(async () => {
    await instance.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('gets the token with the configured client and its scopes, and calls the configured instance', async () => {
    instance.api = () => ({ status: 200, body: [{ id: 1 }] })
    const result = await run(['call', 'GET', 'suppliers', '--instance', 'test', '--config', config], env)
    assert.equal(result.code, 0, result.stderr)
    const [token] = instance.tokenRequests()
    assert.equal(
      token?.body,
      `client_id=${ID}&grant_type=client_credentials&scope=core.invoice.read+core.supplier.read&client_secret=${SECRET}`,
    )
    assert.equal(instance.apiRequests().at(-1)?.url, '/api/suppliers')
  })

  it('names the instances it knows when the name is wrong', async () => {
    const result = await run(['call', 'GET', 'suppliers', '--instance', 'prod', '--config', config], env)
    assert.equal(result.code, 2)
    assert.match(result.stderr, /no instance "prod" in .*keyshift\.yaml; instances: test/)
  })

  it('refuses --url with --instance', async () => {
    const result = await run(['call', 'GET', 'suppliers', '--instance', 'test', '--url', instance.url], env)
    assert.equal(result.code, 2)
    assert.match(result.stderr, /give --url or --instance, not both/)
  })
})
