import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadConfig, parseConfig } from '../../src/agent/config/load.ts'
import { AgentError } from '../../src/agent/errors.ts'
import { ENV } from './helpers.ts'

const PATH = '/etc/keyshift/keyshift.yaml'

const VALID = `listen: 127.0.0.1:8787
state_dir: ./keyshift-agent
instances:
  production:
    url: https://acme.coupahost.com
    clients:
      erp:
        client_id: \${ERP_CLIENT_ID}
        client_secret: \${ERP_CLIENT_SECRET}
        scopes: [core.invoice.read, core.supplier.read]
        auth: client_secret_post
  test: { url: "http://127.0.0.1:8080", clients: { erp: { client_id: erp-test, client_secret: "\${SUPPLIER_CLIENT_SECRET}", scopes: "core.invoice.read  core.common.read" } } }
integrations:
  invoice-export:
    instance: production
    auth: oauth
    client: erp
    api_key: \${EXPORT_API_KEY}
    local_secret: \${EXPORT_LOCAL_SECRET}
`

/** The problems reported for `yaml` (which must be refused). */
function problems(yaml: string, env: Record<string, string> = ENV): string[] {
  try {
    parseConfig(yaml, PATH, env)
  } catch (error) {
    assert.ok(error instanceof AgentError)
    assert.equal(error.agentCode, 'KS_AGENT_CONFIG_INVALID')
    assert.match(error.message, /^the configuration \/etc\/keyshift\/keyshift\.yaml has \d+ problems?$/)
    return error.details
  }
  assert.fail('the configuration was accepted')
}

describe('keyshift.yaml: a valid configuration', () => {
  it(`resolves \${NAME} references, scopes, defaults and a state_dir relative to the file`, () => {
    const config = parseConfig(VALID, PATH, ENV)
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 8787 })
    assert.equal(config.allowRemote, false)
    assert.equal(config.stateDir, '/etc/keyshift/keyshift-agent')
    const erp = config.instances.get('production')?.clients.get('erp')
    assert.equal(erp?.clientId, ENV.ERP_CLIENT_ID)
    assert.equal(erp?.clientSecret, ENV.ERP_CLIENT_SECRET)
    assert.equal(erp?.tokenUrl.href, 'https://acme.coupahost.com/oauth2/token')
    assert.deepEqual(erp?.scopes, ['core.invoice.read', 'core.supplier.read'])
    const test = config.instances.get('test')?.clients.get('erp')
    assert.deepEqual(test?.scopes, ['core.invoice.read', 'core.common.read'])
    assert.equal(test?.auth, 'client_secret_post')
    const integration = config.integrations.get('invoice-export')
    assert.equal(integration?.auth, 'oauth')
    assert.equal(integration?.apiKey, undefined, 'an unused API key is not even resolved')
  })

  it('defaults listen to 127.0.0.1:8787 and keeps an absolute state_dir', () => {
    const config = parseConfig(
      VALID.replace(/^listen.*\n/, '').replace('./keyshift-agent', '/var/lib/ks'),
      PATH,
      ENV,
    )
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 8787 })
    assert.equal(config.stateDir, '/var/lib/ks')
  })

  it('accepts a non-loopback listen address only with allow_remote: true (and tls, config-network.test.ts)', () => {
    const remote = VALID.replace('127.0.0.1:8787', '0.0.0.0:8787')
    assert.deepEqual(problems(`allow_remote: true\n${remote}`), [
      'tls: is required when allow_remote is true: local secrets and tokens would cross the network in clear; give tls: { cert_file, key_file }',
    ])
    assert.deepEqual(problems(remote), [
      'listen: 0.0.0.0 is not a loopback address: anyone who reaches it could use the tokens; listen on 127.0.0.1, or set allow_remote: true',
    ])
  })
})

describe(`keyshift.yaml: secrets only as \${ENV_VAR} references`, () => {
  it('refuses an inline client secret, API key and local secret, naming a variable to use', () => {
    const yaml = VALID.replace(`\${ERP_CLIENT_SECRET}`, 'inline-client-secret')
      .replace('auth: oauth', 'auth: api_key')
      .replace(`\${EXPORT_API_KEY}`, 'inline-api-key-value')
      .replace(`\${EXPORT_LOCAL_SECRET}`, 'inline-local-secret-value')
    const found = problems(yaml)
    assert.deepEqual(found, [
      `instances.production.clients.erp.client_secret: an inline secret is refused: put it in an environment variable and write \${PRODUCTION_ERP_CLIENT_SECRET}`,
      `integrations.invoice-export.api_key: an inline secret is refused: put it in an environment variable and write \${INVOICE_EXPORT_API_KEY}`,
      `integrations.invoice-export.local_secret: an inline secret is refused: put it in an environment variable and write \${INVOICE_EXPORT_LOCAL_SECRET}`,
    ])
    assert.ok(!found.join('\n').includes('inline-'), 'no message quotes the secret')
  })

  it('refuses an inline API key even while the integration is on oauth', () => {
    assert.deepEqual(problems(VALID.replace(`\${EXPORT_API_KEY}`, 'inline-api-key')), [
      `integrations.invoice-export.api_key: an inline secret is refused: put it in an environment variable and write \${INVOICE_EXPORT_API_KEY}`,
    ])
  })

  it('names a variable that is not set, or empty', () => {
    const { ERP_CLIENT_SECRET: _, ...env } = ENV
    assert.deepEqual(problems(VALID, { ...env, EXPORT_LOCAL_SECRET: '' }), [
      'instances.production.clients.erp.client_secret: environment variable ERP_CLIENT_SECRET is not set',
      'integrations.invoice-export.local_secret: environment variable EXPORT_LOCAL_SECRET is empty',
    ])
  })

  it('resolves only whole values', () => {
    assert.deepEqual(problems(VALID.replace('url: https://acme.coupahost.com', `url: https://\${HOST}`)), [
      `instances.production.url: only a whole value can be an environment reference such as \${NAME}`,
    ])
  })

  it('needs local secrets of 16 characters or more, one per integration', () => {
    const twice = `${VALID}  other:\n    instance: production\n    auth: oauth\n    client: erp\n    local_secret: \${EXPORT_LOCAL_SECRET}\n`
    assert.deepEqual(problems(twice), [
      'integrations.other.local_secret: has the same value as integrations.invoice-export.local_secret: give each integration its own secret',
    ])
    assert.deepEqual(problems(VALID, { ...ENV, EXPORT_LOCAL_SECRET: 'short' }), [
      'integrations.invoice-export.local_secret: must be at least 16 characters (e.g. openssl rand -hex 32)',
    ])
  })
})

