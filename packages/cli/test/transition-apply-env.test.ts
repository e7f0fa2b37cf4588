import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { ADMIN_PASSWORD, createFakeTransition } from './fake-transition.ts'
import { type FakeServer, fakeServer, run } from './helpers.ts'

const AGENT_CONFIG = `listen: 127.0.0.1:8787
instances:
  production:
    url: http://127.0.0.1:8080
integrations: {}
`

describe('keyshift transition apply: the env file and the command that runs the agent', () => {
  let server: FakeServer
  let dir: string
  let planFile: string

  beforeEach(async () => {
    server = await fakeServer(createFakeTransition().respond)
    dir = mkdtempSync(join(tmpdir(), 'keyshift-apply-env-'))
    planFile = join(dir, 'plan.yaml')
    const written = await transition(['plan', '--out', planFile, '--url', server.url])
    assert.equal(written.code, 0, written.stderr)
  })
  afterEach(() => server.close())

  function transition(args: string[]) {
    return run(['transition', ...args], { KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD })
  }
  function apply(agent: string | undefined, secrets: string) {
    const agentArgs = agent === undefined ? [] : ['--agent-config', agent, '--instance', 'production']
    return transition(['apply', '--plan', planFile, '--phase', '1', '--secrets-file', secrets, ...agentArgs])
  }

  it('sets env_file: to the secrets file when the configuration has none, and says how to run the agent', async () => {
    const agent = join(dir, 'keyshift.yaml')
    writeFileSync(agent, AGENT_CONFIG)
    const result = await apply(agent, join(dir, 'secrets.env'))
    assert.equal(result.code, 0, result.stderr)
    const text = readFileSync(agent, 'utf8')
    assert.match(
      text,
      /^listen: 127\.0\.0\.1:8787\nenv_file: secrets\.env # NAME=value lines for the \$\{VAR\}s \(mode 0600\)\ninstances:\n/,
    )
    assert.match(result.stdout, /\n {2}added {4}env_file\n/)
    assert.match(
      result.stdout,
      new RegExp(
        `\\nRun the agent \\(.*keyshift\\.yaml reads .*secrets\\.env: env_file\\):\\n  keyshift agent --config ${agent}\\n`,
      ),
    )
    assert.match(result.stdout, /Next, set in .*secrets\.env:\n {2}supplier-sync: SUPPLIER_SYNC_API_KEY/)
  })

  it('keeps an env_file: already there, and says to add the new secrets to it', async () => {
    const agent = join(dir, 'keyshift.yaml')
    writeFileSync(agent, `env_file: main.env\n${AGENT_CONFIG}`)
    const secrets = join(dir, 'phase1.env')
    const result = await apply(agent, secrets)
    assert.equal(result.code, 0, result.stderr)
    assert.match(readFileSync(agent, 'utf8'), /^env_file: main\.env\n/)
    assert.doesNotMatch(result.stdout, /added {4}env_file/)
    assert.match(
      result.stdout,
      new RegExp(`\\n  cat ${secrets} >> ${join(dir, 'main.env')} && rm ${secrets}\\n`),
    )
    assert.match(result.stdout, new RegExp(`\\n  keyshift agent --config ${agent}\\n`))
  })

  it('without --agent-config: the agent command with --env-file', async () => {
    const secrets = join(dir, 'secrets.env')
    const result = await apply(undefined, secrets)
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stdout,
      new RegExp(`\\n  keyshift agent --config keyshift\\.yaml --env-file ${secrets}\\n`),
    )
  })

  it('an --agent-config that is not there says to run keyshift init, before creating anything', async () => {
    const agent = join(dir, 'missing.yaml')
    server.requests.length = 0
    const result = await apply(agent, join(dir, 'secrets.env'))
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      `keyshift: KS_AGENT_CONFIG_UNREADABLE: cannot read the configuration ${agent} (no such file)\nhint: write a starter configuration with \`keyshift init --out ${agent}\`\n`,
    )
    assert.deepEqual(server.requests, [])
  })
})
