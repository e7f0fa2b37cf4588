import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeEach, describe, it } from 'node:test'
import { loadConfig, parseConfig, parseEnvFile } from '../../src/agent/config/load.ts'
import { AgentError } from '../../src/agent/errors.ts'
import { run } from '../helpers.ts'

const API_KEY = 'k'.repeat(40)
const LOCAL_SECRET = 'local-secret-0123456789abcdef'

function config(envFile = 'secrets.env'): string {
  return `env_file: ${envFile}
instances:
  production:
    url: http://127.0.0.1:8080
integrations:
  export:
    instance: production
    auth: api_key
    api_key: \${EXPORT_API_KEY}
    local_secret: \${EXPORT_LOCAL_SECRET}
`
}

const SECRETS = [
  '# written by keyshift transition apply',
  '',
  `EXPORT_API_KEY=${API_KEY}`,
  `  export EXPORT_LOCAL_SECRET = "${LOCAL_SECRET}"`,
  '',
].join('\n')

function agentError(action: () => unknown): AgentError {
  try {
    action()
  } catch (error) {
    assert.ok(error instanceof AgentError, String(error))
    return error
  }
  assert.fail('accepted')
}

describe('the env file of the agent (env_file:, --env-file)', () => {
  let dir: string
  let path: string
  let secrets: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyshift-env-file-'))
    path = join(dir, 'keyshift.yaml')
    secrets = join(dir, 'secrets.env')
    writeFileSync(path, config())
    writeFileSync(secrets, SECRETS, { mode: 0o600 })
    chmodSync(secrets, 0o600)
  })

  it('parses NAME=value lines: # comments, blank lines, export, quotes, the last value of a name', () => {
    const text = '# c\nA=1\nexport B = \'two words\'\nC="x"y"\nD=\nA=again # not a comment\n'
    assert.deepEqual(parseEnvFile(text, 'f.env'), {
      A: 'again # not a comment',
      B: 'two words',
      C: 'x"y',
      D: '',
    })
  })

  it('names each line that is not NAME=value, without quoting it', () => {
    const error = agentError(() => parseEnvFile(`A=1\n${API_KEY}\nexport\n`, 'f.env'))
    assert.equal(error.agentCode, 'KS_AGENT_CONFIG_INVALID')
    assert.equal(error.message, 'the env file f.env has 2 problems')
    assert.deepEqual(error.details, [
      'f.env:2: expected NAME=value (or a # comment)',
      'f.env:3: expected NAME=value (or a # comment)',
    ])
  })

  it('resolves the references from env_file (relative to the configuration), and says which file', async () => {
    const loaded = await loadConfig(path, {})
    assert.equal(loaded.envFile, secrets)
    assert.equal(loaded.integrations.get('export')?.apiKey, API_KEY)
  })

  it('a variable set in the environment wins over the file; an empty one does not', () => {
    const other = 'o'.repeat(40)
    const loaded = parseConfig(config(), path, { EXPORT_API_KEY: other, EXPORT_LOCAL_SECRET: '' })
    assert.equal(loaded.integrations.get('export')?.apiKey, other)
  })

  it('KEYSHIFT_AGENT_ENV_FILE (--env-file) wins over env_file:', () => {
    const elsewhere = join(dir, 'other.env')
    writeFileSync(elsewhere, `EXPORT_API_KEY=${'e'.repeat(40)}\nEXPORT_LOCAL_SECRET=${LOCAL_SECRET}\n`, {
      mode: 0o600,
    })
    const loaded = parseConfig(config('missing.env'), path, { KEYSHIFT_AGENT_ENV_FILE: elsewhere })
    assert.equal(loaded.envFile, elsewhere)
    assert.equal(loaded.integrations.get('export')?.apiKey, 'e'.repeat(40))
  })

  for (const mode of [0o640, 0o604]) {
    it(`refuses a file of mode 0${mode.toString(8)}: group or others may read it; says chmod 600`, () => {
      chmodSync(secrets, mode)
      const error = agentError(() => parseConfig(config(), path, {}))
      assert.equal(error.agentCode, 'KS_AGENT_CONFIG_UNREADABLE')
      assert.equal(
        error.message,
        `the env file ${secrets} may be read by group or others (mode 0${mode.toString(8)}); it holds secrets: chmod 600 ${secrets}`,
      )
      assert.ok(!JSON.stringify([error.message, error.details]).includes(API_KEY))
    })
  }

  it('a missing env file is a clear error', () => {
    const error = agentError(() => parseConfig(config('nowhere.env'), path, {}))
    assert.equal(error.agentCode, 'KS_AGENT_CONFIG_UNREADABLE')
    assert.equal(
      error.message,
      `cannot read the env file ${join(dir, 'nowhere.env')} (no such file); create it (chmod 600) or change env_file / --env-file`,
    )
  })

  it('keyshift agent --check --env-file FILE: reads it, and never prints a secret', async () => {
    writeFileSync(path, config('missing.env'))
    const result = await run(['agent', '--config', path, '--env-file', secrets, '--check'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, new RegExp(`\\nenv_file +${secrets}\\n`))
    assert.ok(!result.stdout.includes(API_KEY) && !result.stdout.includes(LOCAL_SECRET))
    chmodSync(secrets, 0o644)
    const refused = await run(['agent', '--config', path, '--env-file', secrets, '--check'])
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /^keyshift: KS_AGENT_CONFIG_UNREADABLE: the env file .* chmod 600 /)
  })

  it('keyshift agent without its configuration says to run keyshift init', async () => {
    const missing = join(dir, 'none.yaml')
    const result = await run(['agent', '--config', missing, '--check'])
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      `keyshift: KS_AGENT_CONFIG_UNREADABLE: cannot read the configuration ${missing} (no such file)\nhint: write a starter configuration with \`keyshift init --out ${missing}\`\n`,
    )
  })
})