describe('keyshift.yaml: shape and references', () => {
  it('names unknown settings, wrong types, missing settings and wrong enum values', () => {
    const yaml = VALID.replace('    auth: oauth\n', '    auth: bearer\n    clinet: erp\n')
      .replace('scopes: [core.invoice.read, core.supplier.read]', 'scopes: 42')
      .replace('allow_remote', 'x')
      .replace('    url: https://acme.coupahost.com\n', '')
    assert.deepEqual(problems(`allow_remote: "yes"\n${yaml}`), [
      'allow_remote: must be true or false',
      'instances.production.url: is required',
      'instances.production.clients.erp.scopes: must be a list of scopes or a space-separated string of scopes',
      'integrations.invoice-export.auth: must be one of oauth, api_key',
      "integrations.invoice-export: unknown setting 'clinet'",
    ])
  })

  it('refuses names that cannot appear in a URL path', () => {
    assert.deepEqual(problems(VALID.replace('  invoice-export:', '  "invoice export":')), [
      'integrations.invoice export: invalid name: a name may contain only letters, digits, ".", "_" and "-", and starts with a letter or digit',
    ])
    assert.deepEqual(problems(VALID.replace('  invoice-export:', '  healthz:')), [
      "integrations.healthz: the name healthz is reserved for the agent's own endpoints",
    ])
  })

  it('checks that instances and clients exist and that each auth mode has its credential', () => {
    const yaml = `${VALID}  a:\n    instance: staging\n    auth: oauth\n    local_secret: \${SUPPLIERS_LOCAL_SECRET}\n  b:\n    instance: production\n    auth: api_key\n    client: crm\n    local_secret: \${DOWN_LOCAL_SECRET}\n`
    assert.deepEqual(problems(yaml), [
      'integrations.a.instance: no instance named staging (instances: production, test)',
      'integrations.a.client: is required when auth is oauth',
      'integrations.b.client: instance production has no client named crm (clients: erp)',
      'integrations.b.api_key: is required when auth is api_key',
    ])
  })

  it('checks URLs and the listen address', () => {
    const yaml = VALID.replace('https://acme.coupahost.com', 'http://acme.coupahost.com')
      .replace('"http://127.0.0.1:8080"', '"https://user:pw@test.example"')
      .replace('127.0.0.1:8787', 'localhost')
    assert.deepEqual(problems(yaml), [
      'listen: must be host:port, e.g. 127.0.0.1:8787 or [::1]:8787',
      'instances.production.url: must be https:// (plain http only to a loopback address): tokens and API keys would travel unencrypted',
      'instances.test.url: must not contain a user name or password',
    ])
    assert.deepEqual(problems(VALID.replace('https://acme.coupahost.com', 'not a url')), [
      'instances.production.url: must be a URL such as https://acme.coupahost.com',
    ])
  })

  it('needs at least one instance, and a mapping at the top', () => {
    assert.deepEqual(problems('instances: {}\nintegrations: {}\n'), [
      'instances: must name at least one instance',
    ])
    assert.deepEqual(problems('- a\n- b\n'), [
      '(top level): must be a mapping with instances and integrations',
    ])
    assert.deepEqual(problems(''), ['instances: is required', 'integrations: is required'])
  })

  it('reports YAML errors by line without quoting the line', () => {
    const found = problems('instances:\n  production:\n    url: x\n    url: y\n')
    assert.equal(found.length, 1)
    assert.match(found[0] as string, /^line 4, column 5: Map keys must be unique/)
  })

  it('fails with KS_AGENT_CONFIG_UNREADABLE for a file that is not there', async () => {
    await assert.rejects(loadConfig('/nonexistent/keyshift.yaml', ENV), {
      agentCode: 'KS_AGENT_CONFIG_UNREADABLE',
      message: 'cannot read the configuration /nonexistent/keyshift.yaml (no such file)',
    })
  })
})
