import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { adminAuthorization } from '../src/admin/api.ts'
import { parseConfig } from '../src/agent/config/load.ts'
import { CliError } from '../src/errors.ts'
import { createFakeTransition, type FakeTransition, REVIEW } from './fake-transition.ts'
import { type FakeServer, fakeServer, run } from './helpers.ts'

const ENV = { PROD_ADMIN_PASSWORD: 'prod-password', TEST_ADMIN_PASSWORD: 'test-password' }

function agentConfig(production: string, test: string): string {
  return `listen: 127.0.0.1:8787
instances:
  production:
    url: ${production}
    clients: {}
    admin:
      password: \${PROD_ADMIN_PASSWORD}
  test:
    url: http://127.0.0.1:1 # the admin API is elsewhere
    admin:
      url: ${test}
      user: admin
      password: \${TEST_ADMIN_PASSWORD}
  other:
    url: https://acme.coupahost.com # no admin block: a Coupa instance, followed from the agent's usage
integrations:
  export:
    instance: production
    auth: api_key
    api_key: \${EXPORT_API_KEY}
    local_secret: \${EXPORT_LOCAL_SECRET}
`
}

describe('keyshift transition --config keyshift.yaml: every instance, by its admin API or the agent usage', () => {
  let production: FakeServer
  let test: FakeServer
  let testFake: FakeTransition
  let dir: string
  let config: string
  before(async () => {
    production = await fakeServer(createFakeTransition({ password: ENV.PROD_ADMIN_PASSWORD }).respond)
    testFake = createFakeTransition({ password: ENV.TEST_ADMIN_PASSWORD })
    test = await fakeServer(testFake.respond)
    dir = mkdtempSync(join(tmpdir(), 'keyshift-config-'))
    config = join(dir, 'keyshift.yaml')
    writeFileSync(config, agentConfig(production.url, test.url))
  })
  after(async () => {
    await production.close()
    await test.close()
  })
  beforeEach(() => {
    production.requests.length = 0
    test.requests.length = 0
  })

  function transition(args: string[], env: NodeJS.ProcessEnv = ENV) {
    return run(['transition', ...args, '--config', config], env)
  }

  it('status: runs on each instance with its own admin password, output grouped by instance', async () => {
    const result = await transition(['status'])
    assert.equal(result.code, 0, result.stderr)
    const groups = result.stdout.split(/^== /m).filter((group) => group !== '')
    assert.equal(groups.length, 3)
    assert.ok(groups[0]?.startsWith(`production (${production.url}/) ==\nID  `), groups[0])
    assert.ok(groups[1]?.startsWith(`test (${test.url}/) ==\nID  `), groups[1])
    // No agent runs here: the Coupa instance is read from the (empty) state_dir.
    assert.ok(groups[2]?.startsWith('other (https://acme.coupahost.com) ==\nNo integration'), groups[2])
    assert.equal(
      production.requests[0]?.headers.authorization,
      adminAuthorization('admin', ENV.PROD_ADMIN_PASSWORD),
    )
    assert.equal(
      test.requests[0]?.headers.authorization,
      adminAuthorization('admin', ENV.TEST_ADMIN_PASSWORD),
    )
  })

  it('review --json: { "<instance>": <answer> }', async () => {
    const result = await transition(['review', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const answer = JSON.parse(result.stdout)
    assert.deepEqual(
      { production: answer.production, test: answer.test },
      { production: REVIEW, test: REVIEW },
    )
    assert.deepEqual(answer.other, {
      instance: 'other',
      source: 'state_dir',
      counting_since: null,
      integrations: [],
    })
  })

  it('--instance NAME: only that instance', async () => {
    const result = await transition(['review', '--json', '--instance', 'test'])
    assert.deepEqual(Object.keys(JSON.parse(result.stdout)), ['test'])
    assert.equal(production.requests.length, 0)
    const unknown = await transition(['review', '--instance', 'nowhere'])
    assert.equal(unknown.code, 2)
    assert.match(
      unknown.stderr,
      /^keyshift: KS_USAGE: no instance "nowhere" in .*\nhint: instances: production, test, other\n$/,
    )
    const coupa = await transition(['revoke', '--all-ready', '--instance', 'other'])
    assert.equal(coupa.code, 2)
    assert.match(coupa.stderr, /other is a Coupa instance \(kind: coupa\).*Setup → API Keys/)
  })

  it('reads the admin passwords from the env file too, and says to run keyshift init when the file is missing', async () => {
    const withFile = join(dir, 'with-env-file.yaml')
    writeFileSync(withFile, `env_file: admin.env\n${agentConfig(production.url, test.url)}`)
    writeFileSync(join(dir, 'admin.env'), `TEST_ADMIN_PASSWORD=${ENV.TEST_ADMIN_PASSWORD}\n`, { mode: 0o600 })
    const result = await run(['transition', 'status', '--config', withFile], {
      PROD_ADMIN_PASSWORD: ENV.PROD_ADMIN_PASSWORD,
    })
    assert.equal(result.code, 0, result.stderr)
    assert.equal(
      test.requests[0]?.headers.authorization,
      adminAuthorization('admin', ENV.TEST_ADMIN_PASSWORD),
    )
    const missing = await run(['transition', 'review', '--config', join(dir, 'nothing.yaml')], ENV)
    assert.equal(missing.code, 1)
    assert.match(
      missing.stderr,
      /KS_AGENT_CONFIG_UNREADABLE.*no such file.*\nhint: write a starter configuration with `keyshift init/s,
    )
  })

  it('needs only the admin passwords: an unset one is named, and nothing is sent', async () => {
    const result = await transition(['status'], { PROD_ADMIN_PASSWORD: 'prod-password' })
    assert.equal(result.code, 1)
    assert.match(
      result.stderr,
      /^keyshift: KS_AGENT_CONFIG_INVALID: the configuration .* has 1 problem\n {2}instances\.test\.admin\.password: environment variable TEST_ADMIN_PASSWORD is not set\n/,
    )
    assert.equal(production.requests.length + test.requests.length, 0)
  })

  it('refuses --url, --user or --password with --config, and KEY_IDs without --instance', async () => {
    for (const args of [
      ['status', '--url', production.url],
      ['status', '--password', 'x'],
      ['revoke', 'some-id'],
    ]) {
      const result = await transition(args)
      assert.equal(result.code, 2, args.join(' '))
      assert.match(result.stderr, /^keyshift: KS_USAGE: /)
    }
  })

  it('plan --out needs one instance; apply --instance runs on that one', async () => {
    const out = join(dir, 'plan.yaml')
    const many = await transition(['plan', '--out', out])
    assert.equal(many.code, 2)
    assert.match(many.stderr, /--out writes the plan of one instance/)
    const one = await transition(['plan', '--out', out, '--instance', 'test'])
    assert.equal(one.code, 0, one.stderr)
    assert.match(readFileSync(out, 'utf8'), new RegExp(`^instance: ${test.url}$`, 'm'))
    const applied = await transition(['apply', '--plan', out, '--instance', 'test', '--phase', '1', '--json'])
    assert.equal(applied.code, 0, applied.stderr)
    assert.deepEqual(
      testFake.created.map((client) => client.login),
      ['supplier-sync'],
    )
    assert.equal(production.requests.length, 0)
  })
})

describe('the admin block of keyshift.yaml, as the agent reads it', () => {
  const agentEnv = { EXPORT_API_KEY: 'k', EXPORT_LOCAL_SECRET: '0123456789abcdef0123' }

  it('is accepted without its password being set: the agent does not need it', () => {
    const config = parseConfig(
      agentConfig('http://127.0.0.1:8080', 'http://127.0.0.1:8081'),
      'k.yaml',
      agentEnv,
    )
    assert.deepEqual([...config.instances.keys()], ['production', 'test', 'other'])
  })

  function problems(text: string): string[] {
    try {
      parseConfig(text, 'k.yaml', agentEnv)
    } catch (error) {
      assert.ok(error instanceof CliError)
      return error.details
    }
    assert.fail('expected KS_AGENT_CONFIG_INVALID')
  }

  it('refuses an inline password and an unknown setting', () => {
    const text = agentConfig('http://127.0.0.1:8080', 'http://127.0.0.1:8081')
    assert.deepEqual(problems(text.replace(`\${PROD_ADMIN_PASSWORD}`, 'hunter2')), [
      `instances.production.admin.password: an inline secret is refused: put it in an environment variable and write \${PRODUCTION_ADMIN_PASSWORD}`,
    ])
    assert.deepEqual(problems(text.replace('user: admin', 'usr: admin')), [
      "instances.test.admin: unknown setting 'usr'",
    ])
  })
})
