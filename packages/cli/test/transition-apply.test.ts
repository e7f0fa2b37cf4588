import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { parseConfig } from '../src/agent/config/load.ts'
import {
  ADMIN_PASSWORD,
  createFakeTransition,
  existingClientId,
  type FakeTransition,
  INVOICE_ID,
  OLD_ID,
  SUPPLIER_ID,
} from './fake-transition.ts'
import { type FakeServer, fakeServer, type RecordedRequest, run } from './helpers.ts'

const AGENT_CONFIG = `# The agent of Acme: keep this comment
listen: 127.0.0.1:8787
instances:
  production:
    url: http://127.0.0.1:8080 # the instance
    clients: {}
integrations:
  invoice-export: # already moved by hand
    instance: production
    auth: api_key
    api_key: \${EXPORT_API_KEY}
    local_secret: \${EXPORT_LOCAL_SECRET}
`

describe('keyshift transition apply', () => {
  let server: FakeServer
  let fake: FakeTransition
  let dir: string
  let planFile: string

  beforeEach(async () => {
    fake = createFakeTransition({ takenLogins: [] })
    server = await fakeServer(fake.respond)
    dir = mkdtempSync(join(tmpdir(), 'keyshift-apply-'))
    planFile = join(dir, 'plan.yaml')
    const written = await transition(['plan', '--out', planFile, '--url', server.url])
    assert.equal(written.code, 0, written.stderr)
    server.requests.length = 0
  })
  afterEach(() => server.close())

  function transition(args: string[], env: NodeJS.ProcessEnv = {}) {
    return run(['transition', ...args], { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env })
  }
  function routes(): string[] {
    return server.requests.map((request: RecordedRequest) => `${request.method} ${request.url}`)
  }

  it('creates the clients in the order of the plan and links each key to its client', async () => {
    const secrets = join(dir, 'secrets.env')
    const result = await transition(['apply', '--plan', planFile, '--secrets-file', secrets])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(routes(), [
      'POST /admin/v1/oauth2/clients',
      `PUT /admin/v1/api-keys/${SUPPLIER_ID}/replacement`,
      'POST /admin/v1/oauth2/clients',
      `PUT /admin/v1/api-keys/${INVOICE_ID}/replacement`,
    ])
    assert.deepEqual(JSON.parse(server.requests[0]?.body ?? ''), {
      name: 'Supplier sync',
      login: 'supplier-sync',
      scopes: ['core.supplier.read', 'core.supplier.write'],
      grant_type: 'client_credentials',
    })
    const [supplier, invoice] = fake.created
    assert.deepEqual(JSON.parse(server.requests[1]?.body ?? ''), { client_id: supplier?.client_id })
    assert.equal(fake.links.get(INVOICE_ID), invoice?.client_id)
    assert.match(
      result.stdout,
      /^KEY +RESULT +DETAIL\nSupplier sync +created +client supplier-sync \(c+1\) created, key linked to it\n/,
    )
    assert.match(
      result.stdout,
      /\nOld report +revoke +apply never revokes: run `keyshift transition revoke 3{8}-/,
    )
    assert.ok(!result.stdout.includes(supplier?.client_secret ?? '?'), 'no secret in the summary')
  })

  it('writes the secrets once to a new 0600 file, NAME_CLIENT_ID / NAME_CLIENT_SECRET lines', async () => {
    const secrets = join(dir, 'secrets.env')
    const result = await transition(['apply', '--plan', planFile, '--secrets-file', secrets])
    assert.equal(result.code, 0, result.stderr)
    const [supplier, invoice] = fake.created
    assert.equal(
      readFileSync(secrets, 'utf8'),
      [
        `SUPPLIER_SYNC_CLIENT_ID=${supplier?.client_id}`,
        `SUPPLIER_SYNC_CLIENT_SECRET=${supplier?.client_secret}`,
        `INVOICE_EXPORT_CLIENT_ID=${invoice?.client_id}`,
        `INVOICE_EXPORT_CLIENT_SECRET=${invoice?.client_secret}`,
        '',
      ].join('\n'),
    )
    assert.equal(statSync(secrets).mode & 0o777, 0o600)
    assert.match(result.stdout, /Secrets of 2 new client\(s\) written to .*secrets\.env \(mode 0600\)/)
    assert.equal(result.stderr, '')
  })

  it('refuses an existing secrets file before creating anything', async () => {
    const secrets = join(dir, 'old.env')
    writeFileSync(secrets, 'OLD=1\n')
    const result = await transition(['apply', '--plan', planFile, '--secrets-file', secrets])
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      /^keyshift: KS_FILE_EXISTS: the secrets file .*old\.env already exists; nothing was created\n/,
    )
    assert.deepEqual(routes(), [])
    assert.equal(readFileSync(secrets, 'utf8'), 'OLD=1\n')
  })

  it('without --secrets-file prints the secrets once, with a warning', async () => {
    const result = await transition(['apply', '--plan', planFile, '--phase', '1'])
    assert.equal(result.code, 0, result.stderr)
    const [supplier] = fake.created
    assert.equal(result.stdout.split(supplier?.client_secret ?? '?').length, 2)
    assert.match(result.stdout, new RegExp(`\\nSUPPLIER_SYNC_CLIENT_SECRET=${supplier?.client_secret}\\n`))
    assert.match(result.stderr, /^warning: the client secrets above are shown only this once/)
  })

  it('--phase 1: only the keys of phase 1; the others are reported', async () => {
    const result = await transition(['apply', '--plan', planFile, '--phase', '1', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(
      fake.created.map((client) => client.login),
      ['supplier-sync'],
    )
    const answer = JSON.parse(result.stdout) as { results: { api_key_id: string; outcome: string }[] }
    assert.deepEqual(
      answer.results.map((r) => [r.api_key_id, r.outcome]),
      [
        [SUPPLIER_ID, 'created'],
        [INVOICE_ID, 'other_phase'],
        [OLD_ID, 'revoke'],
      ],
    )
  })

  it('a replace whose login exists (409) links the key to that client, and goes on', async () => {
    await server.close()
    fake = createFakeTransition({ takenLogins: ['supplier-sync'] })
    server = await fakeServer(fake.respond)
    const text = readFileSync(planFile, 'utf8').replace(/^instance: .*$/m, `instance: ${server.url}`)
    writeFileSync(planFile, text)
    const agent = join(dir, 'keyshift.yaml')
    writeFileSync(agent, AGENT_CONFIG)
    const result = await transition([
      'apply',
      '--plan',
      planFile,
      '--secrets-file',
      join(dir, 's.env'),
      '--agent-config',
      agent,
      '--instance',
      'production',
    ])
    assert.equal(result.code, 0, result.stderr)
    const existing = existingClientId('supplier-sync')
    assert.match(
      result.stdout,
      new RegExp(
        `\\nSupplier sync +linked +client supplier-sync \\(${existing}\\) already exists \\(an earlier apply\\?\\): key linked to it`,
      ),
    )
    assert.deepEqual(
      fake.created.map((client) => client.login),
      ['invoice-export'],
    )
    assert.equal(fake.links.get(SUPPLIER_ID), existing)
    assert.ok(routes().includes('GET /admin/v1/oauth2/clients'))
    assert.doesNotMatch(readFileSync(join(dir, 's.env'), 'utf8'), /SUPPLIER_SYNC/)
    // The agent gets the client (its secret to be set by hand) and the integration.
    assert.match(
      readFileSync(agent, 'utf8'),
      / {6}supplier-sync:\n {8}client_id: \$\{SUPPLIER_SYNC_CLIENT_ID\}\n/,
    )
    assert.match(
      result.stdout,
      new RegExp(`supplier-sync: SUPPLIER_SYNC_CLIENT_ID=${existing}, SUPPLIER_SYNC_CLIENT_SECRET`),
    )
  })

  it('a link entry links the key to the existing client by its client_id, creating nothing', async () => {
    const existing = existingClientId('erp-sync')
    await server.close()
    fake = createFakeTransition({ takenLogins: ['erp-sync'] })
    server = await fakeServer(fake.respond)
    const text = readFileSync(planFile, 'utf8')
      .replace(/^instance: .*$/m, `instance: ${server.url}`)
      .replace(
        /action: replace # replace \| link \| revoke \| skip\n {4}phase: 1\n {4}client:\n {6}name: Supplier sync\n {6}login: supplier-sync\n/,
        `action: link\n    phase: 1\n    client:\n      name: ERP sync\n      login: erp-sync\n      client_id: ${existing}\n`,
      )
    assert.match(text, /action: link/)
    writeFileSync(planFile, text)
    const result = await transition(['apply', '--plan', planFile, '--phase', '1', '--json'])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(fake.created, [])
    assert.equal(fake.links.get(SUPPLIER_ID), existing)
    assert.deepEqual(routes(), [`PUT /admin/v1/api-keys/${SUPPLIER_ID}/replacement`])
    const answer = JSON.parse(result.stdout) as { results: Record<string, unknown>[] }
    assert.deepEqual(answer.results[0], {
      api_key_id: SUPPLIER_ID,
      api_key_name: 'Supplier sync',
      action: 'link',
      phase: 1,
      outcome: 'linked',
      integration: 'supplier-sync',
      login: 'erp-sync',
      scopes: ['core.supplier.read', 'core.supplier.write'],
      client_id: existing,
      linked: true,
    })
  })

  it('a link entry without client_id finds its client by login; an unknown login stops the run', async () => {
    await server.close()
    fake = createFakeTransition({ takenLogins: ['erp-sync'] })
    server = await fakeServer(fake.respond)
    const base = readFileSync(planFile, 'utf8').replace(/^instance: .*$/m, `instance: ${server.url}`)
    const linkTo = (login: string) =>
      base.replace(
        /action: replace # replace \| link \| revoke \| skip\n {4}phase: 1\n {4}client:\n {6}name: Supplier sync\n {6}login: supplier-sync\n/,
        `action: link\n    phase: 1\n    client:\n      login: ${login}\n`,
      )
    writeFileSync(planFile, linkTo('erp-sync'))
    const result = await transition(['apply', '--plan', planFile, '--phase', '1'])
    assert.equal(result.code, 0, result.stderr)
    assert.equal(fake.links.get(SUPPLIER_ID), existingClientId('erp-sync'))
    assert.match(
      result.stdout,
      /\nSupplier sync +linked +key linked to the existing client erp-sync \(e+8?e*\)/,
    )
    writeFileSync(planFile, linkTo('nobody'))
    const unknown = await transition(['apply', '--plan', planFile, '--phase', '1'])
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /^keyshift: KS_ADMIN_NOT_FOUND: no OAuth client has the login "nobody"\n/)
    assert.match(unknown.stdout, /\nSupplier sync +FAILED +client nobody: no OAuth client has the login/)
  })

  it('a link entry needs its client: client_id or login', async () => {
    const text = readFileSync(planFile, 'utf8').replace(
      /action: replace # replace \| link \| revoke \| skip\n {4}phase: 1\n {4}client:\n {6}name: Supplier sync\n {6}login: supplier-sync\n/,
      'action: link\n    phase: 1\n    client:\n      name: ERP sync\n',
    )
    writeFileSync(planFile, text)
    const result = await transition(['apply', '--plan', planFile])
    assert.equal(result.code, 1)
    assert.match(result.stderr, /keys\[0\]\.client\.client_id: is required when action is link \(or login\)/)
    assert.deepEqual(routes(), [])
  })

  it('adds clients and integrations to the agent configuration, keeping its comments', async () => {
    const agent = join(dir, 'keyshift.yaml')
    writeFileSync(agent, AGENT_CONFIG, { mode: 0o640 })
    const result = await transition([
      'apply',
      '--plan',
      planFile,
      '--secrets-file',
      join(dir, 'secrets.env'),
      '--agent-config',
      agent,
      '--instance',
      'production',
    ])
    assert.equal(result.code, 0, result.stderr)
    const text = readFileSync(agent, 'utf8')
    assert.ok(text.startsWith('# The agent of Acme: keep this comment\n'), text)
    assert.match(text, /url: http:\/\/127.0.0.1:8080 # the instance\n/)
    assert.match(text, /invoice-export: # already moved by hand\n/)
    assert.match(
      text,
      / {4}clients:\n {6}supplier-sync:\n {8}client_id: \$\{SUPPLIER_SYNC_CLIENT_ID\}\n {8}client_secret: \$\{SUPPLIER_SYNC_CLIENT_SECRET\}\n {8}scopes: \[core.supplier.read, core.supplier.write\]\n/,
    )
    assert.match(
      text,
      / {2}supplier-sync:\n {4}instance: production\n {4}auth: api_key # flip to oauth in phase 1\n {4}client: supplier-sync\n {4}api_key: \$\{SUPPLIER_SYNC_API_KEY\}\n {4}local_secret: \$\{SUPPLIER_SYNC_LOCAL_SECRET\}\n/,
    )
    // Every line of the file as it was is still there, in its order (`clients: {}` became a block).
    const kept = AGENT_CONFIG.split('\n').filter((line) => line !== '    clients: {}')
    const lines = text.split('\n')
    let at = 0
    for (const line of kept) {
      at = lines.indexOf(line, at)
      assert.ok(at >= 0, `kept: ${line}`)
    }
    assert.match(result.stdout, /added {4}instances\.production\.clients\.invoice-export\n/)
    assert.match(result.stdout, /skipped {2}integrations\.invoice-export \(already there, left as it is\)\n/)
    assert.equal(statSync(agent).mode & 0o777, 0o640)
    // The agent accepts the file once the variables are set.
    const env = Object.fromEntries(
      [...text.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => [
        m[1],
        m[1]?.endsWith('LOCAL_SECRET') ? `${m[1]}-0123456789abcdef` : 'x',
      ]),
    )
    const config = parseConfig(text, agent, env)
    assert.equal(config.integrations.get('supplier-sync')?.client, 'supplier-sync')
    assert.deepEqual(config.instances.get('production')?.clients.get('supplier-sync')?.scopes, [
      'core.supplier.read',
      'core.supplier.write',
    ])
  })

  it('checks --agent-config and its instance before creating anything', async () => {
    const agent = join(dir, 'keyshift.yaml')
    writeFileSync(agent, AGENT_CONFIG)
    const result = await transition([
      'apply',
      '--plan',
      planFile,
      '--agent-config',
      agent,
      '--instance',
      'staging',
    ])
    assert.equal(result.code, 2)
    assert.match(
      result.stderr,
      /^keyshift: KS_USAGE: the configuration .*keyshift\.yaml has no instance "staging"\n/,
    )
    assert.deepEqual(routes(), [])
    assert.equal(readFileSync(agent, 'utf8'), AGENT_CONFIG)
    writeFileSync(agent, AGENT_CONFIG.replace('clients: {}', 'clients: [erp]'))
    const wrong = await transition([
      'apply',
      '--plan',
      planFile,
      '--agent-config',
      agent,
      '--instance',
      'production',
    ])
    assert.equal(wrong.code, 1)
    assert.match(
      wrong.stderr,
      /^keyshift: KS_AGENT_CONFIG_INVALID: the configuration .* has 1 problem\n {2}instances\.production\.clients: must be a mapping \(key: value\)\n/,
    )
    assert.deepEqual(routes(), [])
  })

  it('refuses a plan made for another instance', async () => {
    const result = await transition(['apply', '--plan', planFile, '--url', 'http://127.0.0.1:9'])
    assert.equal(result.code, 2)
    assert.match(
      result.stderr,
      /^keyshift: KS_USAGE: the plan was made for http:\/\/127\.0\.0\.1:\d+, not http:\/\/127\.0\.0\.1:9\/; nothing was created\n/,
    )
    assert.deepEqual(routes(), [])
  })

  it('keeps the secrets of the clients made before a failure, and exits 1 with its code', async () => {
    const text = readFileSync(planFile, 'utf8').replace(INVOICE_ID, 'unknown-key')
    writeFileSync(planFile, text)
    const secrets = join(dir, 'secrets.env')
    const result = await transition(['apply', '--plan', planFile, '--secrets-file', secrets])
    assert.equal(result.code, 1)
    assert.match(result.stderr, /^keyshift: KS_ADMIN_NOT_FOUND: no API key with id "unknown-key"\n/)
    assert.match(
      readFileSync(secrets, 'utf8'),
      /^SUPPLIER_SYNC_CLIENT_ID=.*\nSUPPLIER_SYNC_CLIENT_SECRET=.*\nINVOICE_EXPORT_CLIENT_ID=/,
    )
    assert.match(
      result.stdout,
      /\nInvoice export +created +client invoice-export \(c+2\) created, but the key was NOT linked/,
    )
    assert.equal(existsSync(secrets), true)
  })
})
