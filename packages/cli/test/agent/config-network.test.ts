import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { parseConfig } from '../../src/agent/config/load.ts'
import { AgentError } from '../../src/agent/errors.ts'
import { createTestPki, type TestPki } from '../network/pki.ts'
import { ENV } from './helpers.ts'

let pki: TestPki
before(() => {
  pki = createTestPki()
})
after(() => pki.remove())

function yaml(instance: string, top = ''): string {
  return `${top}instances:
  production:
    url: https://acme.coupahost.com
${instance}    clients:
      erp: { client_id: erp, client_secret: "\${ERP_CLIENT_SECRET}" }
integrations:
  export: { instance: production, auth: oauth, client: erp, local_secret: "\${EXPORT_LOCAL_SECRET}" }
`
}

function problems(text: string, env: Record<string, string> = ENV): string[] {
  try {
    parseConfig(text, join(pki.dir, 'keyshift.yaml'), env)
  } catch (error) {
    assert.ok(error instanceof AgentError)
    return error.details
  }
  assert.fail('the configuration was accepted')
}

const parse = (text: string, env: Record<string, string> = ENV) =>
  parseConfig(text, join(pki.dir, 'keyshift.yaml'), env)

describe('keyshift.yaml: proxy per instance', () => {
  it('reads HTTPS_PROXY and NO_PROXY from the environment by default', () => {
    const config = parse(yaml(''), { ...ENV, HTTPS_PROXY: 'http://proxy.test:3128', NO_PROXY: '.internal' })
    const instance = config.instances.get('production')
    assert.equal(instance?.proxy, 'env')
    assert.equal(instance?.network.proxy?.https?.href, 'http://proxy.test:3128/')
    assert.deepEqual(instance?.network.proxy?.noProxy, [{ host: 'internal', port: undefined }])
  })

  it('goes direct with proxy: none, whatever the environment says', () => {
    const config = parse(yaml('    proxy: none\n'), { ...ENV, HTTPS_PROXY: 'http://proxy.test:3128' })
    assert.equal(config.instances.get('production')?.network.proxy, undefined)
  })

  it(`takes a proxy URL, and one with a password only as a \${VAR} reference`, () => {
    const config = parse(yaml('    proxy: http://proxy.test:3128\n'))
    assert.equal(config.instances.get('production')?.network.proxy?.https?.host, 'proxy.test:3128')
    const withPassword = parse(yaml(`    proxy: \${PROXY_URL}\n`), {
      ...ENV,
      PROXY_URL: 'http://u:hunter2@proxy.test:3128',
    })
    assert.equal(withPassword.instances.get('production')?.network.proxy?.https?.password, 'hunter2')
    const found = problems(yaml('    proxy: http://u:hunter2@proxy.test:3128\n'))
    assert.deepEqual(found, [
      `instances.production.proxy: a proxy URL with a user or password is a secret: put it in an environment variable and write \${NAME}`,
    ])
    assert.ok(!found.join('\n').includes('hunter2'))
  })

  it('refuses a proxy that is not an http(s) URL without quoting it', () => {
    const found = problems(yaml('    proxy: socks5://u:hunter2@proxy.test:1080\n'))
    assert.deepEqual(found, [
      'instances.production.proxy: must be env, none or a proxy URL such as http://proxy.example.com:3128',
    ])
  })
})

describe('keyshift.yaml: ca_file per instance', () => {
  it('adds the PEM bundle to the default roots', () => {
    const config = parse(yaml(`    ca_file: ${pki.caFile}\n`))
    const instance = config.instances.get('production')
    assert.equal(instance?.caFile, pki.caFile)
    assert.deepEqual(instance?.network.ca, [pki.ca.trim()])
  })

  it('says when the file is missing or holds no certificate', () => {
    writeFileSync(join(pki.dir, 'empty.pem'), 'not a certificate\n')
    assert.deepEqual(problems(yaml('    ca_file: missing.pem\n')), [
      `instances.production.ca_file: cannot read ${join(pki.dir, 'missing.pem')} (no such file)`,
    ])
    assert.deepEqual(problems(yaml('    ca_file: empty.pem\n')), [
      `instances.production.ca_file: ${join(pki.dir, 'empty.pem')} holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----)`,
    ])
  })

  it('has no setting that turns verification off', () => {
    assert.deepEqual(problems(yaml('    tls_verify: false\n')), [
      "instances.production: unknown setting 'tls_verify'",
    ])
    assert.deepEqual(problems(yaml('', 'insecure: true\n')), ["(top level): unknown setting 'insecure'"])
  })
})

describe('keyshift.yaml: tls for the listener', () => {
  it('reads the certificate and key, and allows a remote listen address with them', () => {
    const top = `listen: 0.0.0.0:8787\nallow_remote: true\ntls: { cert_file: ${pki.certFile}, key_file: server.key }\n`
    const config = parse(yaml('', top))
    assert.equal(config.tls?.keyFile, pki.keyFile)
    assert.equal(config.tls?.cert.toString(), pki.cert)
  })

  it('refuses allow_remote without tls, and files that cannot be used', () => {
    assert.deepEqual(problems(yaml('', 'listen: 0.0.0.0:8787\nallow_remote: true\n')), [
      'tls: is required when allow_remote is true: local secrets and tokens would cross the network in clear; give tls: { cert_file, key_file }',
    ])
    assert.deepEqual(problems(yaml('', `tls: { cert_file: ${pki.certFile}, key_file: nope.key }\n`)), [
      `tls.key_file: cannot read ${join(pki.dir, 'nope.key')} (no such file)`,
    ])
    assert.match(
      problems(yaml('', `tls: { cert_file: ${pki.certFile}, key_file: other-ca.key }\n`)).join('\n'),
      /^tls: the certificate and key cannot be used/,
    )
  })
})
